package io.smimedelivery.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.jboss.logging.Logger;

/**
 * A single-node Apache Kafka broker in KRaft mode (broker and controller in one process), run as its own
 * JVM from the Kafka jars on Maven Central. The storage folder is formatted before the first start, and
 * a folder that is already formatted is reused, so a persistent folder survives restarts.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedKafkaBroker.class);
    private static final String CLASSPATH_RESOURCE = "kafka-broker.classpath";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private final ChildProcess process;

    private EmbeddedKafkaBroker(Path dataDir, int port, int controllerPort, ChildProcess process) {
        this.dataDir = dataDir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.process = process;
    }

    /**
     * Formats {@code dataDir} if needed, starts the broker and waits until it responds to a cluster
     * description request.
     *
     * @param dataDir        folder for the log segments, the configuration and the broker log
     * @param port           client port on 127.0.0.1, or 0 for a free one
     * @param controllerPort controller port on 127.0.0.1, or 0 for a free one
     * @param partitions     partitions of automatically created topics
     */
    public static EmbeddedKafkaBroker start(Path dataDir, int port, int controllerPort, int partitions) {
        int clientPort = port == 0 ? FreePorts.find() : port;
        int quorumPort = controllerPort == 0 ? FreePorts.find() : controllerPort;
        try {
            Files.createDirectories(dataDir);
            Path logDir = dataDir.resolve("data");
            Path config = writeServerProperties(dataDir, logDir, clientPort, quorumPort, partitions);
            Path log4jConfig = writeLog4jConfig(dataDir);
            List<String> classpath = brokerClasspath();

            if (!Files.exists(logDir.resolve("meta.properties"))) {
                ChildProcess.run("kafka-storage-format", classpath, "kafka.tools.StorageTool",
                        List.of("format", "--ignore-formatted", "-t", newClusterId(), "-c", config.toString()),
                        dataDir.resolve("storage-format.log"), Duration.ofSeconds(60));
            }

            ChildProcess child = ChildProcess.start("kafka-broker", classpath,
                    List.of("-Xms128m", "-Xmx512m", "-XX:+UseG1GC",
                            "-Dlog4j2.configurationFile=" + log4jConfig.toUri(),
                            "-Dkafka.broker.log.dir=" + dataDir),
                    "kafka.Kafka", List.of(config.toString()), Map.of(), dataDir.resolve("broker-console.log"));
            EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dataDir, clientPort, quorumPort, child);
            broker.awaitReady();
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to prepare the Kafka broker folder " + dataDir, e);
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public int controllerPort() {
        return controllerPort;
    }

    public long pid() {
        return process.pid();
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() {
        process.close();
    }

    private void awaitReady() {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        // The admin client logs a warning per refused connection, so it starts once the port listens.
        while (!FreePorts.isListening("127.0.0.1", port, 200)) {
            if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                process.close();
                throw new IllegalStateException("The Kafka broker did not open port " + port + "; see "
                        + process.logFile() + " and " + dataDir.resolve("broker.log"));
            }
            sleep(Duration.ofMillis(100));
        }
        Properties adminConfig = new Properties();
        adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        adminConfig.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
        adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
        adminConfig.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        try (Admin admin = Admin.create(adminConfig)) {
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("The Kafka broker exited during start-up; see "
                            + process.logFile() + " and " + dataDir.resolve("broker.log"));
                }
                try {
                    admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
                    LOG.infof("Kafka broker ready at %s (process %d)", bootstrapServers(), process.pid());
                    return;
                } catch (ExecutionException | TimeoutException e) {
                    if (Instant.now().isAfter(deadline)) {
                        process.close();
                        throw new IllegalStateException("The Kafka broker did not become ready within "
                                + START_TIMEOUT + "; see " + dataDir.resolve("broker.log"), e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.close();
            throw new IllegalStateException("Interrupted while waiting for the Kafka broker", e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the Kafka broker", e);
        }
    }

    private static Path writeServerProperties(Path dataDir, Path logDir, int clientPort, int controllerPort,
            int partitions) throws IOException {
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + clientPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + clientPort);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("log.dirs", logDir.toString());
        props.put("num.partitions", Integer.toString(partitions));
        props.put("auto.create.topics.enable", "true");
        // One node: every internal topic has one replica.
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "10");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("default.replication.factor", "1");
        props.put("min.insync.replicas", "1");
        // Consumer groups form at once instead of after the default 3-second delay.
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("log.flush.interval.messages", "10000");

        Path file = dataDir.resolve("server.properties");
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            props.store(writer, "Single-node KRaft broker written by EmbeddedKafkaBroker");
        }
        return file;
    }

    private static Path writeLog4jConfig(Path dataDir) throws IOException {
        Path file = dataDir.resolve("log4j2.properties");
        String config = String.join("\n",
                "status = warn",
                "appender.file.type = File",
                "appender.file.name = file",
                "appender.file.fileName = " + dataDir.resolve("broker.log"),
                "appender.file.layout.type = PatternLayout",
                "appender.file.layout.pattern = %d{ISO8601} %-5p [%c{1}] %m%n",
                "rootLogger.level = INFO",
                "rootLogger.appenderRef.file.ref = file",
                "logger.kafka.name = kafka",
                "logger.kafka.level = INFO",
                "logger.state.name = state.change.logger",
                "logger.state.level = WARN",
                "");
        Files.writeString(file, config, StandardCharsets.UTF_8);
        return file;
    }

    /** Returns the broker jars recorded by the kafka-broker-runtime module at build time. */
    static List<String> brokerClasspath() {
        try (InputStream in = EmbeddedKafkaBroker.class.getResourceAsStream(CLASSPATH_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("Missing " + CLASSPATH_RESOURCE
                        + " on the classpath: build the kafka-broker-runtime module first (./mvnw install -DskipTests)");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            List<String> entries = Arrays.asList(text.split(java.io.File.pathSeparator));
            for (String entry : entries) {
                if (!Files.exists(Path.of(entry))) {
                    throw new IllegalStateException("Kafka broker jar " + entry
                            + " is missing from the local Maven repository: run ./mvnw install -DskipTests again");
                }
            }
            return entries;
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read " + CLASSPATH_RESOURCE, e);
        }
    }

    /** Returns a random cluster id in Kafka's format: 16 random bytes, URL-safe Base64 without padding. */
    static String newClusterId() {
        SecureRandom random = new SecureRandom();
        byte[] bytes = new byte[16];
        String id;
        do {
            random.nextBytes(bytes);
            id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        } while (id.startsWith("-"));
        return id;
    }
}
