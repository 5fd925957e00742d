package io.smimedelivery.certificate.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Map;

import org.junit.jupiter.api.Test;

class KeyEncryptionTest {

    private static byte[] key() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    @Test
    void roundTripWithKeyId() {
        KeyEncryption encryption = new KeyEncryption("kek-2026", Map.of("kek-2026", key()));
        byte[] secret = "private key bytes".getBytes(StandardCharsets.UTF_8);

        byte[] sealed = encryption.encrypt(secret);

        assertEquals("kek-2026", KeyEncryption.keyIdOf(sealed));
        assertArrayEquals(secret, encryption.decrypt(sealed));
        assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains("private key bytes"));
    }

    @Test
    void sameInputGivesDifferentCiphertext() {
        KeyEncryption encryption = new KeyEncryption("k", Map.of("k", key()));
        byte[] secret = new byte[] { 1, 2, 3 };

        assertFalse(java.util.Arrays.equals(encryption.encrypt(secret), encryption.encrypt(secret)));
    }

    @Test
    void oldKeyStillDecryptsAfterRotation() {
        byte[] oldKey = key();
        byte[] sealed = new KeyEncryption("old", Map.of("old", oldKey)).encrypt(new byte[] { 42 });
        KeyEncryption rotated = new KeyEncryption("new", Map.of("old", oldKey, "new", key()));

        assertArrayEquals(new byte[] { 42 }, rotated.decrypt(sealed));
        assertEquals("new", KeyEncryption.keyIdOf(rotated.encrypt(new byte[] { 42 })));
    }

    @Test
    void alteredDataRejected() {
        KeyEncryption encryption = new KeyEncryption("k", Map.of("k", key()));
        byte[] sealed = encryption.encrypt(new byte[] { 1, 2, 3, 4 });
        sealed[sealed.length - 1] ^= 1;

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> encryption.decrypt(sealed));
        assertTrue(error.getMessage().contains("failed authentication"));
    }

    @Test
    void unknownKeyIdRejected() {
        byte[] sealed = new KeyEncryption("gone", Map.of("gone", key())).encrypt(new byte[] { 1 });
        KeyEncryption other = new KeyEncryption("k", Map.of("k", key()));

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> other.decrypt(sealed));
        assertTrue(error.getMessage().contains("gone"));
    }

    @Test
    void shortKeyRejected() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> new KeyEncryption("k", Map.of("k", new byte[16])));
        assertTrue(error.getMessage().contains("256-bit"));
    }

    @Test
    void truncatedDataRejected() {
        assertThrows(IllegalArgumentException.class, () -> KeyEncryption.keyIdOf(new byte[] { 1, 3, 'a' }));
        assertThrows(IllegalArgumentException.class, () -> KeyEncryption.keyIdOf(new byte[0]));
    }
}
