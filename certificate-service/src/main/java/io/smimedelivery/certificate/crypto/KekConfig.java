package io.smimedelivery.certificate.crypto;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

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

    /** Settings of the rotation that re-encrypts stored values under the current key. */
    Rotation rotation();

    /** Settings of the key rotation. */
    interface Rotation {

        /** Stored values that one transaction of the rotation re-encrypts, 1 to 10000. KekStartupCheck checks the range. */
        @WithDefault("100")
        int batchSize();

        /** Pause after each batch, which spreads the database load of a large rotation over time. */
        @WithDefault("PT0S")
        Duration batchPause();
    }
}
