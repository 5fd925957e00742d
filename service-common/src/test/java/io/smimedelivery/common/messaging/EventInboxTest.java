package io.smimedelivery.common.messaging;

import static io.restassured.RestAssured.given;
import static io.smimedelivery.common.messaging.MessagingTestSupport.appliedPolicyNames;
import static io.smimedelivery.common.messaging.MessagingTestSupport.assignment;
import static io.smimedelivery.common.messaging.MessagingTestSupport.completions;
import static io.smimedelivery.common.messaging.MessagingTestSupport.eventRecord;
import static io.smimedelivery.common.messaging.MessagingTestSupport.header;
import static io.smimedelivery.common.messaging.MessagingTestSupport.json;
import static io.smimedelivery.common.messaging.MessagingTestSupport.recordsWithKey;
import static io.smimedelivery.common.messaging.MessagingTestSupport.sendEvent;
import static io.smimedelivery.common.messaging.MessagingTestSupport.sendRecord;
import static io.smimedelivery.common.messaging.MessagingTestSupport.sendRecords;
import static io.smimedelivery.common.messaging.MessagingTestSupport.uniqueUser;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smimedelivery.events.CloudEventHeaders;
import io.smimedelivery.events.Topics;
import io.smimedelivery.infra.InfrastructureTestResource;

@QuarkusTest
@WithTestResource(value = InfrastructureTestResource.class,
        initArgs = @ResourceArg(name = InfrastructureTestResource.DATABASE_ARG, value = "common"))
class EventInboxTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String DLQ = Topics.deadLetterTopic(Topics.POLICY_ASSIGNMENTS);

    @Inject
    MeterRegistry registry;

    @Test
    void sameEventTwiceAppliedOnce() throws Exception {
        String user = uniqueUser();
        String eventId = UUID.randomUUID().toString();
        byte[] value = json(assignment(user, "twice"));

        sendEvent(eventId, user, value);
        sendEvent(eventId, user, value);
        sendEvent(UUID.randomUUID().toString(), user, json(assignment(user, "after")));

        await().atMost(WAIT).until(() -> appliedPolicyNames(user).contains("after"));
        assertEquals(List.of("twice", "after"), appliedPolicyNames(user));
        assertTrue(registry.get("smime.events.consumed").tag("outcome", "duplicate").counter().count() >= 1);
    }

    @Test
    void poisonRecordDeadLetteredInOrder() throws Exception {
        String user = uniqueUser();
        String poisonId = UUID.randomUUID().toString();
        double deadLetteredBefore = deadLettered();

        sendEvent(UUID.randomUUID().toString(), user, json(assignment(user, "A")));
        sendEvent(poisonId, user, "not-json{".getBytes(StandardCharsets.UTF_8));
        sendEvent(UUID.randomUUID().toString(), user, json(assignment(user, "B")));

        await().atMost(WAIT).until(() -> appliedPolicyNames(user).size() == 2);
        assertEquals(List.of("A", "B"), appliedPolicyNames(user));

        List<ConsumerRecord<String, byte[]>> dead = recordsWithKey(DLQ, user, 1, WAIT, Duration.ofSeconds(1));
        assertEquals(1, dead.size());
        ConsumerRecord<String, byte[]> record = dead.get(0);
        assertArrayEquals("not-json{".getBytes(StandardCharsets.UTF_8), record.value(), "original value");
        assertEquals(poisonId, header(record, CloudEventHeaders.ID), "original headers kept");
        assertEquals(Topics.POLICY_ASSIGNMENTS, header(record, "dead-letter-topic"));
        assertNotNull(header(record, "dead-letter-partition"));
        assertNotNull(header(record, "dead-letter-offset"));
        assertTrue(header(record, "dead-letter-reason").startsWith("Invalid PolicyAssigned payload"),
                header(record, "dead-letter-reason"));
        assertNotNull(header(record, "dead-letter-exception-class-name"));
        assertEquals(deadLetteredBefore + 1, deadLettered());

        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void failingHandlerDeadLetteredAfterRetries() throws Exception {
        String user = uniqueUser();
        sendEvent(UUID.randomUUID().toString(), user, json(assignment(user, "fail-always")));
        sendEvent(UUID.randomUUID().toString(), user, json(assignment(user, "next")));

        await().atMost(WAIT).until(() -> appliedPolicyNames(user).contains("next"));
        assertEquals(List.of("next"), appliedPolicyNames(user), "the failing event left no effect");
        List<ConsumerRecord<String, byte[]>> dead = recordsWithKey(DLQ, user, 1, WAIT, Duration.ofSeconds(1));
        assertEquals(1, dead.size());
        assertTrue(header(dead.get(0), "dead-letter-reason").startsWith("test handler failure"),
                header(dead.get(0), "dead-letter-reason"));
    }

    @Test
    void batchDeadLettersOnlyFailingRecords() throws Exception {
        String user = uniqueUser();
        double splitBefore = batchesSplit();
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        String repeatedId = UUID.randomUUID().toString();
        for (int i = 0; i < 30; i++) {
            String name = "e" + i;
            if (i == 10) {
                records.add(eventRecord(UUID.randomUUID().toString(), user, "not-json{".getBytes(StandardCharsets.UTF_8)));
            } else if (i == 15) {
                records.add(eventRecord(UUID.randomUUID().toString(), user, json(assignment(user, "fail-always"))));
            } else if (i == 20) {
                // The id of e5 again: a redelivered copy inside the same batch.
                records.add(eventRecord(repeatedId, user, json(assignment(user, "e5"))));
            } else {
                records.add(eventRecord(i == 5 ? repeatedId : UUID.randomUUID().toString(), user,
                        json(assignment(user, name))));
                expected.add(name);
            }
        }
        sendRecords(records);

        await().atMost(WAIT).until(() -> appliedPolicyNames(user).contains("e29"));
        assertEquals(expected, appliedPolicyNames(user));
        List<ConsumerRecord<String, byte[]>> dead = recordsWithKey(DLQ, user, 2, WAIT, Duration.ofSeconds(1));
        assertEquals(2, dead.size(), "the two failing records reach the dead-letter topic, and only they");
        assertTrue(header(dead.get(0), "dead-letter-reason").startsWith("Invalid PolicyAssigned payload"),
                header(dead.get(0), "dead-letter-reason"));
        assertTrue(header(dead.get(1), "dead-letter-reason").startsWith("test handler failure"),
                header(dead.get(1), "dead-letter-reason"));
        assertTrue(batchesSplit() > splitBefore, "the failing handler made the batch apply its records one at a time");
        assertEachEventCompletedOnce(user);
    }

    @Test
    void afterEventsRunsOncePerBatch() throws Exception {
        String user = uniqueUser();
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            records.add(eventRecord(UUID.randomUUID().toString(), user, json(assignment(user, "b" + i))));
        }
        sendRecords(records);

        await().atMost(WAIT).until(() -> appliedPolicyNames(user).size() == 10);
        assertEachEventCompletedOnce(user);
        long calls = completions(user).stream().distinct().count();
        assertTrue(calls < 10, "records sent together share an after-events call; calls: " + calls);
    }

    /** Checks that each applied event went to exactly one after-events call, with the other events of that call. */
    private static void assertEachEventCompletedOnce(String user) throws Exception {
        List<String> completions = completions(user);
        for (String completion : completions) {
            assertNotNull(completion, "every applied event went through the after-events hook");
            long covered = completions.stream().filter(completion::equals).count();
            assertEquals(Long.parseLong(completion.split(" ")[1]), covered, "events of call " + completion);
        }
    }

    @Test
    void transientFailureRetried() throws Exception {
        String user = uniqueUser();
        sendEvent(UUID.randomUUID().toString(), user, json(assignment(user, "fail-once")));

        await().atMost(WAIT).until(() -> appliedPolicyNames(user).size() == 1);
        assertEquals(List.of("fail-once"), appliedPolicyNames(user));
        assertEquals(0, recordsWithKey(DLQ, user, 1, Duration.ofSeconds(2), Duration.ZERO).size());
    }

    @Test
    void unknownEventTypeIgnored() throws Exception {
        String user = uniqueUser();
        RecordHeaders headers = new RecordHeaders();
        headers.add(CloudEventHeaders.ID, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        headers.add(CloudEventHeaders.TYPE, "io.smimedelivery.policy.renamed.v1".getBytes(StandardCharsets.UTF_8));
        sendRecord(new ProducerRecord<>(Topics.POLICY_ASSIGNMENTS, null, user, "{}".getBytes(StandardCharsets.UTF_8), headers));
        sendEvent(UUID.randomUUID().toString(), user, json(assignment(user, "known")));

        await().atMost(WAIT).until(() -> appliedPolicyNames(user).size() == 1);
        assertEquals(List.of("known"), appliedPolicyNames(user));
        assertEquals(0, recordsWithKey(DLQ, user, 1, Duration.ofSeconds(2), Duration.ZERO).size());
    }

    @Test
    void missingEventIdDeadLettered() throws Exception {
        String user = uniqueUser();
        RecordHeaders headers = new RecordHeaders();
        headers.add(CloudEventHeaders.TYPE, "io.smimedelivery.policy.assigned.v1".getBytes(StandardCharsets.UTF_8));
        sendRecord(new ProducerRecord<>(Topics.POLICY_ASSIGNMENTS, null, user, json(assignment(user, "no id")), headers));

        List<ConsumerRecord<String, byte[]>> dead = recordsWithKey(DLQ, user, 1, WAIT, Duration.ofSeconds(1));
        assertEquals(1, dead.size());
        assertEquals("Missing header ce_id", header(dead.get(0), "dead-letter-reason"));
    }

    private double batchesSplit() {
        var counter = registry.find("smime.events.batches.split").tag("consumer", AssignmentRecorder.CONSUMER).counter();
        return counter == null ? 0 : counter.count();
    }

    private double deadLettered() {
        var counter = registry.find("smime.events.dead.lettered").tag("consumer", AssignmentRecorder.CONSUMER).counter();
        return counter == null ? 0 : counter.count();
    }
}
