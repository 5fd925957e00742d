package io.smimedelivery.certificate.crypto;

/**
 * Raised when encrypted data names a key-encryption key id that is not in {@code smime.kek.keys}. The
 * message names the id and the setting to fix, and never contains key material.
 */
public class UnconfiguredKeyException extends IllegalArgumentException {

    private final String keyId;

    public UnconfiguredKeyException(String keyId) {
        super("Encrypted data uses key-encryption key " + keyId + ", which is not configured; add " + keyId
                + ":<base64 key> to SMIME_KEK_KEYS (smime.kek.keys) and restart certificate-service");
        this.keyId = keyId;
    }

    /** Returns the key id that the encrypted data names. */
    public String keyId() {
        return keyId;
    }
}
