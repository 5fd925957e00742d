package io.smimedelivery.common.messaging;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionStage;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smimedelivery.common.inbox.EventInbox;
import io.smimedelivery.common.inbox.ReceivedEvent;
import io.smimedelivery.events.PolicyAssigned;

/**
 * Test consumer: records every PolicyAssigned in applied_event, and its after-events hook marks the rows
 * of each call. A policy named {@code fail-always} makes the handler fail on every attempt, and
 * {@code fail-once} on the first attempt only.
 */
@ApplicationScoped
public class AssignmentRecorder {

    static final String CONSUMER = "assignment-recorder";

    private final EventInbox inbox;
    private final DataSource dataSource;
    private final Set<String> failedOnce = ConcurrentHashMap.newKeySet();

    public AssignmentRecorder(EventInbox inbox, DataSource dataSource) {
        this.inbox = inbox;
        this.dataSource = dataSource;
    }

    @Incoming("assignments")
    @Blocking
    public CompletionStage<Void> consume(KafkaRecordBatch<String, byte[]> batch) {
        return inbox.processBatch(CONSUMER, batch, null, event -> {
            PolicyAssigned assigned = event.payload(PolicyAssigned.class);
            if (assigned.policyName().equals("fail-always")) {
                throw new IllegalStateException("test handler failure for " + event.id());
            }
            if (assigned.policyName().equals("fail-once") && failedOnce.add(event.id())) {
                throw new IllegalStateException("first attempt fails for " + event.id());
            }
            try (Connection connection = dataSource.getConnection(); PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO applied_event (event_id, record_key, policy_name) VALUES (?, ?, ?)")) {
                insert.setString(1, event.id());
                insert.setString(2, event.key());
                insert.setString(3, assigned.policyName());
                insert.executeUpdate();
            }
        }, applied -> {
            try (Connection connection = dataSource.getConnection(); PreparedStatement update = connection.prepareStatement(
                    "UPDATE applied_event SET completion_id = ?, completion_size = ? WHERE event_id = ANY (?)")) {
                update.setString(1, UUID.randomUUID().toString());
                update.setInt(2, applied.size());
                update.setArray(3, connection.createArrayOf("text", applied.stream().map(ReceivedEvent::id).toArray()));
                update.executeUpdate();
            }
        });
    }
}
