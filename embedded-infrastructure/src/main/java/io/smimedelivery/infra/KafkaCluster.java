package io.smimedelivery.infra;

import java.nio.file.Path;
import java.util.Optional;

import org.jboss.logging.Logger;
import org.testcontainers.kafka.KafkaContainer;

/** A reachable Kafka cluster, whichever way it was found or started. */
public final class KafkaCluster implements AutoCloseable {

    /** Origin of the cluster, in the order {@link #locate} tries them. */
    public enum Source {
        EXPLICIT, TESTCONTAINERS, EMBEDDED
    }

    /** Image used where a Docker engine runs. */
    public static final String KAFKA_IMAGE = "apache/kafka:4.1.2";

    private static final Logger LOG = Logger.getLogger(KafkaCluster.class);

    private final Source source;
    private final String bootstrapServers;
    private final AutoCloseable owner;
    private EmbeddedKafkaBroker broker;
    private boolean brokerStopped;
    private Path brokerDataDir;
    private int brokerPort;
    private int brokerControllerPort;
    private int partitions;

    private KafkaCluster(Source source, String bootstrapServers, AutoCloseable owner) {
        this.source = source;
        this.bootstrapServers = bootstrapServers;
        this.owner = owner;
    }

    private KafkaCluster(EmbeddedKafkaBroker broker, int partitions) {
        this(Source.EMBEDDED, broker.bootstrapServers(), null);
        this.broker = broker;
        this.brokerDataDir = broker.dataDir();
        this.brokerPort = broker.port();
        this.brokerControllerPort = broker.controllerPort();
        this.partitions = partitions;
    }

    /**
     * Returns the first of: the cluster named by {@value InfrastructureSettings#KAFKA_BOOTSTRAP_SERVERS}; a
     * Testcontainers broker where a Docker engine runs; an embedded broker with its files under
     * {@code embeddedDataDir} on a free port.
     */
    public static KafkaCluster locate(Path embeddedDataDir, int partitions) {
        Optional<String> explicit = InfrastructureSettings.get(InfrastructureSettings.KAFKA_BOOTSTRAP_SERVERS);
        KafkaCluster cluster;
        if (explicit.isPresent()) {
            cluster = new KafkaCluster(Source.EXPLICIT, explicit.get(), null);
        } else if (DockerEngine.isAvailable()) {
            // NOTE: this path has not run on the build machines, which have no Docker engine.
            KafkaContainer container = new KafkaContainer(KAFKA_IMAGE)
                    .withEnv("KAFKA_NUM_PARTITIONS", Integer.toString(partitions));
            container.start();
            cluster = new KafkaCluster(Source.TESTCONTAINERS, container.getBootstrapServers(), container::stop);
        } else {
            cluster = new KafkaCluster(EmbeddedKafkaBroker.start(embeddedDataDir, 0, 0, partitions), partitions);
        }
        LOG.infof("Using %s Kafka at %s", cluster.source, cluster.bootstrapServers);
        return cluster;
    }

    public Source source() {
        return source;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Returns whether {@link #stopBroker} and {@link #startBroker} work, which is only for the embedded broker. */
    public boolean canRestartBroker() {
        return source == Source.EMBEDDED;
    }

    /** Stops the embedded broker, keeping its data, to simulate an outage. */
    public synchronized void stopBroker() {
        requireEmbedded();
        if (!brokerStopped) {
            broker.close();
            brokerStopped = true;
        }
    }

    /** Starts the embedded broker again on the same ports with the same data. */
    public synchronized void startBroker() {
        requireEmbedded();
        if (brokerStopped) {
            broker = EmbeddedKafkaBroker.start(brokerDataDir, brokerPort, brokerControllerPort, partitions);
            brokerStopped = false;
        }
    }

    @Override
    public synchronized void close() throws Exception {
        if (owner != null) {
            owner.close();
        }
        if (broker != null && !brokerStopped) {
            broker.close();
        }
    }

    private void requireEmbedded() {
        if (source != Source.EMBEDDED) {
            throw new IllegalStateException("Only the embedded broker can be stopped and started; this cluster is " + source);
        }
    }
}
