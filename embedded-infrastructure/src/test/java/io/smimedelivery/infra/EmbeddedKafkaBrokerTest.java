package io.smimedelivery.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerTest {

    @TempDir
    Path dataDir;

    @Test
    void brokerRoundTripAndCleanStop() throws Exception {
        long pid;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir, 0, 0, 3)) {
            pid = broker.pid();
            assertTrue(ProcessHandle.of(pid).isPresent(), "broker process runs");

            produce(broker.bootstrapServers(), "round-trip", "key-1", "hello");
            List<ConsumerRecord<String, String>> records = consume(broker.bootstrapServers(), "round-trip", 1);

            assertEquals(1, records.size());
            assertEquals("key-1", records.get(0).key());
            assertEquals("hello", records.get(0).value());
        }
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "broker process ended");
    }

    @Test
    void restartReusesFormattedStorage() throws Exception {
        int port = FreePorts.find();
        int controllerPort = FreePorts.find();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir, port, controllerPort, 1)) {
            produce(broker.bootstrapServers(), "kept", "k", "before restart");
        }
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir, port, controllerPort, 1)) {
            List<ConsumerRecord<String, String>> records = consume(broker.bootstrapServers(), "kept", 1);
            assertEquals("before restart", records.get(0).value());
        }
    }

    @Test
    void brokerEndsWhenParentIsKilled() throws Exception {
        Path log = dataDir.resolve("parent.log");
        List<String> classpath = List.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator));
        try (ChildProcess parent = ChildProcess.start("broker-parent", classpath, List.of("-Xmx128m"),
                BrokerParentMain.class.getName(), List.of(dataDir.resolve("kafka").toString()), Map.of(), log)) {
            long brokerPid = awaitBrokerPid(log);

            ProcessHandle.of(parent.pid()).orElseThrow().destroyForcibly();

            ProcessHandle broker = ProcessHandle.of(brokerPid).orElseThrow();
            broker.onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertFalse(broker.isAlive(), "broker ended after its parent was killed with SIGKILL");
        }
    }

    private static long awaitBrokerPid(Path parentLog) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (java.nio.file.Files.exists(parentLog)) {
                Optional<String> line = java.nio.file.Files.readAllLines(parentLog).stream()
                        .filter(text -> text.startsWith(BrokerParentMain.PID_PREFIX))
                        .findFirst();
                if (line.isPresent()) {
                    return Long.parseLong(line.get().substring(BrokerParentMain.PID_PREFIX.length()).trim());
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the parent process did not report a broker process id in " + parentLog);
    }

    static void produce(String bootstrapServers, String topic, String key, String value) throws Exception {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    static List<ConsumerRecord<String, String>> consume(String bootstrapServers, String topic, int count) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + System.nanoTime());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
        }
        return records;
    }

    /** Starts a broker and then waits; the test kills this process with SIGKILL. */
    public static final class BrokerParentMain {
        static final String PID_PREFIX = "broker pid: ";

        public static void main(String[] args) throws Exception {
            EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(Path.of(args[0]), 0, 0, 1);
            System.out.println(PID_PREFIX + broker.pid());
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
