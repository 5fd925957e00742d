package io.smimedelivery.common.outbox;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the transactional outbox and its relay. */
@ConfigMapping(prefix = "smime.outbox")
public interface OutboxConfig {

    /** Whether this instance runs the relay. Only one instance per database publishes at a time in any case. */
    @WithDefault("true")
    boolean relayEnabled();

    /** How long the relay waits between polls when no commit has woken it. */
    @WithDefault("500ms")
    Duration pollInterval();

    /**
     * How long the relay waits after a commit woke it before it reads the outbox, so the events of the
     * commits in that time go out in one relay transaction and one Kafka flush. Zero reads at once.
     */
    @WithDefault("20ms")
    Duration linger();

    /** Maximum events the relay publishes in one database transaction. */
    @WithDefault("500")
    int batchSize();

    /** Maximum time the relay waits for the broker to acknowledge one batch before it retries the batch. */
    @WithDefault("30s")
    Duration deliveryTimeout();

    /** Maximum wait between retries while the broker is unreachable. The wait doubles up to this value. */
    @WithDefault("10s")
    Duration maxRetryBackoff();

    /** How long published events stay in the outbox table before they are deleted. */
    @WithDefault("P7D")
    Duration retention();

    /** How long processed-event ids are kept for de-duplication; longer than the topics' retention. */
    @WithDefault("P30D")
    Duration processedEventRetention();

    /** How often published events and old processed-event ids are deleted. */
    @WithDefault("1h")
    Duration pruneInterval();

    /** CloudEvents source of this service's events; defaults to /smime-delivery/ and the application name. */
    Optional<String> source();
}
