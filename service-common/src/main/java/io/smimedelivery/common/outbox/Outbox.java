package io.smimedelivery.common.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.smimedelivery.common.concurrent.AfterCommit;
import io.smimedelivery.events.EventJson;
import io.smimedelivery.events.EventType;
import io.smimedelivery.events.EventTypes;

/**
 * Writes events to the outbox table in the caller's transaction, so an event exists exactly when the
 * state change it describes is committed. {@link OutboxRelay} publishes the rows afterwards.
 */
@ApplicationScoped
public class Outbox {

    private static final Logger LOG = Logger.getLogger(Outbox.class);
    private static final String INSERT_ALL = """
            INSERT INTO outbox_event (id, topic, record_key, event_type, payload, created_at)
            SELECT id, topic, record_key, event_type, payload::jsonb, ? FROM unnest(?::uuid[], ?::text[], ?::text[], ?::text[],
                ?::text[]) WITH ORDINALITY AS event(id, topic, record_key, event_type, payload, position)
            ORDER BY position""";

    private final DataSource dataSource;
    private final TransactionSynchronizationRegistry transactions;
    private final OutboxRelay relay;

    public Outbox(DataSource dataSource, TransactionSynchronizationRegistry transactions, OutboxRelay relay) {
        this.dataSource = dataSource;
        this.transactions = transactions;
        this.relay = relay;
    }

    /**
     * Adds an event to the outbox. Its type, topic and record key follow from the payload's class.
     *
     * @return the event id, which becomes the record's ce_id
     * @throws jakarta.transaction.TransactionRequiredException when called outside a transaction
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public UUID add(Object payload) {
        return addAll(List.of(payload)).get(0);
    }

    /**
     * Adds several events to the outbox in one statement, in list order, so their sequence numbers follow
     * that order. Types, topics and record keys follow from the payloads' classes as in {@link #add}.
     *
     * @return the event ids, in list order
     * @throws jakarta.transaction.TransactionRequiredException when called outside a transaction
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<UUID> addAll(List<?> payloads) {
        if (payloads.isEmpty()) {
            return List.of();
        }

        int count = payloads.size();
        UUID[] ids = new UUID[count];
        String[] topics = new String[count];
        String[] keys = new String[count];
        String[] types = new String[count];
        String[] bodies = new String[count];
        for (int i = 0; i < count; i++) {
            Object payload = payloads.get(i);
            EventType<?> type = EventTypes.forPayload(payload.getClass());
            ids[i] = UUID.randomUUID();
            topics[i] = type.topic();
            keys[i] = type.keyOf(payload);
            types[i] = type.name();
            bodies[i] = new String(EventJson.toBytes(payload), java.nio.charset.StandardCharsets.UTF_8);
        }

        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(INSERT_ALL)) {
            insert.setTimestamp(1, Timestamp.from(Instant.now()));
            insert.setArray(2, connection.createArrayOf("uuid", ids));
            insert.setArray(3, connection.createArrayOf("text", topics));
            insert.setArray(4, connection.createArrayOf("text", keys));
            insert.setArray(5, connection.createArrayOf("text", types));
            insert.setArray(6, connection.createArrayOf("text", bodies));
            insert.executeUpdate();
        } catch (SQLException e) {
            String events = count == 1 ? "event " + types[0] + " for key " + keys[0]
                    : count + " events (first " + types[0] + " for key " + keys[0] + ")";
            throw new IllegalStateException("Failed to write " + events + " to the outbox", e);
        }

        wakeRelayAfterCommit();
        if (count == 1) {
            LOG.debugf("Added event %s (%s) for key %s to the outbox", ids[0], types[0], keys[0]);
        } else {
            LOG.debugf("Added %d events to the outbox", count);
        }
        return List.of(ids);
    }

    private void wakeRelayAfterCommit() {
        AfterCommit.run(transactions, OutboxRelay.class, relay::wake);
    }
}
