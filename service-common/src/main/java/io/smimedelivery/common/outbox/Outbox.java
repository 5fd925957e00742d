package io.smimedelivery.common.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
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
    private static final String INSERT = "INSERT INTO outbox_event (id, topic, record_key, event_type, payload, created_at)"
            + " VALUES (?, ?, ?, ?, ?::jsonb, ?)";

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
        EventType<?> type = EventTypes.forPayload(payload.getClass());
        UUID id = UUID.randomUUID();
        String key = type.keyOf(payload);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setObject(1, id);
            insert.setString(2, type.topic());
            insert.setString(3, key);
            insert.setString(4, type.name());
            insert.setString(5, new String(EventJson.toBytes(payload), java.nio.charset.StandardCharsets.UTF_8));
            insert.setTimestamp(6, Timestamp.from(Instant.now()));
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to write event " + type.name() + " for key " + key + " to the outbox", e);
        }
        wakeRelayAfterCommit();
        LOG.debugf("Added event %s (%s) for key %s to the outbox", id, type.name(), key);
        return id;
    }

    private void wakeRelayAfterCommit() {
        AfterCommit.run(transactions, OutboxRelay.class, relay::wake);
    }
}
