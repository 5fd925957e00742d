package io.smimedelivery.infra;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.quarkus.runtime.configuration.MemorySize;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;

/**
 * Checks that every service makes of its infrastructure: its own PostgreSQL database with the shared
 * migrations applied, the real Kafka broker, readiness, API docs, metrics and problem responses. A
 * service test extends this class and adds {@code @QuarkusTest} and
 * {@code @WithTestResource(InfrastructureTestResource.class)} with its database prefix.
 */
public abstract class ServiceFoundationTestBase {

    /** Returns the database name prefix that the subclass passed to {@link InfrastructureTestResource}. */
    protected abstract String databasePrefix();

    /**
     * Returns who may call each endpoint of the service, keyed by method and OpenAPI path template, such
     * as {@code "GET /api/policies/{id}"}; {@link #everyEndpointAdmitsOnlyItsCallers} checks each.
     */
    protected abstract java.util.Map<String, EndpointSecurityWalk.Rule> endpointRules();

    @Test
    void everyEndpointAdmitsOnlyItsCallers(@org.junit.jupiter.api.io.TempDir java.nio.file.Path otherKey) {
        EndpointSecurityWalk.check(endpointRules(), otherKey);
    }

    @Test
    void databaseIsOwnAndWritable() throws SQLException {
        Config config = ConfigProvider.getConfig();
        String url = config.getValue("quarkus.datasource.jdbc.url", String.class);
        String user = config.getValue("quarkus.datasource.username", String.class);
        String password = config.getOptionalValue("quarkus.datasource.password", String.class).orElse("");
        UUID eventId = UUID.randomUUID();

        try (Connection connection = DriverManager.getConnection(url, user, password)) {
            assertTrue(queryString(connection, "SELECT current_database()").startsWith(databasePrefix() + "_t"),
                    "the service uses a database of its own");
            assertEquals("true", queryString(connection,
                    "SELECT bool_and(success)::text FROM flyway_schema_history WHERE version IS NOT NULL"));

            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO outbox_event (id, topic, record_key, event_type, payload) VALUES (?, ?, ?, ?, ?::jsonb)")) {
                insert.setObject(1, eventId);
                insert.setString(2, "foundation.check");
                insert.setString(3, "key-1");
                insert.setString(4, "io.smimedelivery.foundation.checked.v1");
                insert.setString(5, "{\"ok\":true}");
                assertEquals(1, insert.executeUpdate());
            }
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT payload->>'ok', published_at FROM outbox_event WHERE id = ?")) {
                select.setObject(1, eventId);
                try (ResultSet result = select.executeQuery()) {
                    assertTrue(result.next());
                    assertEquals("true", result.getString(1));
                    assertEquals(null, result.getTimestamp(2));
                }
            }
        }
    }

    @Test
    void kafkaRoundTrip() throws Exception {
        String bootstrapServers = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        String topic = databasePrefix() + ".foundation." + UUID.randomUUID();
        String value = "round trip " + UUID.randomUUID();

        Properties producerConfig = new Properties();
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "key-1", value)).get();
        }

        Properties consumerConfig = new Properties();
        consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, databasePrefix() + "-foundation-check");
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (received.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(received::add);
            }
        }

        assertEquals(1, received.size());
        assertEquals("key-1", received.get(0).key());
        assertEquals(value, received.get(0).value());
    }

    @Test
    void readinessCoversDatabaseAndKafka() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("Database connections health check", "Kafka broker"));
        given().when().get("/q/health/live")
                .then().statusCode(200)
                .body("status", equalTo("UP"));
    }

    @Test
    void apiDocsAndMetricsServed() {
        given().when().get("/q/openapi?format=json").then().statusCode(200)
                .body("openapi", containsString("3."))
                .body("components.schemas.ProblemDetail.properties.errors.type", equalTo("array"));
        given().when().get("/q/swagger-ui/").then().statusCode(200);
        given().when().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
    }

    @Test
    void unknownPathIsProblemDocument() {
        given().when().get("/no-such-resource")
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404))
                .body("title", equalTo("Not Found"))
                .body("instance", equalTo("/no-such-resource"));
    }

    /**
     * Announces a body one byte over the service's max-body-size and sends none of it, as a client does
     * after Expect: 100-continue until the server requests the body. The service must reject the
     * request from its headers. A raw socket is used because the JDK 17.0.15 HttpClient did not return,
     * despite a request timeout, when the response to Expect: 100-continue was a final status.
     */
    @Test
    void oversizedBodyIsProblemDocument() throws Exception {
        long limit = ConfigProvider.getConfig().getValue("quarkus.http.limits.max-body-size", MemorySize.class)
                .asLongValue();
        String request = "POST /api/any-path HTTP/1.1\r\n"
                + "Host: localhost:" + RestAssured.port + "\r\n"
                + "Content-Type: application/json\r\n"
                + "Content-Length: " + (limit + 1) + "\r\n"
                + "Expect: 100-continue\r\n\r\n";

        String response;
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            // The service closes the connection after the response, so the stream ends there.
            response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }

        int headerEnd = response.indexOf("\r\n\r\n");
        assertTrue(headerEnd > 0, "no complete response: " + response);
        String head = response.substring(0, headerEnd).toLowerCase(Locale.ROOT);
        assertTrue(head.startsWith("http/1.1 413 "), head);
        assertTrue(head.contains("\r\ncontent-type: application/problem+json"), head);
        JsonPath problem = JsonPath.from(response.substring(headerEnd + 4));
        assertEquals(413, problem.getInt("status"));
        assertEquals("urn:smime-delivery:problem:body-too-large", problem.getString("type"));
        assertEquals("/api/any-path", problem.getString("instance"));
        assertTrue(problem.getString("detail").contains("quarkus.http.limits.max-body-size"), problem.getString("detail"));
        assertTrue(problem.getString("detail").contains(Long.toString(limit)), problem.getString("detail"));
        assertEquals("body", problem.getString("errors[0].field"));
        assertEquals((limit + 1) + " bytes", problem.getString("errors[0].value"));
    }

    private static String queryString(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql); ResultSet result = statement.executeQuery()) {
            assertTrue(result.next(), "no row from " + sql);
            return result.getString(1);
        }
    }
}
