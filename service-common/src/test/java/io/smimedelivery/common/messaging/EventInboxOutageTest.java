package io.smimedelivery.common.messaging;

import static io.restassured.RestAssured.given;
import static io.smimedelivery.common.messaging.MessagingTestSupport.appliedPolicyNames;
import static io.smimedelivery.common.messaging.MessagingTestSupport.assignment;
import static io.smimedelivery.common.messaging.MessagingTestSupport.json;
import static io.smimedelivery.common.messaging.MessagingTestSupport.recordsWithKey;
import static io.smimedelivery.common.messaging.MessagingTestSupport.sendEvent;
import static io.smimedelivery.common.messaging.MessagingTestSupport.uniqueUser;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smimedelivery.events.Topics;
import io.smimedelivery.infra.InfrastructureTestResource;
import io.smimedelivery.infra.TcpProxy;

/**
 * Events that arrive while PostgreSQL cannot be reached wait for it instead of going to the dead-letter
 * topic. Readiness reports the outage, and liveness stays UP.
 */
@QuarkusTest
@WithTestResource(value = InfrastructureTestResource.class, initArgs = {
        @ResourceArg(name = InfrastructureTestResource.DATABASE_ARG, value = "common_outage"),
        @ResourceArg(name = InfrastructureTestResource.DATABASE_PROXY_ARG, value = "true") })
class EventInboxOutageTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String DLQ = Topics.deadLetterTopic(Topics.POLICY_ASSIGNMENTS);

    @Test
    void eventsWaitForTheDatabase() throws Exception {
        String user = uniqueUser();
        sendEvent(UUID.randomUUID().toString(), user, json(assignment(user, "before")));
        await().atMost(WAIT).until(() -> appliedPolicyNames(user).equals(List.of("before")));

        TcpProxy database = InfrastructureTestResource.databaseProxy();
        database.cut();
        try {
            sendEvent(UUID.randomUUID().toString(), user, json(assignment(user, "during-1")));
            sendEvent(UUID.randomUUID().toString(), user, json(assignment(user, "during-2")));
            await().atMost(WAIT).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(503));
            given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
            // Far longer than the three attempts with 50 ms backoff after which a failing record goes to the DLQ.
            Thread.sleep(4000);
        } finally {
            database.restore();
        }

        await().atMost(WAIT).until(() -> appliedPolicyNames(user).size() == 3);
        assertEquals(List.of("before", "during-1", "during-2"), appliedPolicyNames(user));
        await().atMost(WAIT).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
        assertEquals(0, recordsWithKey(DLQ, user, 1, Duration.ofSeconds(5), Duration.ZERO).size());
    }
}
