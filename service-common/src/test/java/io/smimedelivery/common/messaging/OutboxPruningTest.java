package io.smimedelivery.common.messaging;

import static io.smimedelivery.common.messaging.MessagingTestSupport.assignment;
import static io.smimedelivery.common.messaging.MessagingTestSupport.queryStrings;
import static io.smimedelivery.common.messaging.MessagingTestSupport.uniqueUser;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smimedelivery.common.outbox.Outbox;
import io.smimedelivery.infra.InfrastructureTestResource;

@QuarkusTest
@TestProfile(OutboxPruningTest.ShortRetention.class)
@WithTestResource(value = InfrastructureTestResource.class,
        initArgs = @ResourceArg(name = InfrastructureTestResource.DATABASE_ARG, value = "pruning"))
class OutboxPruningTest {

    /** Retention of one second, checked every second. */
    public static class ShortRetention implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("smime.outbox.retention", "1s",
                    "smime.outbox.processed-event-retention", "1s",
                    "smime.outbox.prune-interval", "1s");
        }
    }

    @Inject
    Outbox outbox;

    @Test
    void publishedEventPrunedAfterRetention() throws Exception {
        String user = uniqueUser();
        UUID id = QuarkusTransaction.requiringNew().call(() -> outbox.add(assignment(user, "pruned")));

        await().atMost(Duration.ofSeconds(60)).until(() -> queryStrings(
                "SELECT published_at::text FROM outbox_event WHERE id = ?::uuid AND published_at IS NOT NULL",
                id.toString()).size() == 1);
        await().atMost(Duration.ofSeconds(60)).until(() -> queryStrings(
                "SELECT id::text FROM outbox_event WHERE id = ?::uuid", id.toString()).isEmpty());
        await().atMost(Duration.ofSeconds(60)).until(() -> queryStrings(
                "SELECT event_id FROM processed_event WHERE event_id = ?", id.toString()).isEmpty());

        assertEquals(List.of(), queryStrings("SELECT id::text FROM outbox_event WHERE record_key = ?", user));
    }
}
