package io.smimedelivery.policy.assignment;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the fan-out job runner. */
@ConfigMapping(prefix = "smime.assignment")
public interface AssignmentConfig {

    /** Users reconciled in one database transaction. */
    @WithDefault("500")
    int batchSize();

    /** How long the runner waits between polls when no new job has woken it. */
    @WithDefault("1s")
    Duration pollInterval();

    /** Attempts per batch before its users are counted as failed and the job moves on. */
    @WithDefault("3")
    int maxBatchAttempts();

    /** Whether this instance runs jobs. */
    @WithDefault("true")
    boolean runnerEnabled();
}
