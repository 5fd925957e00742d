package io.smimedelivery.deviceauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.jose4j.json.JsonUtil;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.lang.JoseException;
import org.junit.jupiter.api.Test;

class DeviceTokenSignerTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @Test
    void algorithmFollowsKeyType() {
        assertEquals("RS256", new DeviceTokenSigner("d", TestKeys.rsa2048().getPrivate()).algorithm());
        assertEquals("ES256", new DeviceTokenSigner("d", TestKeys.p256().getPrivate()).algorithm());
        assertEquals("ES384", new DeviceTokenSigner("d", TestKeys.p384().getPrivate()).algorithm());
    }

    @Test
    void headerHasTypeAndAlgorithm() throws JoseException {
        for (KeyPair pair : List.of(TestKeys.rsa2048(), TestKeys.p256(), TestKeys.p384())) {
            DeviceTokenSigner signer = new DeviceTokenSigner("device-1", pair.getPrivate(), CLOCK);

            Map<String, Object> header = part(signer.sign("certificate-service"), 0);

            assertEquals("device+jwt", header.get("typ"));
            assertEquals(signer.algorithm(), header.get("alg"));
            assertEquals(2, header.size(), "header " + header);
        }
    }

    @Test
    void claimsNameDeviceAudienceAndTimes() throws JoseException {
        DeviceTokenSigner signer = new DeviceTokenSigner("device-1", TestKeys.p256().getPrivate(), CLOCK);

        Map<String, Object> claims = part(signer.sign("certificate-service"), 1);

        assertEquals("device-1", claims.get("iss"));
        assertEquals("device-1", claims.get("sub"));
        assertEquals("certificate-service", claims.get("aud"));
        assertEquals(NOW.getEpochSecond(), claims.get("iat"));
        assertEquals(NOW.getEpochSecond(), claims.get("nbf"));
        assertEquals(NOW.plusSeconds(120).getEpochSecond(), claims.get("exp"));
        assertEquals(7, claims.size(), "claims " + claims);
    }

    @Test
    void nonceIs128BitBase64Url() throws JoseException {
        DeviceTokenSigner signer = new DeviceTokenSigner("device-1", TestKeys.p256().getPrivate(), CLOCK);

        String first = (String) part(signer.sign("a"), 1).get("jti");
        String second = (String) part(signer.sign("a"), 1).get("jti");

        assertTrue(first.matches("[A-Za-z0-9_-]{22}"), first);
        assertEquals(16, Base64.getUrlDecoder().decode(first).length);
        assertNotEquals(first, second);
    }

    @Test
    void customLifetimeSetsExpiry() throws JoseException {
        DeviceTokenSigner signer = new DeviceTokenSigner("device-1", TestKeys.p256().getPrivate(), CLOCK);

        Map<String, Object> claims = part(signer.sign("a", Duration.ofMillis(45_900)), 1);

        assertEquals(NOW.plusSeconds(45).getEpochSecond(), claims.get("exp"));
    }

    @Test
    void ecdsaTokensVerifyWithJdkProvider() throws JoseException {
        // 300 signatures per curve, so an R or S with a leading zero byte (about 1 in 256) most likely occurs.
        for (KeyPair pair : List.of(TestKeys.p256(), TestKeys.p384())) {
            DeviceTokenSigner signer = new DeviceTokenSigner("device-1", pair.getPrivate());
            int expectedLength = signer.algorithm().equals("ES256") ? 64 : 96;
            for (int i = 0; i < 300; i++) {
                String token = signer.sign("certificate-service");
                JsonWebSignature jws = new JsonWebSignature();
                jws.setCompactSerialization(token);
                jws.setKey(pair.getPublic());

                assertTrue(jws.verifySignature(), signer.algorithm() + " token " + token);
                assertEquals(expectedLength, Base64.getUrlDecoder().decode(token.split("\\.")[2]).length);
            }
        }
    }

    @Test
    void rejectsInvalidArguments() {
        DeviceTokenSigner signer = new DeviceTokenSigner("device-1", TestKeys.p256().getPrivate(), CLOCK);

        assertThrows(IllegalArgumentException.class, () -> signer.sign(" "));
        assertThrows(IllegalArgumentException.class, () -> signer.sign("a", Duration.ofMillis(999)));
        assertThrows(IllegalArgumentException.class, () -> signer.sign("a", Duration.ofSeconds(-5)));
        assertThrows(IllegalArgumentException.class,
                () -> new DeviceTokenSigner(" ", TestKeys.p256().getPrivate(), CLOCK));
    }

    @Test
    void rejectsUnsupportedKeys() {
        IllegalArgumentException rsa = assertThrows(IllegalArgumentException.class,
                () -> new DeviceTokenSigner("d", TestKeys.rsa1024().getPrivate()));
        IllegalArgumentException p521 = assertThrows(IllegalArgumentException.class,
                () -> new DeviceTokenSigner("d", TestKeys.p521().getPrivate()));

        assertTrue(rsa.getMessage().contains("RSA 1024-bit key"), rsa.getMessage());
        assertTrue(p521.getMessage().contains("521-bit curve"), p521.getMessage());
    }

    private static Map<String, Object> part(String token, int index) throws JoseException {
        String json = new String(Base64.getUrlDecoder().decode(token.split("\\.")[index]), StandardCharsets.UTF_8);
        return JsonUtil.parseJson(json);
    }
}
