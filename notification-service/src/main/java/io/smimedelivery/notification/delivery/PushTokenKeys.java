package io.smimedelivery.notification.delivery;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.smimedelivery.events.SealedValue;
import io.smimedelivery.events.SealedValues;

/**
 * Opens the APNs tokens that device-service seals to this service's RSA key. The key comes from
 * configuration; without it, opening fails with a message that names the setting.
 */
@ApplicationScoped
public class PushTokenKeys {

    private static final Logger LOG = Logger.getLogger(PushTokenKeys.class);

    private final String keyId;
    private final Optional<PrivateKey> privateKey;

    public PushTokenKeys(NotificationConfig config) {
        this.keyId = config.pushTokenKey().id();
        this.privateKey = load(config.pushTokenKey());
        if (privateKey.isEmpty()) {
            LOG.warn("No push token key is configured (smime.notification.push-token-key.private-key-file); pushes"
                    + " wait until one is set");
        }
    }

    /**
     * Opens a sealed token.
     *
     * @throws IllegalStateException when no key is configured
     * @throws IllegalArgumentException when the value was sealed to another key or cannot be opened
     */
    public String open(SealedValue sealed) {
        PrivateKey key = privateKey.orElseThrow(() -> new IllegalStateException(
                "No push token key is configured; set smime.notification.push-token-key.private-key-file"));
        if (!keyId.equals(sealed.keyId())) {
            throw new IllegalArgumentException("The push token is sealed to key " + sealed.keyId() + ", not to this"
                    + " service's key " + keyId + "; the device must enroll again after device-service has the current key");
        }
        return SealedValues.open(sealed, key);
    }

    private static Optional<PrivateKey> load(NotificationConfig.PushTokenKey config) {
        Optional<String> pem = config.privateKey();
        if (pem.isEmpty() && config.privateKeyFile().isPresent()) {
            try {
                pem = Optional.of(Files.readString(Path.of(config.privateKeyFile().get())));
            } catch (IOException e) {
                throw new IllegalStateException("Cannot read the push token key file " + config.privateKeyFile().get()
                        + ": " + e.getMessage(), e);
            }
        }
        if (pem.isEmpty()) {
            return Optional.empty();
        }
        String base64 = pem.get().replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        try {
            return Optional.of(KeyFactory.getInstance("RSA").generatePrivate(
                    new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64))));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalStateException("The push token key is not an RSA private key in PKCS#8 PEM"
                    + " (-----BEGIN PRIVATE KEY-----)", e);
        }
    }
}
