package io.smimedelivery.infra;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

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
import io.smimedelivery.events.EventJson;
import io.smimedelivery.events.EventType;
import io.smimedelivery.events.EventTypes;

/**
 * Sends events to the real topics as the producing services would, and records every record of the
 * topics a test watches, from the beginning, on a thread of its own.
 */
public final class TopicTraffic implements AutoCloseable {

    private final List<ConsumerRecord<String, byte[]>> records = new CopyOnWriteArrayList<>();
    private final Thread reader;
    private volatile boolean running = true;

    public TopicTraffic(String... topics) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "1000");
        reader = new Thread(() -> {
            try (KafkaConsumer<String, byte[]> consumer =
                    new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
                consumer.subscribe(List.of(topics));
                while (running) {
                    consumer.poll(Duration.ofMillis(100)).forEach(records::add);
                }
            }
        }, "topic-traffic");
        reader.setDaemon(true);
        reader.start();
    }

    public static String bootstrapServers() {
        return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    }

    /** Sends an event with a new id; returns the id. */
    public static String send(Object payload) {
        String id = UUID.randomUUID().toString();
        send(id, payload);
        return id;
    }

    /** Sends an event with the given ce_id, as a producer does when it sends an event again. */
    public static void send(String eventId, Object payload) {
        EventType<?> type = EventTypes.forPayload(payload.getClass());
        RecordHeaders headers = new RecordHeaders();
        headers.add(CloudEventHeaders.ID, eventId.getBytes(StandardCharsets.UTF_8));
        headers.add(CloudEventHeaders.TYPE, type.name().getBytes(StandardCharsets.UTF_8));
        headers.add(CloudEventHeaders.SOURCE, "/test".getBytes(StandardCharsets.UTF_8));
        headers.add(CloudEventHeaders.SPEC_VERSION, "1.0".getBytes(StandardCharsets.UTF_8));
        headers.add(CloudEventHeaders.CONTENT_TYPE, "application/json".getBytes(StandardCharsets.UTF_8));
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(type.topic(), null, type.keyOf(payload), EventJson.toBytes(payload), headers))
                    .get();
        } catch (Exception e) {
            throw new IllegalStateException("Sending " + type.name() + " failed", e);
        }
    }

    public List<ConsumerRecord<String, byte[]>> records() {
        return List.copyOf(records);
    }

    /** Returns the payloads of type {@code payloadType} that match {@code filter}. */
    public <T> List<T> events(Class<T> payloadType, Predicate<T> filter) {
        EventType<?> type = EventTypes.forPayload(payloadType);
        List<T> found = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            if (type.name().equals(header(record, CloudEventHeaders.TYPE))) {
                T payload = EventJson.fromBytes(record.value(), payloadType);
                if (filter.test(payload)) {
                    found.add(payload);
                }
            }
        }
        return found;
    }

    /** Waits until at least {@code count} events of the type match, and returns them. */
    public <T> List<T> await(Class<T> payloadType, Predicate<T> filter, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<T> found = events(payloadType, filter);
            if (found.size() >= count) {
                return found;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Expected " + count + " " + payloadType.getSimpleName() + " events within "
                        + timeout + ", found " + found.size() + ": " + found);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted", e);
            }
        }
    }

    public static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        reader.join(5000);
    }
}
