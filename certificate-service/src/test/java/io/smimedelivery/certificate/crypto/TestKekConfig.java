package io.smimedelivery.certificate.crypto;

import java.time.Duration;
import java.util.Optional;

/** KekConfig values for tests that build the key-encryption beans by hand. */
public final class TestKekConfig {

    private TestKekConfig() {
    }

    /** Returns a KekConfig with the given values, where null is a setting that is not set, and default rotation settings. */
    public static KekConfig of(String currentId, String keys) {
        return new KekConfig() {
            @Override
            public Optional<String> currentId() {
                return Optional.ofNullable(currentId);
            }

            @Override
            public Optional<String> keys() {
                return Optional.ofNullable(keys);
            }

            @Override
            public Rotation rotation() {
                return new Rotation() {
                    @Override
                    public int batchSize() {
                        return 100;
                    }

                    @Override
                    public Duration batchPause() {
                        return Duration.ZERO;
                    }
                };
            }
        };
    }
}
