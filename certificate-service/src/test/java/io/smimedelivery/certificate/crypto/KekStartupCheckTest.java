package io.smimedelivery.certificate.crypto;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.LaunchMode;

class KekStartupCheckTest {

    private static final String KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    private static KekConfig config(String currentId, String keys) {
        return TestKekConfig.of(currentId, keys);
    }

    @Test
    void productionWithoutKekFails() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> KekStartupCheck.requireKekInProduction(LaunchMode.NORMAL, config(null, null)));
        assertTrue(e.getMessage().contains("SMIME_KEK_CURRENT_ID and SMIME_KEK_KEYS are not set"), e.getMessage());
        assertTrue(e.getMessage().contains("openssl rand -base64 32"), e.getMessage());
    }

    @Test
    void productionWithOneSettingFails() {
        IllegalStateException noKeys = assertThrows(IllegalStateException.class,
                () -> KekStartupCheck.requireKekInProduction(LaunchMode.NORMAL, config("kek-1", null)));
        assertTrue(noKeys.getMessage().contains("SMIME_KEK_KEYS is not set"), noKeys.getMessage());

        IllegalStateException noId = assertThrows(IllegalStateException.class,
                () -> KekStartupCheck.requireKekInProduction(LaunchMode.NORMAL, config(null, "kek-1:" + KEY)));
        assertTrue(noId.getMessage().contains("SMIME_KEK_CURRENT_ID is not set"), noId.getMessage());
    }

    @Test
    void productionWithBlankSettingsFails() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> KekStartupCheck.requireKekInProduction(LaunchMode.NORMAL, config(" ", "")));
        assertTrue(e.getMessage().contains("SMIME_KEK_CURRENT_ID and SMIME_KEK_KEYS are not set"), e.getMessage());
    }

    @Test
    void productionWithKekStarts() {
        assertDoesNotThrow(() -> KekStartupCheck.requireKekInProduction(LaunchMode.NORMAL, config("kek-1", "kek-1:" + KEY)));
    }

    @Test
    void devAndTestStartWithoutKek() {
        assertDoesNotThrow(() -> KekStartupCheck.requireKekInProduction(LaunchMode.DEVELOPMENT, config(null, null)));
        assertDoesNotThrow(() -> KekStartupCheck.requireKekInProduction(LaunchMode.TEST, config(null, null)));
    }

    @Test
    void messageContainsNoKey() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> KekStartupCheck.requireKekInProduction(LaunchMode.NORMAL, config(null, "kek-1:" + KEY)));
        assertFalse(e.getMessage().contains(KEY), "the message never repeats a configured key");
    }

    @Test
    void rotationSettingsOutOfRangeFail() {
        for (int size : new int[] { 0, -1, 10_001 }) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> KekStartupCheck.requireValidRotationSettings(rotation(size, Duration.ZERO)));
            assertTrue(e.getMessage().contains("smime.kek.rotation.batch-size " + size), e.getMessage());
        }
        IllegalStateException pause = assertThrows(IllegalStateException.class,
                () -> KekStartupCheck.requireValidRotationSettings(rotation(100, Duration.ofSeconds(-1))));
        assertTrue(pause.getMessage().contains("smime.kek.rotation.batch-pause"), pause.getMessage());
        assertDoesNotThrow(() -> KekStartupCheck.requireValidRotationSettings(rotation(1, Duration.ZERO)));
        assertDoesNotThrow(() -> KekStartupCheck.requireValidRotationSettings(rotation(10_000, Duration.ofSeconds(1))));
    }

    private static KekConfig.Rotation rotation(int batchSize, Duration batchPause) {
        return new KekConfig.Rotation() {
            @Override
            public int batchSize() {
                return batchSize;
            }

            @Override
            public Duration batchPause() {
                return batchPause;
            }
        };
    }
}
