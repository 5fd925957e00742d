package io.smimedelivery.notification.delivery;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of notification delivery: timing, retries, send rates and the landing page link. */
@ConfigMapping(prefix = "smime.notification")
public interface NotificationConfig {

    /**
     * How long an e-mail waits after the first ready package of a policy version, so that it lists
     * every device of the user that became ready in the meantime.
     */
    @WithDefault("PT30S")
    Duration emailGatherDelay();

    /** Attempts per delivery before a temporary failure becomes final. */
    @WithDefault("8")
    int maxAttempts();

    /** Delay before the second attempt; doubled for each further attempt, with up to 20 % random jitter. */
    @WithDefault("PT10S")
    Duration retryBackoff();

    /** Maximum delay between attempts. */
    @WithDefault("PT30M")
    Duration maxRetryBackoff();

    /** E-mails sent per second at most, over all worker threads of this instance. */
    @WithDefault("20")
    double emailRatePerSecond();

    /** Pushes sent per second at most, over all worker threads of this instance. */
    @WithDefault("200")
    double pushRatePerSecond();

    /** Threads that send deliveries. */
    @WithDefault("4")
    int workerThreads();

    /** Whether this instance sends deliveries. */
    @WithDefault("true")
    boolean workerEnabled();

    /**
     * How often an idle worker looks for due deliveries that no event announced, and how often the workers
     * together look for deliveries whose send lease ran out.
     */
    @WithDefault("PT1S")
    Duration pollInterval();

    /**
     * How long a delivery may stay in SENDING. A delivery still SENDING after this time belonged to an
     * instance that stopped mid-send, and is recorded as UNCERTAIN.
     */
    @WithDefault("PT5M")
    Duration sendLease();

    /** Landing page of a device; {deviceId} and {policyId} are replaced. */
    @WithDefault("http://127.0.0.1:8084/landing/{deviceId}?policy={policyId}")
    String landingPageUrl();

    /** Language for users without a preferred language or with one that has no texts: it or en. */
    @WithDefault("it")
    String defaultLanguage();

    /** Audience that device tokens for the Company Portal notification list must name. */
    @WithDefault("notification-service")
    String deviceTokenAudience();

    /** Key that opens sealed APNs tokens. */
    PushTokenKey pushTokenKey();

    /** The RSA key pair whose public key device-service seals APNs tokens to. */
    interface PushTokenKey {

        /** Key id that sealed values name. */
        @WithDefault("push-token-1")
        String id();

        /** PKCS#8 PEM file of the RSA private key. */
        Optional<String> privateKeyFile();

        /** The RSA private key as PKCS#8 PEM text, instead of a file. */
        Optional<String> privateKey();
    }
}
