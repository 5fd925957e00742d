package io.smimedelivery.deviceauth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

class DevicePublicKeysTest {

    @Test
    void pemRoundTrip() {
        for (KeyPair pair : List.of(TestKeys.rsa2048(), TestKeys.p256(), TestKeys.p384())) {
            String pem = DevicePublicKeys.toPem(pair.getPublic());

            PublicKey parsed = DevicePublicKeys.fromPem(pem);

            assertEquals(pair.getPublic().getAlgorithm(), parsed.getAlgorithm());
            assertArrayEquals(pair.getPublic().getEncoded(), parsed.getEncoded());
        }
    }

    @Test
    void toPemWrapsAt64Characters() {
        String pem = DevicePublicKeys.toPem(TestKeys.rsa2048().getPublic());
        String[] lines = pem.split("\n");

        assertEquals("-----BEGIN PUBLIC KEY-----", lines[0]);
        assertEquals("-----END PUBLIC KEY-----", lines[lines.length - 1]);
        for (int i = 1; i < lines.length - 2; i++) {
            assertEquals(64, lines[i].length(), "line " + i);
        }
        assertTrue(pem.endsWith("-----END PUBLIC KEY-----\n"));
    }

    @Test
    void fromPemAcceptsLayoutVariants() {
        PublicKey key = TestKeys.p256().getPublic();
        String base64 = Base64.getEncoder().encodeToString(key.getEncoded());

        String crlf = DevicePublicKeys.toPem(key).replace("\n", "\r\n");
        String singleLine = "-----BEGIN PUBLIC KEY-----" + base64 + "-----END PUBLIC KEY-----";
        String padded = "\n  " + DevicePublicKeys.toPem(key) + "\n\n";

        for (String pem : List.of(crlf, singleLine, padded)) {
            assertArrayEquals(key.getEncoded(), DevicePublicKeys.fromPem(pem).getEncoded());
        }
    }

    @Test
    void rejectsTextThatIsNotPem() {
        assertRejected("not a key", "must start with");
        assertRejected("", "must start with");
        assertRejected("-----BEGIN PUBLIC KEY", "incomplete PEM BEGIN line");
        assertRejected("-----BEGIN PUBLIC KEY-----\nMFkw\n", "must end with");
        assertRejected("-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----", "no content");
        assertRejected("-----BEGIN PUBLIC KEY-----\nMF*w\n-----END PUBLIC KEY-----", "not valid base64");
        assertRejected("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----", "not an RSA or EC");
        assertRejected(DevicePublicKeys.toPem(TestKeys.p256().getPublic()) + DevicePublicKeys.toPem(TestKeys.p256().getPublic()),
                "more than one PEM block");
    }

    @Test
    void rejectsOtherPemLabelsWithHint() {
        assertRejected("-----BEGIN RSA PUBLIC KEY-----\nAAAA\n-----END RSA PUBLIC KEY-----", "-RSAPublicKey_in");
        assertRejected("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----", "openssl x509");
        assertRejected("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----", "must stay on the device");
    }

    @Test
    void rejectsUnsupportedKeys() throws Exception {
        KeyPair ed25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();

        assertRejected(DevicePublicKeys.toPem(ed25519.getPublic()), "not an RSA or EC");
        assertRejected(DevicePublicKeys.toPem(TestKeys.rsa1024().getPublic()), "RSA 1024-bit key");
        assertRejected(DevicePublicKeys.toPem(TestKeys.p521().getPublic()), "521-bit curve");
    }

    private static void assertRejected(String pem, String expectedInMessage) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DevicePublicKeys.fromPem(pem));

        assertTrue(e.getMessage().contains(expectedInMessage), e.getMessage());
    }
}
