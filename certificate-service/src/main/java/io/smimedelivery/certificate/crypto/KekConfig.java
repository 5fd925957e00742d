package io.smimedelivery.certificate.crypto;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/** Key-encryption keys for private keys at rest. */
@ConfigMapping(prefix = "smime.kek")
public interface KekConfig {

    /** Id of the key that encrypts new data, such as kek-2026. */
    Optional<String> currentId();

    /**
     * Every key as {@code id:base64} pairs separated by commas, each key 32 random bytes, for example
     * {@code kek-2026:<44 Base64 characters>}. Keys of older ids stay listed until their data is
     * re-encrypted.
     */
    Optional<String> keys();
}
