package io.smimedelivery.certificate.delivery;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of device packages and of the worker that builds them. */
@ConfigMapping(prefix = "smime.package")
public interface DeliveryConfig {

    /**
     * Encoding of the PKCS#12 inside each package: {@code legacy-3des} (3DES with a SHA-1 MAC, read by
     * every iOS version) or {@code aes256} (PBES2 with AES-256 and a SHA-256 MAC, as OpenSSL 3 writes).
     */
    @WithDefault("legacy-3des")
    String pkcs12Encoding();

    /** Password-based key derivation iterations of the PKCS#12. */
    @WithDefault("2048")
    int pkcs12Iterations();

    /** Whether this instance builds packages; instances that only serve downloads may turn it off. */
    @WithDefault("true")
    boolean workerEnabled();

    /** Threads that build packages, each working on one user at a time. */
    @WithDefault("2")
    int workerThreads();

    /**
     * Users a worker thread handles in one transaction. Fewer commits per user cost less database time,
     * and a user whose packages fail to build makes the worker handle that batch's users one at a time.
     */
    @WithDefault("8")
    int workerBatchSize();

    /** How often an idle worker looks for requests that no event announced, such as postponed ones. */
    @WithDefault("PT5S")
    Duration pollInterval();

    /** Delay before the first retry of a user whose packages failed to build; doubled per attempt. */
    @WithDefault("PT2S")
    Duration retryBackoff();

    /** Maximum delay between retries. */
    @WithDefault("PT5M")
    Duration maxRetryBackoff();

    /**
     * How often the worker looks for certificates that became valid or expired since its last look, and
     * queues their users, so that a package follows the calendar as well as imports.
     */
    @WithDefault("PT15M")
    Duration validityCheckInterval();

    /** Audience that device tokens for package downloads must name. */
    @WithDefault("certificate-service")
    String deviceTokenAudience();
}
