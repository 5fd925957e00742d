package io.smimedelivery.policy;

import static io.restassured.RestAssured.given;
import static io.smimedelivery.policy.PolicyApi.assign;
import static io.smimedelivery.policy.PolicyApi.awaitJob;
import static io.smimedelivery.policy.PolicyApi.createPolicy;
import static io.smimedelivery.policy.PolicyApi.putGroup;
import static io.smimedelivery.policy.PolicyApi.uniqueId;
import static io.smimedelivery.policy.PolicyApi.validPolicy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smimedelivery.events.EventJson;
import io.smimedelivery.events.PolicyAssigned;
import io.smimedelivery.events.Topics;
import io.smimedelivery.infra.InfrastructureTestResource;
import io.smimedelivery.policy.assignment.AssignmentJobRunner;

/**
 * A job over 1,000 users in batches of 50: the runner is stopped in the middle, the progress is read
 * from the API and the metrics, and after the runner starts again every user has exactly one event.
 */
@QuarkusTest
@TestProfile(AssignmentJobResumeTest.ManualRunner.class)
@WithTestResource(value = InfrastructureTestResource.class,
        initArgs = @ResourceArg(name = InfrastructureTestResource.DATABASE_ARG, value = "resume"))
class AssignmentJobResumeTest {

    private static final int USERS = 1000;

    /** The runner does not start by itself, so the test decides when batches run. */
    public static class ManualRunner implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("smime.assignment.runner-enabled", "false", "smime.assignment.batch-size", "50");
        }
    }

    @Inject
    AssignmentJobRunner runner;

    @Test
    void jobResumesWithoutDuplicates() {
        String prefix = uniqueId("big");
        String group = prefix + "-group";
        putGroup(group);
        StringBuilder users = new StringBuilder("id,userPrincipalName,email,displayName,preferredLanguage\n");
        StringBuilder members = new StringBuilder("groupId,userId\n");
        for (int i = 0; i < USERS; i++) {
            String id = String.format("%s-%04d", prefix, i);
            users.append(id).append(',').append(id).append("@example.it,").append(id).append("@example.it,User ").append(i).append(",it\n");
            members.append(group).append(',').append(id).append('\n');
        }
        given().contentType("text/csv").body(users.toString()).post("/api/directory/users/import")
                .then().statusCode(200).body("created", equalTo(USERS));
        given().contentType("text/csv").body(members.toString()).post("/api/directory/memberships/import")
                .then().statusCode(200).body("created", equalTo(USERS));
        String policy = createPolicy(validPolicy("Large group"));

        long started = System.nanoTime();
        String job = assign(policy, group, "INCLUDE");
        assertTrue(System.nanoTime() - started < Duration.ofSeconds(5).toNanos(), "the assignment returns at once");
        given().get("/api/assignment-jobs/{id}", job).then().body("status", equalTo("QUEUED"));

        for (int batch = 0; batch < 5; batch++) {
            assertTrue(runner.runOneBatch());
        }
        given().get("/api/assignment-jobs/{id}", job).then()
                .body("status", equalTo("RUNNING"))
                .body("total", equalTo(USERS))
                .body("done", equalTo(250))
                .body("failed", equalTo(0));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("smime_assignment_job_done 250.0"))
                .body(containsString("smime_assignment_job_total " + USERS + ".0"));

        runner.start();
        try {
            Map<String, Object> finished = awaitJob(job);
            assertEquals(USERS, finished.get("done"));
            assertEquals(USERS, finished.get("assigned"));
        } finally {
            runner.stop();
        }

        Map<String, Integer> perUser = assignedEventsPerUser(policy, USERS);
        assertEquals(USERS, perUser.size(), "every user got an event");
        assertEquals(List.of(1), perUser.values().stream().distinct().toList(), "no user got two");
    }

    private static Map<String, Integer> assignedEventsPerUser(String policyId, int expectedUsers) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "resume-test-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Map<String, Integer> perUser = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.POLICY_ASSIGNMENTS));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            long settleUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, settleUntil)) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(300))) {
                    try {
                        PolicyAssigned event = EventJson.fromBytes(record.value(), PolicyAssigned.class);
                        if (event.policyId().equals(policyId)) {
                            perUser.merge(event.userId(), 1, Integer::sum);
                        }
                    } catch (RuntimeException e) {
                        // Other event types on the topic are not counted.
                    }
                }
                if (perUser.size() >= expectedUsers && settleUntil == Long.MAX_VALUE) {
                    settleUntil = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                }
            }
        }
        return perUser;
    }
}
