package io.smimedelivery.common.outbox;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smimedelivery.common.concurrent.BackgroundLoop;
import io.smallrye.common.annotation.Identifier;

/**
 * Publishes outbox rows to Kafka in insertion order and marks them published, on a thread of its own.
 *
 * <p>Delivery is at least once: a crash after the broker acknowledged a batch and before the marks
 * commit publishes that batch again, with the same ce_id, and consumers drop the repeat. Per-key order
 * holds because rows are sent in sequence order by an idempotent producer, and because a PostgreSQL
 * advisory lock lets one instance per database relay at a time.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /** Advisory lock id ("SmimeOut" in ASCII) that the relays of one database take in turn. */
    private static final long RELAY_LOCK_ID = 0x536D696D654F7574L;
    private static final String SELECT_PENDING = "SELECT id, sequence_number, topic, record_key, event_type,"
            + " convert_to(payload::text, 'UTF8'), created_at FROM outbox_event"
            + " WHERE published_at IS NULL ORDER BY sequence_number LIMIT ?";

    private final DataSource dataSource;
    private final OutboxConfig config;
    private final Map<String, Object> kafkaConfig;
    private final String source;
    private final String clientId;
    private final Counter published;
    private final Counter batches;
    private final Counter failures;

    private final BackgroundLoop loop = new BackgroundLoop("outbox-relay");
    private KafkaProducer<String, byte[]> producer;
    private Instant nextPrune = Instant.now();

    public OutboxRelay(DataSource dataSource, OutboxConfig config,
            @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
            @ConfigProperty(name = "quarkus.application.name") String applicationName, MeterRegistry registry) {
        this.dataSource = dataSource;
        this.config = config;
        this.kafkaConfig = kafkaConfig;
        this.source = config.source().orElse("/smime-delivery/" + applicationName);
        this.clientId = applicationName + "-outbox-relay";
        this.published = Counter.builder("smime.outbox.published").description("Events published by the outbox relay")
                .register(registry);
        this.batches = Counter.builder("smime.outbox.batches")
                .description("Relay transactions that published events; published divided by this is the mean batch size")
                .register(registry);
        this.failures = Counter.builder("smime.outbox.publish.failures")
                .description("Relay cycles that failed to publish, for example while the broker was down")
                .register(registry);
    }

    void onStart(@Observes StartupEvent event) {
        if (config.relayEnabled()) {
            start();
        } else {
            LOG.info("Outbox relay disabled by smime.outbox.relay-enabled=false");
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    /** Starts the relay thread unless it runs already. */
    public void start() {
        if (loop.start(this::run)) {
            LOG.infof("Outbox relay started (source %s)", source);
        }
    }

    /** Stops the relay thread and waits for its current batch to finish. */
    public void stop() {
        if (loop.stop(config.deliveryTimeout().plusSeconds(10))) {
            closeProducer();
            LOG.info("Outbox relay stopped");
        }
    }

    public boolean isRunning() {
        return loop.isAlive();
    }

    /** Makes the relay poll now instead of at the end of its poll interval. */
    public void wake() {
        loop.wake();
    }

    private void run() {
        int consecutiveFailures = 0;
        while (loop.running()) {
            try {
                BatchResult result = QuarkusTransaction.requiringNew()
                        .timeout((int) config.deliveryTimeout().plusSeconds(30).toSeconds())
                        .call(this::publishBatch);
                published.increment(result.publishedCount());
                if (result.publishedCount() > 0) {
                    batches.increment();
                }
                if (result.failure() != null) {
                    throw result.failure();
                }
                if (consecutiveFailures > 0) {
                    LOG.infof("Outbox relay publishes again after %d failed attempts", consecutiveFailures);
                }
                consecutiveFailures = 0;
                pruneIfDue();
                if (result.pendingCount() < config.batchSize()) {
                    loop.awaitWake(config.pollInterval());
                    linger();
                }
            } catch (Exception e) {
                consecutiveFailures++;
                failures.increment();
                closeProducer();
                Duration backoff = backoff(consecutiveFailures);
                LOG.warnf("Outbox relay failed to publish (attempt %d), retrying in %s ms: %s", consecutiveFailures,
                        backoff.toMillis(), e.getMessage());
                loop.awaitWake(backoff);
            }
        }
    }

    /** Waits {@link OutboxConfig#linger()} unless the relay is stopping. */
    private void linger() {
        if (config.linger().isZero() || !loop.running()) {
            return;
        }
        try {
            Thread.sleep(config.linger().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private BatchResult publishBatch() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            if (!tryRelayLock(connection)) {
                return new BatchResult(0, 0, null);
            }
            List<PendingEvent> batch = loadPending(connection);
            if (batch.isEmpty()) {
                return new BatchResult(0, 0, null);
            }
            List<UUID> sent = new ArrayList<>();
            Exception failure = send(batch, sent);
            markPublished(connection, sent);
            LOG.debugf("Outbox relay published %d of %d events", sent.size(), batch.size());
            return new BatchResult(batch.size(), sent.size(), failure);
        }
    }

    /**
     * Sends the batch and fills {@code sent} with the ids the broker acknowledged. After a failure for a
     * key, later events of that key are not counted as sent, so the next attempt sends them again after
     * the failed one and their order holds. Returns the first failure, or null.
     */
    private Exception send(List<PendingEvent> batch, List<UUID> sent) {
        KafkaProducer<String, byte[]> kafka = producer();
        List<Future<RecordMetadata>> futures = new ArrayList<>(batch.size());
        Exception failure = null;
        for (PendingEvent event : batch) {
            try {
                futures.add(kafka.send(CloudEventRecords.toRecord(event, source)));
            } catch (RuntimeException e) {
                failure = e;
                break;
            }
        }
        kafka.flush();

        Set<String> failedKeys = new HashSet<>();
        long deadline = System.nanoTime() + config.deliveryTimeout().plusSeconds(5).toNanos();
        for (int i = 0; i < futures.size(); i++) {
            PendingEvent event = batch.get(i);
            try {
                futures.get(i).get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (!failedKeys.contains(event.key())) {
                    sent.add(event.id());
                }
            } catch (Exception e) {
                failedKeys.add(event.key());
                if (failure == null) {
                    failure = e;
                }
            }
        }
        return failure;
    }

    private boolean tryRelayLock(Connection connection) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_xact_lock(?)")) {
            lock.setLong(1, RELAY_LOCK_ID);
            try (ResultSet result = lock.executeQuery()) {
                return result.next() && result.getBoolean(1);
            }
        }
    }

    private List<PendingEvent> loadPending(Connection connection) throws SQLException {
        List<PendingEvent> batch = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(SELECT_PENDING)) {
            select.setInt(1, config.batchSize());
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    batch.add(new PendingEvent(rows.getObject(1, UUID.class), rows.getLong(2), rows.getString(3),
                            rows.getString(4), rows.getString(5), rows.getBytes(6), rows.getTimestamp(7).toInstant()));
                }
            }
        }
        return batch;
    }

    private void markPublished(Connection connection, List<UUID> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE outbox_event SET published_at = now() WHERE id = ANY (?)")) {
            Array array = connection.createArrayOf("uuid", ids.toArray());
            update.setArray(1, array);
            update.executeUpdate();
        }
    }

    private void pruneIfDue() {
        if (Instant.now().isBefore(nextPrune)) {
            return;
        }
        nextPrune = Instant.now().plus(config.pruneInterval());
        int[] deleted = QuarkusTransaction.requiringNew().call(() -> {
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement events = connection.prepareStatement(
                            "DELETE FROM outbox_event WHERE published_at < ?");
                    PreparedStatement processed = connection.prepareStatement(
                            "DELETE FROM processed_event WHERE processed_at < ?")) {
                events.setTimestamp(1, java.sql.Timestamp.from(Instant.now().minus(config.retention())));
                processed.setTimestamp(1, java.sql.Timestamp.from(Instant.now().minus(config.processedEventRetention())));
                return new int[] { events.executeUpdate(), processed.executeUpdate() };
            }
        });
        if (deleted[0] > 0 || deleted[1] > 0) {
            LOG.infof("Pruned %d published outbox events older than %s and %d processed-event ids older than %s",
                    deleted[0], config.retention(), deleted[1], config.processedEventRetention());
        }
    }

    private synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            Properties properties = new Properties();
            kafkaConfig.forEach((key, value) -> {
                if (key.equals("bootstrap.servers") || key.startsWith("security.") || key.startsWith("ssl.")
                        || key.startsWith("sasl.")) {
                    properties.put(key, value);
                }
            });
            long deliveryMillis = config.deliveryTimeout().toMillis();
            properties.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
            properties.put(ProducerConfig.ACKS_CONFIG, "all");
            properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            properties.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
            properties.put(ProducerConfig.LINGER_MS_CONFIG, 5);
            properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) (deliveryMillis / 2));
            properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) deliveryMillis);
            properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, deliveryMillis);
            producer = new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    private synchronized void closeProducer() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }

    private Duration backoff(int consecutiveFailures) {
        long millis = 200L << Math.min(consecutiveFailures, 10);
        return Duration.ofMillis(Math.min(millis, config.maxRetryBackoff().toMillis()));
    }

    /** Outcome of one relay cycle: rows loaded, rows acknowledged, and the first send failure or null. */
    private record BatchResult(int pendingCount, int publishedCount, Exception failure) {
    }
}
