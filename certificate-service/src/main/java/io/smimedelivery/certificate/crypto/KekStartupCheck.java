package io.smimedelivery.certificate.crypto;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;

/**
 * Stops certificate-service from starting in production (launch mode NORMAL, as with {@code java -jar},
 * the local stack and Docker Compose) when no key-encryption key is configured. Dev and test mode still
 * start without one and reject imports with 503.
 */
@ApplicationScoped
public class KekStartupCheck {

    static final int MIN_BATCH_SIZE = 1;
    static final int MAX_BATCH_SIZE = 10_000;

    private final KekConfig config;
    private final KeyEncryptionProvider provider;

    public KekStartupCheck(KekConfig config, KeyEncryptionProvider provider) {
        this.config = config;
        this.provider = provider;
    }

    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        requireKekInProduction(LaunchMode.current(), config);
        requireValidRotationSettings(config.rotation());
        if (LaunchMode.current() == LaunchMode.NORMAL) {
            // Parses the keys now, so an invalid entry in SMIME_KEK_KEYS stops the start instead of the first import.
            provider.current();
        }
    }

    /**
     * Raises an IllegalStateException when {@code mode} is NORMAL and the current key id or the key list is
     * missing or blank.
     */
    static void requireKekInProduction(LaunchMode mode, KekConfig config) {
        if (mode != LaunchMode.NORMAL) {
            return;
        }
        boolean currentIdMissing = config.currentId().filter(id -> !id.isBlank()).isEmpty();
        boolean keysMissing = config.keys().filter(keys -> !keys.isBlank()).isEmpty();
        if (currentIdMissing || keysMissing) {
            String missing = currentIdMissing && keysMissing ? "SMIME_KEK_CURRENT_ID and SMIME_KEK_KEYS are"
                    : (currentIdMissing ? "SMIME_KEK_CURRENT_ID is" : "SMIME_KEK_KEYS is");
            throw new IllegalStateException("certificate-service does not start without a key-encryption key, because"
                    + " it stores private keys encrypted under it: " + missing + " not set. Make a key with"
                    + " `openssl rand -base64 32`, then set SMIME_KEK_CURRENT_ID=kek-1 and"
                    + " SMIME_KEK_KEYS=kek-1:<the key> (smime.kek.current-id and smime.kek.keys) and start again");
        }
    }

    /** Raises an IllegalStateException when a rotation setting is out of range, naming the setting and the range. */
    static void requireValidRotationSettings(KekConfig.Rotation rotation) {
        if (rotation.batchSize() < MIN_BATCH_SIZE || rotation.batchSize() > MAX_BATCH_SIZE) {
            throw new IllegalStateException("Invalid smime.kek.rotation.batch-size " + rotation.batchSize() + ": use "
                    + MIN_BATCH_SIZE + " to " + MAX_BATCH_SIZE + " values per transaction");
        }
        if (rotation.batchPause().isNegative()) {
            throw new IllegalStateException("Invalid smime.kek.rotation.batch-pause " + rotation.batchPause()
                    + ": use a duration of zero or more, such as PT0S or PT1S");
        }
    }
}
