package io.smimedelivery.device.enrollment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import io.smimedelivery.common.problem.ProblemException;
import io.smimedelivery.deviceauth.DevicePublicKeys;
import io.smimedelivery.events.SealedValue;
import io.smimedelivery.events.SealedValues;

/** Seals APNs tokens to notification-service's public key, so that only that service can read them. */
@ApplicationScoped
public class PushTokenSealer {

    private static final Logger LOG = Logger.getLogger(PushTokenSealer.class);

    private final String keyId;
    private final Optional<PublicKey> key;

    public PushTokenSealer(EnrollmentConfig config) {
        this.keyId = config.pushTokenKey().id();
        this.key = load(config.pushTokenKey());
        if (key.isEmpty()) {
            LOG.warn("No push token key is configured (smime.device.push-token-key.public-key-file); enrollments with"
                    + " a push token are rejected until one is set");
        }
    }

    /**
     * Seals a token.
     *
     * @throws ProblemException 503 when no key is configured, so that no token is dropped silently
     */
    public SealedValue seal(String pushToken) {
        PublicKey publicKey = key.orElseThrow(() -> new ProblemException(Response.Status.SERVICE_UNAVAILABLE,
                "push-token-key-missing", "Push token key not configured",
                "device-service has no public key to seal push tokens to; set smime.device.push-token-key.public-key-file"
                        + " to notification-service's push token public key (PEM)", List.of()));
        return SealedValues.seal(pushToken, keyId, publicKey);
    }

    private static Optional<PublicKey> load(EnrollmentConfig.PushTokenKey config) {
        Optional<String> pem = config.publicKey();
        if (pem.isEmpty() && config.publicKeyFile().isPresent()) {
            try {
                pem = Optional.of(Files.readString(Path.of(config.publicKeyFile().get())));
            } catch (IOException e) {
                throw new IllegalStateException("Cannot read the push token public key file "
                        + config.publicKeyFile().get() + ": " + e.getMessage(), e);
            }
        }
        if (pem.isEmpty()) {
            return Optional.empty();
        }
        PublicKey key;
        try {
            key = DevicePublicKeys.fromPem(pem.get());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("The push token public key is invalid: " + e.getMessage(), e);
        }
        if (!(key instanceof RSAPublicKey)) {
            throw new IllegalStateException("The push token public key is an " + key.getAlgorithm()
                    + " key; use notification-service's RSA public key (-----BEGIN PUBLIC KEY-----)");
        }
        return Optional.of(key);
    }
}
