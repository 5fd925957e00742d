package io.smimedelivery.common.inbox;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smimedelivery.events.CloudEventHeaders;
import io.smimedelivery.events.EventJson;
import io.smimedelivery.events.EventType;
import io.smimedelivery.events.EventTypes;
import io.smimedelivery.events.InvalidEventException;
import io.smimedelivery.events.UserEvent;

/**
 * Applies each consumed event once per consumer and event id. It reads the CloudEvents headers and the
 * JSON payload of each record of a polled batch. Then, in one transaction, it records the ce_ids in
 * processed_event and runs the handler for each event not recorded before, so a redelivered event
 * changes nothing. One transaction per batch saves a commit and a round trip per event.
 *
 * <p>When the batch's transaction fails, its events are applied again one at a time, each in its own
 * transaction, and a handler failure is then retried with backoff. An invalid record, or one that still
 * fails after the last attempt, is nacked alone. The channel sends it to its dead-letter topic, and the
 * other records take effect. A failure while the database cannot be reached counts as no attempt: the
 * inbox waits until the database accepts connections again and then retries.
 */
@ApplicationScoped
public class EventInbox {

    /** Result of {@link #process}. */
    public enum Outcome {
        /** The handler ran and its effects committed. */
        APPLIED,
        /** The event id was processed before; nothing ran. */
        DUPLICATE,
        /** The event type is unknown to this build; nothing ran and nothing was recorded. */
        IGNORED
    }

    private static final Logger LOG = Logger.getLogger(EventInbox.class);
    private static final String MARK_ALL_PROCESSED = """
            INSERT INTO processed_event (consumer, event_id) SELECT ?, id FROM unnest(?::text[]) AS id
            ON CONFLICT DO NOTHING RETURNING event_id""";

    private final DataSource dataSource;
    private final InboxConfig config;
    private final MeterRegistry registry;

    public EventInbox(DataSource dataSource, InboxConfig config, MeterRegistry registry) {
        this.dataSource = dataSource;
        this.config = config;
        this.registry = registry;
    }

    /**
     * Processes the records of one poll for {@code consumer}, a name unique within the service such as
     * {@code status-packages}: every valid event in one transaction, in the order of the batch. Before the
     * first handler runs, {@code userLocks} takes the locks of all users the events name (payloads that
     * are {@link UserEvent}s) in its fixed order, so the handlers run with their users locked. Pass null
     * when the handlers need no per-user lock. A record that cannot be read, or whose event still fails
     * when applied alone, goes to the dead-letter topic by nacking that record only. The returned stage
     * completes once those records are on their dead-letter topic and the batch is acknowledged.
     */
    public CompletionStage<Void> processBatch(String consumer, KafkaRecordBatch<String, byte[]> batch,
            UserLocks userLocks, EventHandler handler) {
        return processBatch(consumer, batch, userLocks, handler, null);
    }

    /**
     * Processes a batch as {@link #processBatch(String, KafkaRecordBatch, UserLocks, EventHandler)} does and
     * runs {@code afterEvents}, when not null, at the end of every transaction that applied events: once
     * for the batch, or once per event when the events are applied one at a time.
     */
    public CompletionStage<Void> processBatch(String consumer, KafkaRecordBatch<String, byte[]> batch,
            UserLocks userLocks, EventHandler handler, EventsApplied afterEvents) {
        List<Pending> pending = new ArrayList<>();
        List<CompletableFuture<Void>> deadLettered = new ArrayList<>();
        for (KafkaRecord<String, byte[]> message : batch.getRecords()) {
            ConsumerRecord<String, byte[]> record = consumerRecord(message);
            try {
                ReceivedEvent event = read(record);
                if (event == null) {
                    ignore(consumer, record);
                } else {
                    pending.add(new Pending(message, record, event));
                }
            } catch (InvalidEventException e) {
                deadLettered.add(message.nack(deadLetter(consumer, record, e, 1)).toCompletableFuture());
            }
        }
        if (!pending.isEmpty()) {
            try {
                List<ReceivedEvent> events = pending.stream().map(Pending::event).toList();
                List<Outcome> outcomes = QuarkusTransaction.requiringNew()
                        .call(() -> applyAll(consumer, events, userLocks, handler, afterEvents));
                for (int i = 0; i < pending.size(); i++) {
                    count("smime.events.consumed", consumer, pending.get(i).record().topic(),
                            outcomes.get(i).name().toLowerCase());
                }
            } catch (Exception e) {
                Throwable cause = e instanceof HandlerFailure failure ? failure.getCause() : e;
                LOG.infof("%s could not apply a batch of %d events in one transaction; applying them one at a time: %s",
                        consumer, pending.size(), cause.getMessage());
                registry.counter("smime.events.batches.split", "consumer", consumer).increment();
                for (Pending one : pending) {
                    try {
                        processEvent(consumer, one.record(), one.event(), userLocks, handler, afterEvents);
                    } catch (DeadLetterException deadLetter) {
                        deadLettered.add(one.message().nack(deadLetter).toCompletableFuture());
                    }
                }
            }
        }
        return CompletableFuture.allOf(deadLettered.toArray(CompletableFuture[]::new)).thenCompose(done -> batch.ack());
    }

    /**
     * Applies one event in its own transaction, retrying as the class describes.
     *
     * @throws DeadLetterException when the record goes to the dead-letter topic
     */
    private Outcome processEvent(String consumer, ConsumerRecord<String, byte[]> record, ReceivedEvent event,
            UserLocks userLocks, EventHandler handler, EventsApplied afterEvents) {
        int attempt = 1;
        while (true) {
            try {
                Outcome outcome = QuarkusTransaction.requiringNew()
                        .call(() -> applyAll(consumer, List.of(event), userLocks, handler, afterEvents).get(0));
                if (outcome == Outcome.DUPLICATE) {
                    LOG.debugf("%s skipped event %s (%s): processed before", consumer, event.id(), event.type().name());
                }
                count("smime.events.consumed", consumer, record.topic(), outcome.name().toLowerCase());
                return outcome;
            } catch (Exception e) {
                Throwable cause = e instanceof HandlerFailure failure ? failure.getCause() : e;
                if (!(cause instanceof InvalidEventException) && !databaseReachable()) {
                    // The record is not at fault: wait for the database and try again without counting it.
                    awaitDatabase(consumer, event, cause);
                    continue;
                }
                if (cause instanceof InvalidEventException || attempt >= config.maxAttempts()) {
                    throw deadLetter(consumer, record, cause, attempt);
                }
                Duration backoff = config.initialBackoff().multipliedBy(1L << (attempt - 1));
                LOG.warnf("%s failed to process event %s (%s, key %s), attempt %d of %d, retrying in %d ms: %s",
                        consumer, event.id(), event.type().name(), event.key(), attempt, config.maxAttempts(),
                        backoff.toMillis(), cause.getMessage());
                sleep(backoff);
                attempt++;
            }
        }
    }

    /** Returns true when a connection can be taken from the pool and passes a validity check. */
    private boolean databaseReachable() {
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid((int) Math.max(1, config.databaseCheckTimeout().toSeconds()));
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Blocks until the database accepts connections again, checking at growing intervals up to
     * {@link InboxConfig#databaseRetryMax()}. The record's partition waits meanwhile, so records stay in
     * order and none goes to the dead-letter topic because of the outage.
     */
    private void awaitDatabase(String consumer, ReceivedEvent event, Throwable cause) {
        LOG.warnf("%s cannot reach the database while processing event %s (%s, key %s); waiting for it: %s", consumer,
                event.id(), event.type().name(), event.key(), cause.getMessage());
        long started = System.nanoTime();
        Duration wait = config.initialBackoff();
        long lastReport = started;
        do {
            sleep(wait);
            wait = wait.multipliedBy(2).compareTo(config.databaseRetryMax()) > 0 ? config.databaseRetryMax()
                    : wait.multipliedBy(2);
            if (System.nanoTime() - lastReport > Duration.ofSeconds(30).toNanos()) {
                lastReport = System.nanoTime();
                LOG.warnf("%s still waiting for the database after %d s", consumer,
                        Duration.ofNanos(lastReport - started).toSeconds());
            }
        } while (!databaseReachable());
        LOG.infof("%s reached the database again after %d ms; retrying event %s", consumer,
                Duration.ofNanos(System.nanoTime() - started).toMillis(), event.id());
    }

    /**
     * Records the events as processed, locks the users of those not processed before and runs the handler
     * for each of them, in order. Returns the outcome of each event.
     */
    private List<Outcome> applyAll(String consumer, List<ReceivedEvent> events, UserLocks userLocks,
            EventHandler handler, EventsApplied afterEvents) throws SQLException {
        Set<String> unseen = markAllProcessed(consumer, events);
        if (userLocks != null) {
            Set<String> users = new LinkedHashSet<>();
            for (ReceivedEvent event : events) {
                if (unseen.contains(event.id()) && event.payload() instanceof UserEvent about) {
                    users.add(about.userId());
                }
            }
            if (!users.isEmpty()) {
                userLocks.lockAll(users);
            }
        }
        List<Outcome> outcomes = new ArrayList<>(events.size());
        List<ReceivedEvent> applied = new ArrayList<>(events.size());
        for (ReceivedEvent event : events) {
            // An id that appears twice among the events is applied at its first appearance only.
            if (!unseen.remove(event.id())) {
                outcomes.add(Outcome.DUPLICATE);
                continue;
            }
            try {
                handler.handle(event);
            } catch (Exception e) {
                throw new HandlerFailure(e);
            }
            outcomes.add(Outcome.APPLIED);
            applied.add(event);
        }
        if (afterEvents != null && !applied.isEmpty()) {
            try {
                afterEvents.afterEvents(applied);
            } catch (Exception e) {
                throw new HandlerFailure(e);
            }
        }
        return outcomes;
    }

    /** Records the ids of {@code events} as processed and returns those not recorded before. */
    private Set<String> markAllProcessed(String consumer, List<ReceivedEvent> events) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(MARK_ALL_PROCESSED)) {
            insert.setString(1, consumer);
            Object[] ids = events.stream().map(ReceivedEvent::id).distinct().toArray();
            insert.setArray(2, connection.createArrayOf("text", ids));
            Set<String> inserted = new HashSet<>();
            try (var result = insert.executeQuery()) {
                while (result.next()) {
                    inserted.add(result.getString(1));
                }
            }
            return inserted;
        }
    }

    private static ConsumerRecord<String, byte[]> consumerRecord(Message<byte[]> message) {
        return message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(metadata -> {
                    @SuppressWarnings("unchecked")
                    ConsumerRecord<String, byte[]> record = (ConsumerRecord<String, byte[]>) metadata.getRecord();
                    return record;
                })
                .orElseThrow(() -> new IllegalStateException("Record of a Kafka batch without IncomingKafkaRecordMetadata"));
    }

    private Outcome ignore(String consumer, ConsumerRecord<String, byte[]> record) {
        LOG.debugf("%s ignored a record of unknown type %s at %s-%d@%d", consumer,
                header(record, CloudEventHeaders.TYPE).orElse("?"), record.topic(), record.partition(), record.offset());
        count("smime.events.consumed", consumer, record.topic(), "ignored");
        return Outcome.IGNORED;
    }

    /** Returns the event in {@code record}, or null for a well-formed record of a type this build does not know. */
    static ReceivedEvent read(ConsumerRecord<String, byte[]> record) {
        String id = header(record, CloudEventHeaders.ID)
                .orElseThrow(() -> new InvalidEventException("Missing header " + CloudEventHeaders.ID));
        String typeName = header(record, CloudEventHeaders.TYPE)
                .orElseThrow(() -> new InvalidEventException("Missing header " + CloudEventHeaders.TYPE));
        Optional<EventType<?>> type = EventTypes.byName(typeName);
        if (type.isEmpty()) {
            return null;
        }
        if (record.value() == null) {
            throw new InvalidEventException("Missing value for event " + id + " of type " + typeName);
        }
        Object payload = EventJson.fromBytes(record.value(), type.get().payloadType());
        Instant time;
        try {
            time = header(record, CloudEventHeaders.TIME).map(Instant::parse).orElse(Instant.ofEpochMilli(record.timestamp()));
        } catch (DateTimeParseException e) {
            throw new InvalidEventException("Invalid header " + CloudEventHeaders.TIME + ": " + e.getParsedString(), e);
        }
        return new ReceivedEvent(id, type.get(), record.key(), payload, time,
                header(record, CloudEventHeaders.SOURCE).orElse(""), record.topic(), record.partition(), record.offset());
    }

    private DeadLetterException deadLetter(String consumer, ConsumerRecord<String, byte[]> record, Throwable cause,
            int attempts) {
        count("smime.events.dead.lettered", consumer, record.topic(), null);
        String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        LOG.errorf("%s sends the record at %s-%d@%d (ce_id %s, key %s) to the dead-letter topic after %d attempt(s): %s",
                consumer, record.topic(), record.partition(), record.offset(),
                header(record, CloudEventHeaders.ID).orElse("none"), record.key(), attempts, reason);
        return new DeadLetterException(reason, cause);
    }

    private void count(String name, String consumer, String topic, String outcome) {
        var builder = io.micrometer.core.instrument.Counter.builder(name).tag("consumer", consumer).tag("topic", topic);
        if (outcome != null) {
            builder.tag("outcome", outcome);
        }
        builder.register(registry).increment();
    }

    private static Optional<String> header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? Optional.empty()
                : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting to retry an event", e);
        }
    }

    private record Pending(KafkaRecord<String, byte[]> message, ConsumerRecord<String, byte[]> record,
            ReceivedEvent event) {
    }

    /** Carries a handler's exception out of the transaction, which rolls back on it. */
    private static final class HandlerFailure extends RuntimeException {
        HandlerFailure(Exception cause) {
            super(cause);
        }
    }
}
