package io.smimedelivery.deviceauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/**
 * Verifies tokens signed by the openssl command line, not by jose4j, so that the ECDSA signature
 * encoding and the PEM parsing are checked against an independent implementation. The fixtures
 * come from src/test/resources/openssl/make-fixtures.sh.
 */
class OpenSslInteropTest {

    private static final Instant ISSUED_AT = Instant.parse("2026-03-01T10:00:00Z");
    private static final DeviceTokenVerifier VERIFIER = new DeviceTokenVerifier(
            Clock.fixed(ISSUED_AT.plusSeconds(10), ZoneOffset.UTC), Duration.ofMinutes(5), Duration.ofSeconds(30));

    @Test
    void verifiesEs256FromOpenSsl() throws Exception {
        assertVerifies("ec-p256", "iphone-openssl-ec");
    }

    @Test
    void verifiesEs384FromOpenSsl() throws Exception {
        assertVerifies("ec-p384", "iphone-openssl-ec384");
    }

    @Test
    void verifiesRs256FromOpenSsl() throws Exception {
        assertVerifies("rsa-2048", "iphone-openssl-rsa");
    }

    @Test
    void pkcs1PemNamesConversion() throws IOException {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DevicePublicKeys.fromPem(resource("rsa-2048.pkcs1.pem")));

        assertTrue(e.getMessage().contains("openssl rsa -RSAPublicKey_in"), e.getMessage());
    }

    private static void assertVerifies(String name, String deviceId) throws Exception {
        PublicKey key = DevicePublicKeys.fromPem(resource(name + ".pub.pem"));
        String token = resource(name + ".token").strip();

        VerifiedDeviceToken verified = VERIFIER.verify(token, "certificate-service",
                id -> id.equals(deviceId) ? Optional.of(key) : Optional.empty());

        assertEquals(deviceId, verified.deviceId());
        assertEquals(ISSUED_AT, verified.issuedAt());
        assertEquals(ISSUED_AT.plusSeconds(120), verified.expiresAt());
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = OpenSslInteropTest.class.getResourceAsStream("/openssl/" + name)) {
            if (in == null) {
                throw new IOException("Test resource /openssl/" + name + " not found");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
