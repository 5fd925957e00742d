package io.smimedelivery.common.inbox;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the idempotent consumers. */
@ConfigMapping(prefix = "smime.inbox")
public interface InboxConfig {

    /** Attempts to process one event before it goes to the dead-letter topic; invalid events get one. */
    @WithDefault("4")
    int maxAttempts();

    /** Wait before the second attempt; it doubles before each further attempt. */
    @WithDefault("200ms")
    Duration initialBackoff();

    /** Longest pause between two checks whether the database accepts connections again after a failed attempt. */
    @WithDefault("5s")
    Duration databaseRetryMax();

    /** Time a connection check may take before the database counts as unreachable. */
    @WithDefault("2s")
    Duration databaseCheckTimeout();
}
