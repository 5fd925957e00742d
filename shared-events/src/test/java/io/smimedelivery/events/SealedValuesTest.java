package io.smimedelivery.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.KeyPair;
import java.security.KeyPairGenerator;

import org.junit.jupiter.api.Test;

class SealedValuesTest {

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    @Test
    void sealedTokenOpensWithTheKey() throws Exception {
        KeyPair keys = rsa();
        String token = "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90";
        SealedValue sealed = SealedValues.seal(token, "push-1", keys.getPublic());
        assertEquals("RSA-OAEP-256", sealed.algorithm());
        assertEquals("push-1", sealed.keyId());
        assertFalse(sealed.ciphertext().contains(token));
        assertFalse(sealed.toString().contains(sealed.ciphertext()));
        assertEquals(token, SealedValues.open(sealed, keys.getPrivate()));
    }

    @Test
    void otherKeyCannotOpen() throws Exception {
        SealedValue sealed = SealedValues.seal("secret", "push-1", rsa().getPublic());
        assertThrows(IllegalArgumentException.class, () -> SealedValues.open(sealed, rsa().getPrivate()));
    }

    @Test
    void unknownAlgorithmIsRejected() throws Exception {
        SealedValue sealed = new SealedValue("push-1", "RSA1_5", "AAAA");
        assertThrows(IllegalArgumentException.class, () -> SealedValues.open(sealed, rsa().getPrivate()));
        SealedValue garbage = new SealedValue("push-1", SealedValues.ALGORITHM, "not base64!");
        assertThrows(IllegalArgumentException.class, () -> SealedValues.open(garbage, rsa().getPrivate()));
    }
}
