package io.smimedelivery.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smimedelivery.events.CloudEventHeaders;
import io.smimedelivery.events.EventJson;
import io.smimedelivery.events.PolicyAssigned;
import io.smimedelivery.events.Topics;
import io.smimedelivery.infra.AdminTokens;
import io.smimedelivery.infra.ChildProcess;
import io.smimedelivery.infra.FreePorts;
import io.smimedelivery.infra.PostgresServer;
import io.smimedelivery.infra.TestInfrastructure;

/**
 * Runs the packaged policy-service as its own process, kills it with SIGKILL in the middle of a
 * fan-out job, starts it again, and checks that every user received exactly one assignment event.
 */
class AssignmentRestartIT {

    private static final int USERS = 2000;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path workDir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private String database;
    private int port;
    private ChildProcess service;
    private final AdminTokens tokens = AdminTokens.forTests();

    @AfterEach
    void stopService() {
        if (service != null) {
            service.close();
        }
        if (database != null) {
            TestInfrastructure.shared().dropDatabase(database);
        }
    }

    @Test
    void killedServiceResumesJobWithoutDuplicates() throws Exception {
        TestInfrastructure infrastructure = TestInfrastructure.shared();
        PostgresServer postgres = infrastructure.postgres();
        database = infrastructure.createDatabase("policyit");
        port = FreePorts.find();
        environment.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        environment.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        environment.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl(database));
        environment.put("QUARKUS_DATASOURCE_USERNAME", postgres.username());
        environment.put("QUARKUS_DATASOURCE_PASSWORD", postgres.password());
        environment.put("KAFKA_BOOTSTRAP_SERVERS", infrastructure.kafka().bootstrapServers());
        environment.put("SMIME_ASSIGNMENT_BATCH_SIZE", "10");
        environment.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", tokens.publicKeyFile().toString());
        environment.put("MP_JWT_VERIFY_ISSUER", AdminTokens.ISSUER);
        startService("first");

        String prefix = "r" + UUID.randomUUID().toString().substring(0, 6);
        String group = prefix + "-group";
        StringBuilder users = new StringBuilder("id,userPrincipalName,email,displayName,preferredLanguage\n");
        StringBuilder members = new StringBuilder("groupId,userId\n");
        for (int i = 0; i < USERS; i++) {
            String id = String.format("%s-%05d", prefix, i);
            users.append(id).append(',').append(id).append("@example.it,").append(id).append("@example.it,User ").append(i).append(",it\n");
            members.append(group).append(',').append(id).append('\n');
        }
        call("PUT", "/api/directory/groups/" + group, "application/json", "{\"displayName\": \"Restart\"}");
        assertEquals(USERS, call("POST", "/api/directory/users/import", "text/csv", users.toString()).get("created").asInt());
        assertEquals(USERS, call("POST", "/api/directory/memberships/import", "text/csv", members.toString()).get("created").asInt());
        String policy = call("POST", "/api/policies", "application/json", """
                {"name": "Restart", "smimeEnabled": true, "deployCertificates": true,
                 "signingCertificateProfileType": "IMPORTED_PKCS", "encryptionCertificateProfileType": "IMPORTED_PKCS",
                 "endUserNotification": "COMPANY_PORTAL"}""").get("id").asText();
        String job = call("PUT", "/api/policies/" + policy + "/assignments/" + group, "application/json",
                "{\"mode\": \"INCLUDE\"}").get("id").asText();

        JsonNode progress = awaitJob(job, state -> state.get("done").asInt() >= 200);
        ProcessHandle killed = ProcessHandle.of(service.pid()).orElseThrow();
        killed.destroyForcibly();
        killed.onExit().get();
        assertEquals("RUNNING", progress.get("status").asText(), "the job was killed in the middle");
        assertTrue(progress.get("done").asInt() < USERS, "the job was killed in the middle");

        startService("second");
        JsonNode finished = awaitJob(job, state -> state.get("status").asText().equals("COMPLETED"));
        assertEquals(USERS, finished.get("done").asInt());

        Map<String, Set<String>> eventIdsPerUser = assignedEventIds(policy);
        assertEquals(USERS, eventIdsPerUser.size(), "every user received the policy");
        for (Map.Entry<String, Set<String>> user : eventIdsPerUser.entrySet()) {
            assertEquals(1, user.getValue().size(), "user " + user.getKey() + " received one assignment event");
        }
    }

    private void startService(String name) throws Exception {
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath();
        assertTrue(Files.exists(jar), "packaged service at " + jar);
        service = ChildProcess.start("policy-service-" + name, List.of(jar.toString()), List.of("-Xmx256m"),
                "io.quarkus.bootstrap.runner.QuarkusEntryPoint", List.of(), environment,
                workDir.resolve("policy-service-" + name + ".log"));
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            assertTrue(service.isAlive(), "policy-service exited; see " + service.logFile());
            try {
                HttpResponse<String> ready = http.send(HttpRequest.newBuilder(uri("/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            }
            Thread.sleep(250);
        }
        throw new AssertionError("policy-service did not become ready; see " + service.logFile());
    }

    private JsonNode awaitJob(String job, java.util.function.Predicate<JsonNode> condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode state = call("GET", "/api/assignment-jobs/" + job, null, null);
            if (condition.test(state)) {
                return state;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("job " + job + " did not reach the expected state; see " + service.logFile());
    }

    private JsonNode call(String method, String path, String contentType, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .header("Authorization", "Bearer " + tokens.adminToken("restart-test", Duration.ofMinutes(30)));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(response.statusCode() < 300, method + " " + path + " answered " + response.statusCode() + ": " + response.body());
        return JSON.readTree(response.body().isEmpty() ? "{}" : response.body());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static Map<String, Set<String>> assignedEventIds(String policyId) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.shared().kafka().bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "restart-it-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Map<String, Set<String>> perUser = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.POLICY_ASSIGNMENTS));
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            long settleUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, settleUntil)) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(300))) {
                    PolicyAssigned event = EventJson.fromBytes(record.value(), PolicyAssigned.class);
                    if (event.policyId().equals(policyId)) {
                        String id = new String(record.headers().lastHeader(CloudEventHeaders.ID).value(), StandardCharsets.UTF_8);
                        perUser.computeIfAbsent(event.userId(), user -> new HashSet<>()).add(id);
                    }
                }
                if (perUser.size() >= USERS && settleUntil == Long.MAX_VALUE) {
                    settleUntil = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                }
            }
        }
        return perUser;
    }
}
