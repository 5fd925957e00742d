package io.smimedelivery.policy;

import static io.restassured.RestAssured.given;
import static io.smimedelivery.policy.PolicyApi.addMember;
import static io.smimedelivery.policy.PolicyApi.assign;
import static io.smimedelivery.policy.PolicyApi.awaitJob;
import static io.smimedelivery.policy.PolicyApi.createPolicy;
import static io.smimedelivery.policy.PolicyApi.putGroup;
import static io.smimedelivery.policy.PolicyApi.putUser;
import static io.smimedelivery.policy.PolicyApi.uniqueId;
import static io.smimedelivery.policy.PolicyApi.validPolicy;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smimedelivery.events.CloudEventHeaders;
import io.smimedelivery.events.EventJson;
import io.smimedelivery.events.EventTypes;
import io.smimedelivery.events.PolicyAssigned;
import io.smimedelivery.events.PolicyUnassigned;
import io.smimedelivery.events.Topics;
import io.smimedelivery.infra.InfrastructureTestResource;

/** Fan-out read back from the real topic, as certificate-service and analytics consumers read it. */
@QuarkusTest
@WithTestResource(value = InfrastructureTestResource.class,
        initArgs = @ResourceArg(name = InfrastructureTestResource.DATABASE_ARG, value = "policy"))
class FanOutTest {

    private static final Duration SETTLE = Duration.ofSeconds(2);

    @Test
    void includeExcludeAndOverlap() {
        String included = uniqueId("grp-in");
        String alsoIncluded = uniqueId("grp-in2");
        String excluded = uniqueId("grp-ex");
        String anna = uniqueId("anna");
        String bruno = uniqueId("bruno");
        String carla = uniqueId("carla");
        for (String group : List.of(included, alsoIncluded, excluded)) {
            putGroup(group);
        }
        putUser(anna, anna + "@example.it", "it");
        putUser(bruno, bruno + "@example.it", "en");
        putUser(carla, carla + "@example.it", "it");
        addMember(included, anna);
        addMember(alsoIncluded, anna);
        addMember(included, bruno);
        addMember(included, carla);
        addMember(excluded, carla);
        String policy = createPolicy(validPolicy("Fan-out"));

        assign(policy, alsoIncluded, "INCLUDE");
        assign(policy, excluded, "EXCLUDE");
        Map<String, Object> job = awaitJob(assign(policy, included, "INCLUDE"));

        List<ConsumerRecord<String, byte[]>> annaRecords = records(anna, 1);
        assertEquals(1, annaRecords.size(), "a user in two included groups gets one assignment");
        ConsumerRecord<String, byte[]> record = annaRecords.get(0);
        assertEquals(anna, record.key());
        assertEquals(EventTypes.POLICY_ASSIGNED.name(), header(record, CloudEventHeaders.TYPE));
        assertEquals(anna, header(record, CloudEventHeaders.SUBJECT));
        assertEquals("/smime-delivery/policy-service", header(record, CloudEventHeaders.SOURCE));
        assertNotNull(header(record, CloudEventHeaders.ID));
        PolicyAssigned event = EventJson.fromBytes(record.value(), PolicyAssigned.class);
        assertEquals(policy, event.policyId());
        assertEquals(1, event.policyVersion());
        assertEquals(anna + "@example.it", event.email());
        assertEquals("it", event.preferredLanguage());
        assertEquals(true, event.settings().encryptAllMail());
        assertEquals(1, records(bruno, 1).size());
        assertEquals(0, records(carla, 0).size(), "an excluded user gets nothing");
        assertEquals("COMPLETED", job.get("status"));
    }

    @Test
    void joinAndLeaveFollowMembership() {
        String group = uniqueId("grp");
        String dario = uniqueId("dario");
        putGroup(group);
        putUser(dario, dario + "@example.it", "it");
        String policy = createPolicy(validPolicy("Membership"));
        awaitJob(assign(policy, group, "INCLUDE"));

        addMember(group, dario);
        assertEquals(EventTypes.POLICY_ASSIGNED.name(), header(records(dario, 1).get(0), CloudEventHeaders.TYPE));

        given().delete("/api/directory/groups/{g}/members/{u}", group, dario).then().statusCode(204);
        List<ConsumerRecord<String, byte[]>> records = records(dario, 2);
        assertEquals(2, records.size());
        PolicyUnassigned left = EventJson.fromBytes(records.get(1).value(), PolicyUnassigned.class);
        assertEquals("USER_LEFT_GROUP", left.reason());
        assertEquals(policy, left.policyId());
    }

    @Test
    void unassignAndDeleteEmitUnassigned() {
        String group = uniqueId("grp");
        String elena = uniqueId("elena");
        String fabio = uniqueId("fabio");
        putGroup(group);
        putUser(elena, elena + "@example.it", "it");
        addMember(group, elena);
        String first = createPolicy(validPolicy("Unassigned"));
        String second = createPolicy(validPolicy("Deleted"));
        awaitJob(assign(first, group, "INCLUDE"));
        awaitJob(assign(second, group, "INCLUDE"));

        awaitJob(given().delete("/api/policies/{p}/assignments/{g}", first, group).then().statusCode(202).extract().path("id"));
        awaitJob(given().delete("/api/policies/{p}", second).then().statusCode(202).extract().path("id"));

        List<String> reasons = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records(elena, 4)) {
            if (EventTypes.POLICY_UNASSIGNED.name().equals(header(record, CloudEventHeaders.TYPE))) {
                reasons.add(EventJson.fromBytes(record.value(), PolicyUnassigned.class).reason());
            }
        }
        assertEquals(List.of("POLICY_UNASSIGNED", "POLICY_DELETED"), reasons);
        assertEquals(0, records(fabio, 0).size());
    }

    @Test
    void newVersionReachesAssignedUsers() {
        String group = uniqueId("grp");
        String gino = uniqueId("gino");
        putGroup(group);
        putUser(gino, gino + "@example.it", "en");
        addMember(group, gino);
        Map<String, Object> settings = validPolicy("Edited");
        String policy = createPolicy(settings);
        awaitJob(assign(policy, group, "INCLUDE"));

        settings.put("signAllMail", false);
        given().contentType(ContentType.JSON).body(settings).put("/api/policies/{id}", policy).then().statusCode(200);

        List<ConsumerRecord<String, byte[]>> records = records(gino, 2);
        assertEquals(2, records.size());
        assertEquals(2, EventJson.fromBytes(records.get(1).value(), PolicyAssigned.class).policyVersion());
    }

    @Test
    void conflictVisibleForUser() {
        String group = uniqueId("grp");
        String ivo = uniqueId("ivo");
        putGroup(group);
        putUser(ivo, ivo + "@example.it", "it");
        addMember(group, ivo);
        Map<String, Object> signing = validPolicy("Signs all");
        Map<String, Object> notSigning = validPolicy("Signs none");
        notSigning.put("signAllMail", false);
        String first = createPolicy(signing);
        String second = createPolicy(notSigning);
        awaitJob(assign(first, group, "INCLUDE"));
        awaitJob(assign(second, group, "INCLUDE"));

        given().get("/api/directory/users/{id}/assignments", ivo).then().statusCode(200)
                .body("policies.size()", equalTo(2))
                .body("conflicts.setting", hasItem("signAllMail"))
                .body("conflicts.find { it.setting == 'signAllMail' }.valuesByPolicy." + first, equalTo(true))
                .body("conflicts.find { it.setting == 'signAllMail' }.valuesByPolicy." + second, equalTo(false));
    }

    @Test
    void appConfigurationRendered() {
        String policy = createPolicy(validPolicy("Rendered"));

        given().accept(ContentType.JSON).get("/api/policies/{id}/app-configuration", policy).then().statusCode(200)
                .body("'com.microsoft.outlook.Mail.SMIMEEnabled'", equalTo(true))
                .body("'com.microsoft.outlook.Mail.SMIMEEnabled.EncryptAllMail'", equalTo(true))
                .body("'com.microsoft.outlook.Mail.SMIMEEnabled.SignAllMail.UserChangeAllowed'", equalTo(false));
        String plist = given().accept("application/x-plist").get("/api/policies/{id}/app-configuration", policy)
                .then().statusCode(200).contentType("application/x-plist").extract().asString();
        assertEquals(true, plist.contains("<key>com.microsoft.outlook.Mail.SMIMEEnabled</key>"));
    }

    static List<ConsumerRecord<String, byte[]>> records(String key, int expected) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "fan-out-test-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            List<TopicPartition> partitions = List.of();
            while (partitions.isEmpty() && System.nanoTime() < deadline) {
                // The topic exists once the outbox relay has published the first event to it.
                partitions = consumer.partitionsFor(Topics.POLICY_ASSIGNMENTS).stream()
                        .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
                if (partitions.isEmpty() && expected == 0) {
                    return found;
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> endAtStart = consumer.endOffsets(partitions);
            long settleUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, settleUntil)) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(record.key())) {
                        found.add(record);
                    }
                }
                boolean caughtUp = partitions.stream().allMatch(p -> consumer.position(p) >= endAtStart.get(p));
                if (caughtUp && found.size() >= expected && settleUntil == Long.MAX_VALUE) {
                    settleUntil = System.nanoTime() + SETTLE.toNanos();
                }
            }
        }
        return found;
    }

    static String header(ConsumerRecord<String, byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
