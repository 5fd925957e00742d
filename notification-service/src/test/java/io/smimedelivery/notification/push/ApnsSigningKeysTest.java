package io.smimedelivery.notification.push;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.PrivateKey;

import org.junit.jupiter.api.Test;

import io.smimedelivery.infra.PushSigningKey;

class ApnsSigningKeysTest {

    @Test
    void parsesPkcs8PemWithSurroundingText() throws Exception {
        PushSigningKey key = PushSigningKey.generateP256();

        PrivateKey parsed = ApnsSigningKeys.parsePkcs8Pem("AuthKey from Apple\r\n" + key.pem().replace("\n", "\r\n"));

        assertArrayEquals(key.keyPair().getPrivate().getEncoded(), parsed.getEncoded());
    }

    @Test
    void parsesSingleLinePem() throws Exception {
        PushSigningKey key = PushSigningKey.generateP256();

        PrivateKey parsed = ApnsSigningKeys.parsePkcs8Pem(
                "-----BEGIN PRIVATE KEY-----" + key.base64Body() + "-----END PRIVATE KEY-----");

        assertArrayEquals(key.keyPair().getPrivate().getEncoded(), parsed.getEncoded());
    }

    @Test
    void sec1KeyNamesTheConversion() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> ApnsSigningKeys.parsePkcs8Pem("-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----"));

        assertTrue(error.getMessage().contains("openssl pkcs8 -topk8 -nocrypt"), error.getMessage());
    }

    @Test
    void invalidPemIsRejectedWithoutKeyMaterial() throws Exception {
        PushSigningKey key = PushSigningKey.generateP256();
        String truncated = key.pem().substring(0, key.pem().length() / 2) + "\n-----END PRIVATE KEY-----";
        String notBase64 = "-----BEGIN PRIVATE KEY-----\n" + key.base64Body().substring(0, 20) + "!!\n-----END PRIVATE KEY-----";

        for (String pem : new String[] { "", "not a key", truncated, notBase64,
                "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----" }) {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> ApnsSigningKeys.parsePkcs8Pem(pem));
            assertFalse(error.getMessage().contains(key.base64Body().substring(0, 20)), error.getMessage());
        }
    }
}
