package io.smimedelivery.common.messaging;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Future;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

import io.smimedelivery.events.CloudEventHeaders;
import io.smimedelivery.events.EndUserNotification;
import io.smimedelivery.events.EncryptionProfileType;
import io.smimedelivery.events.EventJson;
import io.smimedelivery.events.EventTypes;
import io.smimedelivery.events.PolicyAssigned;
import io.smimedelivery.events.PolicySettings;
import io.smimedelivery.events.SigningProfileType;

/** Plain Kafka clients and SQL queries that the tests use the way an outside reader would. */
final class MessagingTestSupport {

    private MessagingTestSupport() {
    }

    static PolicyAssigned assignment(String userId, String policyName) {
        PolicySettings settings = new PolicySettings(true, false, true, SigningProfileType.IMPORTED_PKCS,
                EncryptionProfileType.IMPORTED_PKCS, EndUserNotification.EMAIL, false, true, false, true, null, List.of(),
                null);
        return new PolicyAssigned("pol-test", 1, policyName, settings, userId, userId + "@example.it",
                userId + "@example.it", "it", Instant.now());
    }

    static String uniqueUser() {
        return "usr-" + UUID.randomUUID();
    }

    static String bootstrapServers() {
        return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    }

    /** Sends a record with CloudEvents headers as a producing service would. */
    static void sendEvent(String eventId, String key, byte[] value) throws Exception {
        sendRecord(eventRecord(eventId, key, value));
    }

    /** Returns a record with CloudEvents headers as a producing service would send it. */
    static ProducerRecord<String, byte[]> eventRecord(String eventId, String key, byte[] value) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(CloudEventHeaders.ID, eventId.getBytes(StandardCharsets.UTF_8));
        headers.add(CloudEventHeaders.TYPE, EventTypes.POLICY_ASSIGNED.name().getBytes(StandardCharsets.UTF_8));
        headers.add(CloudEventHeaders.SOURCE, "/test".getBytes(StandardCharsets.UTF_8));
        headers.add(CloudEventHeaders.SPEC_VERSION, "1.0".getBytes(StandardCharsets.UTF_8));
        headers.add(CloudEventHeaders.CONTENT_TYPE, "application/json".getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(EventTypes.POLICY_ASSIGNED.topic(), null, key, value, headers);
    }

    static void sendRecord(ProducerRecord<String, byte[]> record) throws Exception {
        sendRecords(List.of(record));
    }

    /** Sends {@code records} in order from one producer and waits until the broker has all of them. */
    static void sendRecords(List<ProducerRecord<String, byte[]>> records) throws Exception {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, "50");
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            List<Future<?>> sent = new ArrayList<>();
            for (ProducerRecord<String, byte[]> record : records) {
                sent.add(producer.send(record));
            }
            for (Future<?> one : sent) {
                one.get();
            }
        }
    }

    static byte[] json(PolicyAssigned event) {
        return EventJson.toBytes(event);
    }

    /**
     * Reads {@code topic} from the beginning with a new consumer group and returns the records whose key
     * is {@code key}: it waits until {@code expected} arrived (or {@code timeout} passed), then keeps
     * reading for {@code settle} to catch any extra copy.
     */
    static List<ConsumerRecord<String, byte[]>> recordsWithKey(String topic, String key, int expected,
            Duration timeout, Duration settle) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            long settleUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, settleUntil)) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(record.key())) {
                        found.add(record);
                    }
                }
                if (found.size() >= expected && settleUntil == Long.MAX_VALUE) {
                    settleUntil = System.nanoTime() + settle.toNanos();
                }
            }
        }
        return found;
    }

    static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** Returns the policy names the test consumer applied for {@code key}, in the order it applied them. */
    static List<String> appliedPolicyNames(String key) throws SQLException {
        return queryStrings("SELECT policy_name FROM applied_event WHERE record_key = ? ORDER BY sequence_number", key);
    }

    /**
     * Returns, per applied event of {@code key} in order, the id of the after-events call that covered it
     * and that call's event count, as "id size". The entry is null when no call covered the event.
     */
    static List<String> completions(String key) throws SQLException {
        return queryStrings("SELECT completion_id || ' ' || completion_size FROM applied_event WHERE record_key = ?"
                + " ORDER BY sequence_number", key);
    }

    static List<String> queryStrings(String sql, String... parameters) throws SQLException {
        var config = ConfigProvider.getConfig();
        try (Connection connection = DriverManager.getConnection(
                config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getOptionalValue("quarkus.datasource.password", String.class).orElse(""));
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            List<String> values = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    values.add(result.getString(1));
                }
            }
            return values;
        }
    }
}
