package io.smimedelivery.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smimedelivery.device.status.RetrievalEvent;
import io.smimedelivery.device.status.StatusTracker;
import io.smimedelivery.infra.InfrastructureTestResource;

/**
 * StatusTracker writes the events queued in one transaction with a fixed number of statements. The result
 * must equal applying each event in a transaction of its own.
 */
@QuarkusTest
@WithTestResource(value = InfrastructureTestResource.class,
        initArgs = @ResourceArg(name = InfrastructureTestResource.DATABASE_ARG, value = "device"))
class StatusTrackerTest {

    private static final Instant AT = Instant.parse("2026-12-01T08:00:00Z");

    @Inject
    StatusTracker tracker;

    @Inject
    DataSource dataSource;

    private static List<RetrievalEvent> lifecycle(String packageId) {
        return List.of(new RetrievalEvent.Enrolled(AT), new RetrievalEvent.Assigned(1, AT.plusSeconds(1)),
                new RetrievalEvent.Ready(packageId, 1, List.of("a".repeat(64)), AT.plusSeconds(2), false),
                new RetrievalEvent.Notified(1, AT.plusSeconds(3)),
                new RetrievalEvent.Retrieved(packageId, 1, AT.plusSeconds(4)));
    }

    @Test
    void queuedEventsMatchSeparateTransactions() throws SQLException {
        String userId = "usr-" + UUID.randomUUID();
        String policyId = "pol-" + UUID.randomUUID();
        String together = "dev-" + UUID.randomUUID();
        String other = "dev-" + UUID.randomUUID();
        String apart = "dev-" + UUID.randomUUID();
        List<RetrievalEvent> events = lifecycle("pkg-1");

        QuarkusTransaction.requiringNew().run(() -> {
            for (RetrievalEvent event : events) {
                tracker.apply(together, policyId, userId, event);
                tracker.apply(other, policyId, userId, event);
            }
        });
        for (RetrievalEvent event : events) {
            QuarkusTransaction.requiringNew().run(() -> tracker.apply(apart, policyId, userId, event));
        }

        List<String> expected = states(tracker.transitionsOf(apart, 100));
        assertEquals(List.of("none>PENDING", "PENDING>READY", "READY>NOTIFIED", "NOTIFIED>RETRIEVED"), expected);
        assertEquals(expected, states(tracker.transitionsOf(together, 100)));
        assertEquals(expected, states(tracker.transitionsOf(other, 100)));
        assertEquals("RETRIEVED", tracker.status(together, policyId).orElseThrow().state());
        // The outbox contains the published changes of each device in the order of its transitions.
        assertEquals(List.of("PENDING", "READY", "NOTIFIED", "RETRIEVED"), publishedStates(together));
        assertEquals(List.of("PENDING", "READY", "NOTIFIED", "RETRIEVED"), publishedStates(other));
    }

    @Test
    void readsInTheTransactionSeeQueuedEvents() {
        String userId = "usr-" + UUID.randomUUID();
        String policyId = "pol-" + UUID.randomUUID();
        String deviceId = "dev-" + UUID.randomUUID();
        List<RetrievalEvent> events = lifecycle("pkg-2");

        List<String> seen = QuarkusTransaction.requiringNew().call(() -> {
            List<String> states = new ArrayList<>();
            tracker.apply(deviceId, policyId, userId, events.get(0));
            tracker.apply(deviceId, policyId, userId, events.get(1));
            states.add(tracker.status(deviceId, policyId).orElseThrow().state());
            assertEquals(List.of(policyId), tracker.policiesOf(deviceId));
            tracker.apply(deviceId, policyId, userId, events.get(2));
            states.add(tracker.status(deviceId, policyId).orElseThrow().state());
            return states;
        });

        assertEquals(List.of("PENDING", "READY"), seen);
        assertEquals(List.of("none>PENDING", "PENDING>READY"), states(tracker.transitionsOf(deviceId, 100)));
    }

    @Test
    void rolledBackTransactionLeavesNoRow() {
        String deviceId = "dev-" + UUID.randomUUID();
        String policyId = "pol-" + UUID.randomUUID();

        assertThrows(IllegalStateException.class, () -> QuarkusTransaction.requiringNew().run(() -> {
            tracker.apply(deviceId, policyId, "usr-1", new RetrievalEvent.Enrolled(AT));
            throw new IllegalStateException("the caller fails after queuing");
        }));

        assertFalse(tracker.status(deviceId, policyId).isPresent());
        assertTrue(tracker.transitionsOf(deviceId, 10).isEmpty());
    }

    @Test
    void applyNeedsATransaction() {
        IllegalStateException rejected = assertThrows(IllegalStateException.class,
                () -> tracker.apply("dev-x", "pol-x", "usr-x", new RetrievalEvent.Enrolled(AT)));
        assertEquals("Status changes need a transaction", rejected.getMessage());
    }

    private static List<String> states(List<StatusTracker.Transition> transitions) {
        return transitions.stream()
                .map(transition -> (transition.fromState() == null ? "none" : transition.fromState()) + ">"
                        + transition.toState())
                .toList();
    }

    private List<String> publishedStates(String deviceId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT payload->>'to' FROM outbox_event"
                        + " WHERE payload->>'deviceId' = ? ORDER BY sequence_number")) {
            select.setString(1, deviceId);
            List<String> states = new ArrayList<>();
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    states.add(result.getString(1));
                }
            }
            return states;
        }
    }
}
