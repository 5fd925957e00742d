package io.smimedelivery.certificate.crypto;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import io.smimedelivery.common.problem.ProblemException;

/**
 * The configured {@link KeyEncryption}. In dev and test mode the service starts without one, but then
 * rejects imports, because it must never store a private key unencrypted. In production
 * {@link KekStartupCheck} stops the start instead.
 */
@ApplicationScoped
public class KeyEncryptionProvider {

    private static final Logger LOG = Logger.getLogger(KeyEncryptionProvider.class);

    private final Optional<KeyEncryption> encryption;

    public KeyEncryptionProvider(KekConfig config) {
        this.encryption = build(config);
        if (encryption.isEmpty()) {
            LOG.warn("No key-encryption key is configured (smime.kek.current-id and smime.kek.keys); certificate"
                    + " imports are rejected until one is");
        }
    }

    /** Returns the key encryption, or an empty Optional when no key is configured. */
    public Optional<KeyEncryption> current() {
        return encryption;
    }

    /** Returns the key encryption, or raises a 503 problem that explains how to configure it. */
    public KeyEncryption require() {
        return encryption.orElseThrow(() -> new ProblemException(Response.Status.SERVICE_UNAVAILABLE,
                "no-key-encryption-key", "No key-encryption key",
                "certificate-service has no key-encryption key, so it cannot store private keys; set"
                        + " SMIME_KEK_CURRENT_ID and SMIME_KEK_KEYS (id:base64 of 32 random bytes) and restart it",
                java.util.List.of()));
    }

    static Optional<KeyEncryption> build(KekConfig config) {
        if (config.currentId().isEmpty() || config.keys().isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> keys = new LinkedHashMap<>();
        for (String pair : config.keys().get().split(",")) {
            int colon = pair.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("Invalid entry in smime.kek.keys: expected id:base64, found an entry"
                        + " without an id (entry " + (keys.size() + 1) + ")");
            }
            keys.put(pair.substring(0, colon).trim(), pair.substring(colon + 1).trim());
        }
        return Optional.of(KeyEncryption.fromBase64(config.currentId().get().trim(), keys));
    }
}
