package io.smimedelivery.common.topics;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the topics that a service creates at start-up when they do not exist. */
@ConfigMapping(prefix = "smime.kafka.topics")
public interface TopicConfig {

    /** Whether the service creates missing topics. Off where an operator or a broker policy creates them. */
    @WithDefault("true")
    boolean create();

    /**
     * Partitions of each topic the service creates, and so the maximum number of instances of one service
     * that consume a topic in parallel. An existing topic keeps its partitions, because adding partitions
     * moves keys to other partitions and breaks the per-key order of records already written.
     */
    @WithDefault("6")
    int partitions();

    /** Replicas of each topic the service creates; -1 takes the broker's default.replication.factor. */
    @WithDefault("-1")
    short replicationFactor();

    /** Maximum time to wait for the broker at start-up before the service goes on without creating topics. */
    @WithDefault("PT30S")
    Duration timeout();
}
