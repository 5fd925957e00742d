package io.smimedelivery.common.topics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.smimedelivery.events.Topics;

/**
 * Creates the event topics and their dead-letter topics with {@code smime.kafka.topics.partitions}
 * partitions before the messaging channels start, so that neither a consumer's subscription nor a
 * producer's first send makes the broker create them with its own default. Every service creates every
 * topic; whichever starts first wins and the others find the topics in place.
 *
 * <p>Records are keyed by user id or device id (see {@link Topics#DESCRIPTIONS}), and the producers'
 * default partitioner maps a key to one partition for as long as the partition count stays the same. That
 * is why an existing topic keeps its partitions: this class logs a warning when they differ from the
 * setting and changes nothing.
 */
@ApplicationScoped
public class TopicCreator {

    private static final Logger LOG = Logger.getLogger(TopicCreator.class);

    private final TopicConfig config;
    private final String bootstrapServers;

    public TopicCreator(TopicConfig config,
            @ConfigProperty(name = "kafka.bootstrap.servers", defaultValue = "localhost:9092") String bootstrapServers) {
        this.config = config;
        this.bootstrapServers = bootstrapServers;
    }

    /** Runs before SmallRye Reactive Messaging starts the channels, which observes the same event later. */
    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        if (!config.create()) {
            return;
        }
        try {
            createMissing();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.warnf("Creating the Kafka topics at %s failed (%s); the service goes on, and topics that are still "
                    + "missing get the broker's defaults when first used", bootstrapServers, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Returns every topic this class creates: the event topics and the dead-letter topics of the consumed ones. */
    public static List<String> topicNames() {
        List<String> names = new ArrayList<>(Topics.ALL);
        for (Topics.Description description : Topics.DESCRIPTIONS) {
            boolean consumedByService = description.consumers().stream().anyMatch(consumer -> consumer.endsWith("-service"));
            if (consumedByService) {
                names.add(Topics.deadLetterTopic(description.name()));
            }
        }
        return names;
    }

    private void createMissing() throws InterruptedException, ExecutionException, TimeoutException {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        long timeoutMillis = config.timeout().toMillis();
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, timeoutMillis));
        try (Admin admin = Admin.create(properties)) {
            Set<String> existing = admin.listTopics().names().get(timeoutMillis, TimeUnit.MILLISECONDS);
            List<NewTopic> missing = topicNames().stream().filter(name -> !existing.contains(name))
                    .map(name -> new NewTopic(name, Optional.of(config.partitions()),
                            config.replicationFactor() < 0 ? Optional.empty() : Optional.of(config.replicationFactor())))
                    .toList();
            for (Map.Entry<String, org.apache.kafka.common.KafkaFuture<Void>> created : admin.createTopics(missing).values().entrySet()) {
                try {
                    created.getValue().get(timeoutMillis, TimeUnit.MILLISECONDS);
                    LOG.infof("Created topic %s with %d partitions", created.getKey(), config.partitions());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            Map<String, TopicDescription> descriptions = admin.describeTopics(topicNames()).allTopicNames()
                    .get(timeoutMillis, TimeUnit.MILLISECONDS);
            for (TopicDescription description : descriptions.values()) {
                if (description.partitions().size() != config.partitions()) {
                    LOG.warnf("Topic %s has %d partitions, not the %d of smime.kafka.topics.partitions; it keeps them, "
                            + "because more partitions would move keys and break their order", description.name(),
                            description.partitions().size(), config.partitions());
                }
            }
        }
    }
}
