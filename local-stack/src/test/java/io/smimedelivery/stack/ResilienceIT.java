package io.smimedelivery.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.smimedelivery.events.CloudEventHeaders;
import io.smimedelivery.events.EventTypes;
import io.smimedelivery.events.Topics;
import io.smimedelivery.stack.FaultStack.Instance;

/**
 * Fault scenarios on one {@link FaultStack}: each test makes a delivery of its own with
 * {@link DeliveryDriver}, injects one fault in the middle and checks the outcome exactly: every device
 * NOTIFIED, one READY package per device, one e-mail per e-mail user, one push per Company Portal device.
 * The tests share the stack and run in a fixed order, because the last one leaves instance 1 of two
 * services killed.
 *
 * <p>The size comes from {@code -Dresilience.users} (default 100) and {@code -Dresilience.devices-per-user}
 * (default 2); {@code -Dresilience.broker-outage-seconds} (default 30) sets how long the broker stays
 * down. Each test appends its timings to {@code target/resilience-results.txt}. The class runs in
 * {@code ./mvnw verify} at the default size; {@code -Dresilience=false} skips it.
 */
@DisabledIfSystemProperty(named = "resilience", matches = "false")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ResilienceIT {

    private static final Logger LOG = Logger.getLogger(ResilienceIT.class);
    private static final int USERS = Integer.getInteger("resilience.users", 100);
    private static final int DEVICES_PER_USER = Integer.getInteger("resilience.devices-per-user", 2);
    private static final Duration BROKER_OUTAGE = Duration.ofSeconds(Integer.getInteger("resilience.broker-outage-seconds", 30));
    private static final Duration POSTGRES_OUTAGE = Duration.ofSeconds(10);
    /** Generous bound for a run to settle: two minutes plus 100 ms per device. */
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(120 + USERS * DEVICES_PER_USER / 10);
    private static final Duration HEALTH_CHANGE_TIMEOUT = Duration.ofSeconds(40);
    private static final Path RESULTS = Path.of("target", "resilience-results.txt");

    @TempDir
    static Path dataDir;

    private FaultStack stack;
    private int runs;

    @BeforeAll
    void startStack() {
        Instant started = Instant.now();
        stack = FaultStack.start(dataDir, FaultStack.Settings.defaults());
        record("stack start", "4 services, broker, embedded PostgreSQL", Duration.between(started, Instant.now()), "");
    }

    @AfterAll
    void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    /** The broker of the stack creates topics with 1 partition, so more partitions come from the services. */
    @Test
    @Order(0)
    void servicesCreateTopicsWithConfiguredPartitions() throws Exception {
        List<String> topics = new ArrayList<>(Topics.ALL);
        for (String source : List.of(Topics.POLICY_ASSIGNMENTS, Topics.DEVICE_ENROLLMENTS, Topics.CERTIFICATE_PACKAGES,
                Topics.NOTIFICATIONS)) {
            topics.add(Topics.deadLetterTopic(source));
        }
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        try (Admin admin = Admin.create(config)) {
            Map<String, TopicDescription> descriptions = admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS);
            for (String topic : topics) {
                assertEquals(stack.partitions(), descriptions.get(topic).partitions().size(), "partitions of " + topic);
            }
        }
    }

    @Test
    @Order(1)
    void certificateServiceKilledMidFanOut() {
        DeliveryDriver driver = newDriver();
        driver.setUp();
        Instant assigned = Instant.now();
        driver.assign();
        int threshold = Math.max(1, driver.deviceCount() / 5);
        assertTrue(DeliveryDriver.await(() -> driver.packagesBuilt() >= threshold, SETTLE_TIMEOUT),
                "certificate-service built " + threshold + " packages");
        int builtAtKill = driver.packagesBuilt();
        Instance certificate = stack.instance(FaultStack.CERTIFICATE, 1);
        stack.kill(certificate);
        assertTrue(builtAtKill < driver.deviceCount(), "the kill came before the fan-out ended: " + builtAtKill);

        Instant restarting = Instant.now();
        stack.restart(certificate);
        DeliveryDriver.Outcome outcome = driver.awaitSettled(SETTLE_TIMEOUT);
        Duration recovery = Duration.between(restarting, Instant.now());
        assertExact(driver, outcome, false);
        record("a: certificate-service SIGKILL", size(driver), recovery,
                "packages at kill " + builtAtKill + ", assignment to settled " + Duration.between(assigned, Instant.now()).toSeconds() + " s");
    }

    @Test
    @Order(2)
    void notificationServiceKilledWhileSending() {
        DeliveryDriver driver = newDriver();
        driver.setUp();
        driver.assign();
        int threshold = Math.max(1, driver.emailUsers().size() / 4);
        assertTrue(DeliveryDriver.await(() -> driver.emailsReceived() >= threshold, SETTLE_TIMEOUT),
                "notification-service sent " + threshold + " e-mails");
        Instance notification = stack.instance(FaultStack.NOTIFICATION, 1);
        stack.kill(notification);
        int sentAtKill = driver.emailsReceived();
        assertTrue(sentAtKill < driver.emailUsers().size(), "the kill came before the last e-mail: " + sentAtKill);

        Instant restarting = Instant.now();
        stack.restart(notification);
        DeliveryDriver.Outcome outcome = driver.awaitSettled(SETTLE_TIMEOUT);
        Duration recovery = Duration.between(restarting, Instant.now());
        assertExact(driver, outcome, true);
        record("b: notification-service SIGKILL", size(driver), recovery, "e-mails at kill " + sentAtKill + ", "
                + uncertain(outcome) + " UNCERTAIN");
    }

    /** Also checks readiness and liveness of every service while the broker is down and after it is back. */
    @Test
    @Order(3)
    void brokerStoppedMidRun() {
        DeliveryDriver driver = newDriver();
        driver.setUp();
        driver.assign();
        int threshold = Math.max(1, driver.deviceCount() / 5);
        assertTrue(DeliveryDriver.await(() -> driver.packagesBuilt() >= threshold, SETTLE_TIMEOUT),
                "certificate-service built " + threshold + " packages");
        Instant stopped = Instant.now();
        stack.stopBroker();
        int builtAtStop = driver.packagesBuilt();
        Instant restarting = checkHealthDuringOutage(stopped, BROKER_OUTAGE, "without the broker", stack::startBroker);
        for (Instance instance : liveInstances()) {
            assertHealth(instance, "ready", 200, "after the broker came back");
            assertEquals(200, stack.health(instance, "live").orElse(0), instance.name() + " is live");
        }
        Duration readyAgain = Duration.between(restarting, Instant.now());
        DeliveryDriver.Outcome outcome = driver.awaitSettled(SETTLE_TIMEOUT);
        Duration recovery = Duration.between(restarting, Instant.now());
        assertExact(driver, outcome, false);
        record("c: broker stopped " + Duration.between(stopped, restarting).toSeconds() + " s", size(driver), recovery,
                "packages at stop " + builtAtStop + ", all ready " + readyAgain.toSeconds() + " s after broker start");
    }

    /** Also checks readiness and liveness of every service while PostgreSQL is down and after it is back. */
    @Test
    @Order(4)
    void postgresRestartedMidRun() {
        DeliveryDriver driver = newDriver();
        driver.setUp();
        driver.assign();
        int threshold = Math.max(1, driver.deviceCount() / 5);
        assertTrue(DeliveryDriver.await(() -> driver.packagesBuilt() >= threshold, SETTLE_TIMEOUT),
                "certificate-service built " + threshold + " packages");
        int builtAtStop = driver.packagesBuilt();
        Instant stopped = Instant.now();
        stack.stopPostgres();
        Instant restarting = checkHealthDuringOutage(stopped, POSTGRES_OUTAGE, "without its database", stack::startPostgres);
        for (Instance instance : liveInstances()) {
            assertHealth(instance, "ready", 200, "after PostgreSQL came back");
        }
        Duration readyAgain = Duration.between(restarting, Instant.now());
        DeliveryDriver.Outcome outcome = driver.awaitSettled(SETTLE_TIMEOUT);
        Duration recovery = Duration.between(restarting, Instant.now());
        assertExact(driver, outcome, true);
        record("d: PostgreSQL stopped " + Duration.between(stopped, restarting).toSeconds() + " s", size(driver), recovery,
                "packages at stop " + builtAtStop + ", all ready " + readyAgain.toSeconds() + " s after PostgreSQL start, "
                        + uncertain(outcome) + " UNCERTAIN");
    }

    @Test
    @Order(5)
    void poisonRecordsGoToDeadLetterTopics() {
        String key = "poison-" + UUID.randomUUID();
        Map<String, String> poisonTypes = Map.of(
                Topics.POLICY_ASSIGNMENTS, EventTypes.POLICY_ASSIGNED.name(),
                Topics.DEVICE_ENROLLMENTS, EventTypes.DEVICE_ENROLLED.name(),
                Topics.CERTIFICATE_PACKAGES, EventTypes.PACKAGE_READY.name(),
                Topics.NOTIFICATIONS, EventTypes.NOTIFICATION_SENT.name());
        // One dead-letter record per consumer group of the topic, as the services' application.properties
        // subscribe them. device-service consumes its own enrollments topic too.
        Map<String, Integer> expectedDeadLetters = Map.of(
                Topics.POLICY_ASSIGNMENTS, 3, Topics.DEVICE_ENROLLMENTS, 3, Topics.CERTIFICATE_PACKAGES, 2, Topics.NOTIFICATIONS, 1);

        DeliveryDriver driver = newDriver();
        driver.setUp();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (Map.Entry<String, String> poison : poisonTypes.entrySet()) {
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(poison.getKey(), key,
                        "{\"this is\": not JSON".getBytes(StandardCharsets.UTF_8));
                record.headers().add(CloudEventHeaders.ID, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
                record.headers().add(CloudEventHeaders.TYPE, poison.getValue().getBytes(StandardCharsets.UTF_8));
                producer.send(record);
            }
            producer.flush();
        }
        driver.assign();
        DeliveryDriver.Outcome outcome = driver.awaitSettled(SETTLE_TIMEOUT);
        assertExact(driver, outcome, false);

        Map<String, Integer> deadLetters = new TreeMap<>();
        assertTrue(DeliveryDriver.await(() -> {
            deadLetters.clear();
            deadLetters.putAll(deadLetterCounts(key, expectedDeadLetters.keySet()));
            return deadLetters.equals(new TreeMap<>(expectedDeadLetters));
        }, Duration.ofSeconds(60)), "dead-letter records per source topic: " + deadLetters);
        record("f: poison record on each input topic", size(driver), Duration.ZERO, "dead letters " + deadLetters);
    }

    @Test
    @Order(6)
    void secondInstancesFinishAfterKill() {
        Instance certificate2 = stack.add(FaultStack.CERTIFICATE, 2, true);
        Instance notification2 = stack.add(FaultStack.NOTIFICATION, 2, true);
        DeliveryDriver driver = newDriver();
        driver.setUp();
        driver.assign();
        int half = driver.deviceCount() / 2;
        assertTrue(DeliveryDriver.await(() -> driver.packagesBuilt() >= half, SETTLE_TIMEOUT),
                "the certificate-service instances built " + half + " packages");
        stack.kill(stack.instance(FaultStack.CERTIFICATE, 1));
        int builtAtKill = driver.packagesBuilt();
        int halfUsers = Math.max(1, driver.emailUsers().size() / 2);
        assertTrue(DeliveryDriver.await(() -> driver.emailsReceived() >= halfUsers, SETTLE_TIMEOUT),
                "the notification-service instances sent " + halfUsers + " e-mails");
        Instant killed = Instant.now();
        stack.kill(stack.instance(FaultStack.NOTIFICATION, 1));
        int sentAtKill = driver.emailsReceived();

        DeliveryDriver.Outcome outcome = driver.awaitSettled(SETTLE_TIMEOUT);
        Duration recovery = Duration.between(killed, Instant.now());
        assertTrue(certificate2.isAlive(), "certificate-service-2 still runs");
        assertTrue(notification2.isAlive(), "notification-service-2 still runs");
        assertExact(driver, outcome, true);
        record("e: 2+2 instances, instance 1 SIGKILLed", size(driver), recovery, "packages at kill " + builtAtKill
                + ", e-mails at kill " + sentAtKill + ", " + uncertain(outcome) + " UNCERTAIN");
    }

    /**
     * Checks the outcome exactly. Each device has one READY package and is NOTIFIED at policy version 1.
     * Each e-mail user has one SENT e-mail delivery and one e-mail. Each portal user has one Company Portal
     * list entry, and each portal device one SENT push delivery and one push at the gateway. With
     * {@code uncertainAllowed}, a delivery may be UNCERTAIN because the sending instance died or lost its
     * database mid-send: that user got at most one e-mail and their devices are FAILED with
     * NOTIFICATION_FAILED, or that device got at most one push and stays NOTIFIED through its list entry.
     */
    private void assertExact(DeliveryDriver driver, DeliveryDriver.Outcome outcome, boolean uncertainAllowed) {
        assertEquals(driver.deviceCount(), outcome.deviceRows().size(), "devices in the policy reports");
        assertEquals(Map.of("READY", driver.deviceCount()), outcome.packagesByStatus(), "packages by status");
        assertEquals(driver.emailUsers().size(), outcome.emailDeliveryByUser().size(), "users with an e-mail delivery");

        List<String> wrong = new ArrayList<>();
        for (DeliveryDriver.User user : driver.users()) {
            boolean uncertain;
            if (user.portal()) {
                int entries = outcome.listEntriesByUser().getOrDefault(user.id(), 0);
                if (entries != 1) {
                    wrong.add(user.id() + ": " + entries + " Company Portal list entries");
                }
                uncertain = false;
            } else {
                String delivery = outcome.emailDeliveryByUser().get(user.id());
                int emails = outcome.emailsByRecipient().getOrDefault(user.email(), 0);
                uncertain = uncertainAllowed && "UNCERTAIN".equals(delivery);
                if (!"SENT".equals(delivery) && !uncertain) {
                    wrong.add(user.id() + ": e-mail delivery " + delivery);
                }
                if (uncertain ? emails > 1 : emails != 1) {
                    wrong.add(user.id() + ": " + emails + " e-mails with delivery " + delivery);
                }
            }
            for (String deviceId : user.deviceIds()) {
                JsonNode row = outcome.deviceRows().get(deviceId);
                String state = row == null ? "missing" : row.path("state").asText() + " " + row.path("reasonCode").asText("");
                boolean expected = uncertain ? state.equals("FAILED NOTIFICATION_FAILED") : state.equals("NOTIFIED ");
                if (!expected || row.path("policyVersion").asInt() != 1) {
                    wrong.add(deviceId + ": " + state + " version " + (row == null ? "-" : row.path("policyVersion").asText()));
                }
                if (user.portal()) {
                    String push = outcome.pushDeliveryByDevice().get(deviceId);
                    int pushes = outcome.pushesByDevice().getOrDefault(deviceId, 0);
                    boolean pushUncertain = uncertainAllowed && "UNCERTAIN".equals(push);
                    if (!"SENT".equals(push) && !pushUncertain) {
                        wrong.add(deviceId + ": push delivery " + push);
                    }
                    if (pushUncertain ? pushes > 1 : pushes != 1) {
                        wrong.add(deviceId + ": " + pushes + " pushes with delivery " + push);
                    }
                }
            }
        }
        if (!wrong.isEmpty()) {
            fail(wrong.size() + " users or devices differ from the expected outcome, first: "
                    + wrong.subList(0, Math.min(20, wrong.size())) + "\nDeliveries not SENT:\n  "
                    + String.join("\n  ", driver.unsentDeliveries(20)) + "\nnotification-service warnings:\n  "
                    + String.join("\n  ", warnings(stack.instance(FaultStack.NOTIFICATION, 1), 40)));
        }
    }

    /** Returns the last {@code limit} WARN and ERROR lines of an instance's log. */
    private List<String> warnings(Instance instance, int limit) {
        try (var lines = Files.lines(stack.logFile(instance))) {
            List<String> found = lines.filter(line -> line.contains(" WARN ") || line.contains(" ERROR ")).toList();
            return found.subList(Math.max(0, found.size() - limit), found.size());
        } catch (IOException | UncheckedIOException e) {
            return List.of("Reading " + stack.logFile(instance) + " failed: " + e.getMessage());
        }
    }

    /**
     * Checks that every live instance turns not ready (503) and stays live (200) while a part is down, keeps
     * the part down until {@code outage} has passed since {@code stopped}, then starts it again with
     * {@code start}, also when a check failed. Returns the moment of the start.
     */
    private Instant checkHealthDuringOutage(Instant stopped, Duration outage, String without, Runnable start) {
        Instant restarting;
        try {
            for (Instance instance : liveInstances()) {
                assertHealth(instance, "ready", 503, without);
                assertEquals(200, stack.health(instance, "live").orElse(0), instance.name() + " stayed live " + without);
            }
            Duration rest = outage.minus(Duration.between(stopped, Instant.now()));
            if (!rest.isNegative()) {
                FaultStack.sleep(rest);
            }
        } finally {
            restarting = Instant.now();
            start.run();
        }
        return restarting;
    }

    /** Waits until a health endpoint of {@code instance} returns {@code status}; fails with the last status. */
    private void assertHealth(Instance instance, String check, int status, String when) {
        int[] last = { 0 };
        boolean reached = DeliveryDriver.await(() -> {
            last[0] = stack.health(instance, check).orElse(0);
            return last[0] == status;
        }, HEALTH_CHANGE_TIMEOUT);
        assertTrue(reached, instance.name() + " /q/health/" + check + " " + when + ": expected " + status + ", last "
                + (last[0] == 0 ? "no answer" : last[0]) + " after " + HEALTH_CHANGE_TIMEOUT.toSeconds() + " s");
    }

    private DeliveryDriver newDriver() {
        runs++;
        String runId = "r" + runs + UUID.randomUUID().toString().substring(0, 6);
        return new DeliveryDriver(stack, runId, USERS, DEVICES_PER_USER, true);
    }

    private List<Instance> liveInstances() {
        return stack.instances().stream().filter(Instance::isAlive).toList();
    }

    private static String uncertain(DeliveryDriver.Outcome outcome) {
        return outcome.emailDeliveryByUser().values().stream().filter("UNCERTAIN"::equals).count() + " e-mails and "
                + outcome.pushDeliveryByDevice().values().stream().filter("UNCERTAIN"::equals).count() + " pushes";
    }

    private static String size(DeliveryDriver driver) {
        return driver.users().size() + " users (" + driver.emailUsers().size() + " by e-mail), " + driver.deviceCount()
                + " devices";
    }

    private static void record(String scenario, String size, Duration recovery, String detail) {
        String line = String.format("%s | %s | %s | recovery %.1f s | %s%n", Instant.now(), scenario, size,
                recovery.toMillis() / 1000.0, detail);
        LOG.info(line.strip());
        try {
            Files.writeString(RESULTS, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            LOG.warnf("Failed to append to %s: %s", RESULTS, e.getMessage());
        }
    }

    private KafkaProducer<String, byte[]> producer() {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(config);
    }

    /** Counts the records with {@code key} on the dead-letter topic of each source topic. */
    private Map<String, Integer> deadLetterCounts(String key, Iterable<String> sourceTopics) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        Map<String, Integer> counts = new TreeMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
            for (String source : sourceTopics) {
                String topic = Topics.deadLetterTopic(source);
                List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                        .map(info -> new TopicPartition(topic, info.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
                int count = 0;
                while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))) {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                        if (key.equals(record.key()) && record.headers().lastHeader("dead-letter-reason") != null) {
                            count++;
                        }
                    }
                }
                counts.put(source, count);
            }
        }
        return counts;
    }
}
