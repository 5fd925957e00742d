package io.smimedelivery.deviceauth;

import static io.smimedelivery.deviceauth.DeviceTokenException.Reason.BAD_SIGNATURE;
import static io.smimedelivery.deviceauth.DeviceTokenException.Reason.EXPIRED;
import static io.smimedelivery.deviceauth.DeviceTokenException.Reason.LIFETIME_TOO_LONG;
import static io.smimedelivery.deviceauth.DeviceTokenException.Reason.MALFORMED;
import static io.smimedelivery.deviceauth.DeviceTokenException.Reason.MISSING_CLAIM;
import static io.smimedelivery.deviceauth.DeviceTokenException.Reason.NOT_YET_VALID;
import static io.smimedelivery.deviceauth.DeviceTokenException.Reason.REPLAYED;
import static io.smimedelivery.deviceauth.DeviceTokenException.Reason.UNKNOWN_DEVICE;
import static io.smimedelivery.deviceauth.DeviceTokenException.Reason.UNSUPPORTED_ALGORITHM;
import static io.smimedelivery.deviceauth.DeviceTokenException.Reason.WRONG_AUDIENCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.KeyPair;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;
import org.junit.jupiter.api.Test;

class DeviceTokenVerifierTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final String DEVICE = "device-1";
    private static final String AUDIENCE = "certificate-service";
    private static final Duration SKEW = Duration.ofSeconds(30);
    private static final Duration MAX_LIFETIME = Duration.ofMinutes(5);

    // Round trips

    @Test
    void roundTripRsa2048() throws DeviceTokenException {
        assertRoundTrip(TestKeys.rsa2048());
    }

    @Test
    void roundTripEcP256() throws DeviceTokenException {
        assertRoundTrip(TestKeys.p256());
    }

    @Test
    void roundTripEcP384() throws DeviceTokenException {
        assertRoundTrip(TestKeys.p384());
    }

    @Test
    void acceptsPs256WithRsaKey() throws Exception {
        String token = jws("PS256", validClaims(), TestKeys.rsa2048().getPrivate());

        VerifiedDeviceToken verified = verifierAt(T0).verify(token, AUDIENCE, TestKeys.only(DEVICE, TestKeys.rsa2048()));

        assertEquals(DEVICE, verified.deviceId());
    }

    @Test
    void acceptsAudienceArrayContainingExpected() throws Exception {
        JwtClaims claims = validClaims();
        claims.setAudience("device-service", AUDIENCE);

        VerifiedDeviceToken verified = verifierAt(T0).verify(
                jws("ES256", claims, TestKeys.p256().getPrivate()), AUDIENCE, TestKeys.only(DEVICE, TestKeys.p256()));

        assertEquals(DEVICE, verified.deviceId());
    }

    @Test
    void acceptsApplicationMediaType() throws Exception {
        String token = jws("ES256", validClaims(), TestKeys.p256().getPrivate(),
                jws -> jws.setHeader("typ", "application/Device+JWT"));

        VerifiedDeviceToken verified = verifierAt(T0).verify(token, AUDIENCE, TestKeys.only(DEVICE, TestKeys.p256()));

        assertEquals(DEVICE, verified.deviceId());
    }

    @Test
    void defaultsAreFiveMinutesAndThirtySeconds() {
        DeviceTokenVerifier verifier = DeviceTokenVerifier.withDefaults();

        assertEquals(Duration.ofMinutes(5), verifier.maxLifetime());
        assertEquals(Duration.ofSeconds(30), verifier.allowedClockSkew());
    }

    @Test
    void defaultVerifierAcceptsFreshToken() throws DeviceTokenException {
        String token = new DeviceTokenSigner(DEVICE, TestKeys.p256().getPrivate()).sign(AUDIENCE);

        VerifiedDeviceToken verified = DeviceTokenVerifier.withDefaults()
                .verify(token, AUDIENCE, TestKeys.only(DEVICE, TestKeys.p256()));

        assertEquals(DEVICE, verified.deviceId());
    }

    // Signature and key

    @Test
    void rejectsTamperedPayload() throws Exception {
        String token = signerAt(T0, TestKeys.p256()).sign(AUDIENCE);
        JwtClaims claims = validClaims();
        claims.setExpirationTime(NumericDate.fromSeconds(T0.plusSeconds(3600).getEpochSecond()));
        String[] parts = token.split("\\.");
        String tampered = parts[0] + "." + base64Url(claims.toJson()) + "." + parts[2];

        assertRejected(BAD_SIGNATURE, tampered, TestKeys.only(DEVICE, TestKeys.p256()));
    }

    @Test
    void rejectsTamperedRsaSignature() {
        String token = signerAt(T0, TestKeys.rsa2048()).sign(AUDIENCE);
        String[] parts = token.split("\\.");
        byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
        signature[10] ^= 0x01;
        String tampered = parts[0] + "." + parts[1] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);

        assertRejected(BAD_SIGNATURE, tampered, TestKeys.only(DEVICE, TestKeys.rsa2048()));
    }

    @Test
    void rejectsAlteredAndOutOfRangeEcdsaSignatures() throws Exception {
        for (KeyPair pair : List.of(TestKeys.p256(), TestKeys.p384())) {
            String token = signerAt(T0, pair).sign(AUDIENCE);
            String[] parts = token.split("\\.");
            byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
            int half = signature.length / 2;
            BigInteger order = ((ECPublicKey) pair.getPublic()).getParams().getOrder();
            byte[] flipped = signature.clone();
            flipped[half + 3] ^= 0x40;
            byte[] zeros = new byte[signature.length];
            byte[] rIsOrder = signature.clone();
            byte[] orderBytes = order.toByteArray();
            System.arraycopy(orderBytes, orderBytes.length - half, rIsOrder, 0, half);
            // The same R and S in the ASN.1 DER form of the JDK's SHA256withECDSA, which JWS does not use.
            Signature der = Signature.getInstance(order.bitLength() == 256
                    ? "SHA256withECDSA" : "SHA384withECDSA");
            der.initSign(pair.getPrivate());
            der.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            byte[] derSignature = der.sign();

            for (byte[] altered : List.of(flipped, zeros, rIsOrder, derSignature)) {
                assertRejected(BAD_SIGNATURE, parts[0] + "." + parts[1] + "."
                        + Base64.getUrlEncoder().withoutPadding().encodeToString(altered), TestKeys.only(DEVICE, pair));
            }
            assertRejected(MALFORMED, parts[0] + "." + parts[1] + "." + parts[2].substring(0, 10) + "*" + parts[2].substring(11),
                    TestKeys.only(DEVICE, pair));
        }
    }

    @Test
    void rejectsSignatureByAnotherDevicesKey() {
        for (KeyPair[] pairs : List.of(
                new KeyPair[] {TestKeys.p256(), TestKeys.otherP256()},
                new KeyPair[] {TestKeys.rsa2048(), TestKeys.otherRsa2048()})) {
            String token = new DeviceTokenSigner(DEVICE, pairs[1].getPrivate(), Clock.fixed(T0, ZoneOffset.UTC))
                    .sign(AUDIENCE);

            assertRejected(BAD_SIGNATURE, token, TestKeys.only(DEVICE, pairs[0]));
        }
    }

    @Test
    void rejectsAlgorithmNone() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        DeviceKeys keys = id -> {
            lookups.incrementAndGet();
            return Optional.of(TestKeys.p256().getPublic());
        };
        String token = jws("none", validClaims(), null,
                jws -> jws.setAlgorithmConstraints(AlgorithmConstraints.NO_CONSTRAINTS));

        assertRejected(UNSUPPORTED_ALGORITHM, token, keys);
        assertEquals(0, lookups.get(), "key lookups");
    }

    @Test
    void rejectsHs256WithPublicKeyAsSecret() throws Exception {
        KeyPair pair = TestKeys.rsa2048();
        byte[] pem = DevicePublicKeys.toPem(pair.getPublic()).getBytes(StandardCharsets.US_ASCII);
        byte[] der = pair.getPublic().getEncoded();

        for (byte[] secret : List.of(pem, der)) {
            String token = jws("HS256", validClaims(), new HmacKey(secret));

            assertRejected(UNSUPPORTED_ALGORITHM, token, TestKeys.only(DEVICE, pair));
        }
    }

    @Test
    void rejectsAlgorithmNotFittingKey() throws Exception {
        assertRejected(UNSUPPORTED_ALGORITHM, jws("ES256", validClaims(), TestKeys.p256().getPrivate()),
                TestKeys.only(DEVICE, TestKeys.rsa2048()));
        assertRejected(UNSUPPORTED_ALGORITHM, jws("RS256", validClaims(), TestKeys.rsa2048().getPrivate()),
                TestKeys.only(DEVICE, TestKeys.p256()));
        assertRejected(UNSUPPORTED_ALGORITHM, jws("ES384", validClaims(), TestKeys.p384().getPrivate()),
                TestKeys.only(DEVICE, TestKeys.p256()));
        assertRejected(UNSUPPORTED_ALGORITHM, jws("ES256", validClaims(), TestKeys.p256().getPrivate()),
                TestKeys.only(DEVICE, TestKeys.p384()));
    }

    @Test
    void rejectsOtherAsymmetricAlgorithms() throws Exception {
        assertRejected(UNSUPPORTED_ALGORITHM, jws("RS384", validClaims(), TestKeys.rsa2048().getPrivate()),
                TestKeys.only(DEVICE, TestKeys.rsa2048()));
        assertRejected(UNSUPPORTED_ALGORITHM, jws("ES512", validClaims(), TestKeys.p521().getPrivate()),
                TestKeys.only(DEVICE, TestKeys.p521()));
    }

    @Test
    void rejectsRegisteredRsaKeyUnder2048Bits() throws Exception {
        String token = jws("RS256", validClaims(), TestKeys.rsa1024().getPrivate(), jws -> jws.setDoKeyValidation(false));

        DeviceTokenException e = assertRejected(UNSUPPORTED_ALGORITHM, token, TestKeys.only(DEVICE, TestKeys.rsa1024()));

        assertTrue(e.getMessage().contains("RSA 1024-bit key"), e.getMessage());
    }

    @Test
    void rejectsUnknownDevice() {
        String token = signerAt(T0, TestKeys.p256()).sign(AUDIENCE);

        DeviceTokenException e = assertRejected(UNKNOWN_DEVICE, token, TestKeys.only("device-2", TestKeys.p256()));

        assertTrue(e.getMessage().contains("\"device-1\""), e.getMessage());
    }

    @Test
    void escapesControlCharactersOfDeviceId() throws Exception {
        JwtClaims claims = validClaims();
        claims.setSubject("evil\nINFO forged log line");

        DeviceTokenException e = assertRejected(UNKNOWN_DEVICE, jws("ES256", claims, TestKeys.p256().getPrivate()),
                TestKeys.only(DEVICE, TestKeys.p256()));

        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().contains("evil\\u000aINFO"), e.getMessage());
    }

    // Claims

    @Test
    void rejectsWrongAudience() {
        String token = signerAt(T0, TestKeys.p256()).sign("device-service");

        DeviceTokenException e = assertRejected(WRONG_AUDIENCE, token, TestKeys.only(DEVICE, TestKeys.p256()));

        assertTrue(e.getMessage().contains("\"device-service\""), e.getMessage());
    }

    @Test
    void rejectsMissingClaims() throws Exception {
        for (String claim : List.of("sub", "iss", "aud", "iat", "exp", "jti")) {
            JwtClaims claims = validClaims();
            claims.unsetClaim(claim);
            String token = jws("ES256", claims, TestKeys.p256().getPrivate());

            DeviceTokenException e = assertRejected(MISSING_CLAIM, token, TestKeys.only(DEVICE, TestKeys.p256()));

            assertTrue(e.getMessage().contains("no " + claim + " claim"), e.getMessage());
        }
    }

    @Test
    void acceptsMissingNotBefore() throws Exception {
        JwtClaims claims = validClaims();
        claims.unsetClaim("nbf");

        VerifiedDeviceToken verified = verifierAt(T0).verify(
                jws("ES256", claims, TestKeys.p256().getPrivate()), AUDIENCE, TestKeys.only(DEVICE, TestKeys.p256()));

        assertEquals(DEVICE, verified.deviceId());
    }

    @Test
    void rejectsBlankNonce() throws Exception {
        JwtClaims claims = validClaims();
        claims.setJwtId(" ");

        assertRejected(MISSING_CLAIM, jws("ES256", claims, TestKeys.p256().getPrivate()), TestKeys.only(DEVICE, TestKeys.p256()));
    }

    @Test
    void rejectsOverlongNonce() throws Exception {
        JwtClaims claims = validClaims();
        claims.setJwtId("n".repeat(DeviceTokenVerifier.MAX_NONCE_LENGTH + 1));

        assertRejected(MALFORMED, jws("ES256", claims, TestKeys.p256().getPrivate()), TestKeys.only(DEVICE, TestKeys.p256()));
    }

    @Test
    void rejectsIssuerOtherThanSubject() throws Exception {
        JwtClaims claims = validClaims();
        claims.setIssuer("device-2");

        assertRejected(MALFORMED, jws("ES256", claims, TestKeys.p256().getPrivate()), TestKeys.only(DEVICE, TestKeys.p256()));
    }

    @Test
    void rejectsClaimsOfWrongType() throws Exception {
        List<Consumer<JwtClaims>> changes = List.of(
                c -> c.setClaim("exp", "tomorrow"),
                c -> c.setClaim("iat", List.of(1)),
                c -> c.setClaim("sub", 42),
                c -> c.setClaim("jti", true),
                c -> c.setClaim("aud", List.of(1, 2)),
                c -> c.setClaim("exp", Long.MAX_VALUE),
                c -> c.setClaim("iat", -1));
        for (Consumer<JwtClaims> change : changes) {
            JwtClaims claims = validClaims();
            change.accept(claims);

            assertRejected(MALFORMED, jws("ES256", claims, TestKeys.p256().getPrivate()), TestKeys.only(DEVICE, TestKeys.p256()));
        }
    }

    // Header

    @Test
    void rejectsWrongOrMissingType() throws Exception {
        assertRejected(MALFORMED, jws("ES256", validClaims(), TestKeys.p256().getPrivate(), jws -> jws.setHeader("typ", "JWT")),
                TestKeys.only(DEVICE, TestKeys.p256()));
        assertRejected(MALFORMED, jws("ES256", validClaims(), TestKeys.p256().getPrivate(), jws -> jws.getHeaders().setObjectHeaderValue("typ", null)),
                TestKeys.only(DEVICE, TestKeys.p256()));
    }

    @Test
    void rejectsCriticalHeader() throws Exception {
        String token = jws("ES256", validClaims(), TestKeys.p256().getPrivate(), jws -> {
            jws.setHeader("exp", 1L);
            jws.setCriticalHeaderNames("exp");
        });

        assertRejected(MALFORMED, token, TestKeys.only(DEVICE, TestKeys.p256()));
    }

    @Test
    void rejectsGarbage() {
        List<String> inputs = new ArrayList<>(List.of(
                "",
                "   ",
                "Device abc",
                "abc",
                "a.b",
                "a.b.c",
                "....",
                base64Url("not json") + "." + base64Url("{}") + ".c2ln",
                base64Url("[1,2]") + "." + base64Url("{}") + ".c2ln",
                base64Url("{\"alg\":\"ES256\",\"typ\":\"device+jwt\"}") + "." + base64Url("not json") + ".c2ln",
                base64Url("{\"alg\":\"ES256\",\"typ\":\"device+jwt\"}") + "." + base64Url("[\"sub\"]") + ".c2ln",
                base64Url("{\"alg\":\"ES256\",\"typ\":\"device+jwt\"}") + ".%%%.c2ln",
                "x".repeat(DeviceTokenVerifier.MAX_TOKEN_LENGTH + 1)));
        inputs.add(null);

        for (String input : inputs) {
            DeviceTokenException e = assertThrows(DeviceTokenException.class,
                    () -> verifierAt(T0).verify(input, AUDIENCE, TestKeys.only(DEVICE, TestKeys.p256())),
                    "input " + input);

            assertEquals(MALFORMED, e.reason(), "input " + input + ": " + e.getMessage());
        }
    }

    @Test
    void rejectsGarbageSignature() throws Exception {
        String[] parts = signerAt(T0, TestKeys.p256()).sign(AUDIENCE).split("\\.");

        for (String signature : List.of("", "AAAA", "c2ln", "A".repeat(86))) {
            assertRejected(BAD_SIGNATURE, parts[0] + "." + parts[1] + "." + signature, TestKeys.only(DEVICE, TestKeys.p256()));
        }
    }

    // Validity period and clock skew

    @Test
    void expiryEdgeWithSkew() throws DeviceTokenException {
        String token = signerAt(T0, TestKeys.p256()).sign(AUDIENCE);
        Instant expiry = T0.plus(DeviceTokenSigner.DEFAULT_LIFETIME);

        verifierAt(expiry.plus(SKEW).minusMillis(1)).verify(token, AUDIENCE, TestKeys.only(DEVICE, TestKeys.p256()));
        DeviceTokenException e = assertThrows(DeviceTokenException.class,
                () -> verifierAt(expiry.plus(SKEW)).verify(token, AUDIENCE, TestKeys.only(DEVICE, TestKeys.p256())));

        assertEquals(EXPIRED, e.reason());
    }

    @Test
    void expiryEdgeWithoutSkew() {
        String token = signerAt(T0, TestKeys.p256()).sign(AUDIENCE, Duration.ofSeconds(60));
        DeviceTokenVerifier strict = new DeviceTokenVerifier(Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC), MAX_LIFETIME, Duration.ZERO);

        DeviceTokenException e = assertThrows(DeviceTokenException.class,
                () -> strict.verify(token, AUDIENCE, TestKeys.only(DEVICE, TestKeys.p256())));

        assertEquals(EXPIRED, e.reason());
    }

    @Test
    void notBeforeEdgeWithSkew() throws DeviceTokenException {
        String token = signerAt(T0, TestKeys.p256()).sign(AUDIENCE);

        verifierAt(T0.minus(SKEW)).verify(token, AUDIENCE, TestKeys.only(DEVICE, TestKeys.p256()));
        DeviceTokenException e = assertThrows(DeviceTokenException.class,
                () -> verifierAt(T0.minus(SKEW).minusMillis(1)).verify(token, AUDIENCE, TestKeys.only(DEVICE, TestKeys.p256())));

        assertEquals(NOT_YET_VALID, e.reason());
        assertTrue(e.getMessage().contains("not valid before"), e.getMessage());
    }

    @Test
    void issuedInFutureWithoutNotBefore() throws Exception {
        JwtClaims claims = validClaims();
        claims.unsetClaim("nbf");
        claims.setIssuedAt(NumericDate.fromSeconds(T0.plusSeconds(31).getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(T0.plusSeconds(120).getEpochSecond()));

        DeviceTokenException e = assertRejected(NOT_YET_VALID, jws("ES256", claims, TestKeys.p256().getPrivate()),
                TestKeys.only(DEVICE, TestKeys.p256()));

        assertTrue(e.getMessage().contains("in the future"), e.getMessage());
    }

    @Test
    void issuedWithinSkewIsAccepted() throws Exception {
        JwtClaims claims = validClaims();
        claims.setIssuedAt(NumericDate.fromSeconds(T0.plusSeconds(30).getEpochSecond()));
        claims.setNotBefore(NumericDate.fromSeconds(T0.plusSeconds(30).getEpochSecond()));

        VerifiedDeviceToken verified = verifierAt(T0).verify(
                jws("ES256", claims, TestKeys.p256().getPrivate()), AUDIENCE, TestKeys.only(DEVICE, TestKeys.p256()));

        assertEquals(T0.plusSeconds(30), verified.issuedAt());
    }

    @Test
    void expiryNotAfterIssueIsMalformed() throws Exception {
        JwtClaims claims = validClaims();
        claims.setIssuedAt(NumericDate.fromSeconds(T0.plusSeconds(20).getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(T0.plusSeconds(10).getEpochSecond()));

        assertRejected(MALFORMED, jws("ES256", claims, TestKeys.p256().getPrivate()), TestKeys.only(DEVICE, TestKeys.p256()));
    }

    @Test
    void lifetimeEdge() throws DeviceTokenException {
        DeviceTokenSigner signer = signerAt(T0, TestKeys.p256());

        verifierAt(T0).verify(signer.sign(AUDIENCE, MAX_LIFETIME), AUDIENCE, TestKeys.only(DEVICE, TestKeys.p256()));
        DeviceTokenException e = assertRejected(LIFETIME_TOO_LONG, signer.sign(AUDIENCE, MAX_LIFETIME.plusSeconds(1)),
                TestKeys.only(DEVICE, TestKeys.p256()));

        assertTrue(e.getMessage().contains("PT5M1S"), e.getMessage());
    }

    @Test
    void rejectsExpiredToken() {
        String token = signerAt(T0.minus(Duration.ofHours(1)), TestKeys.p256()).sign(AUDIENCE);

        assertRejected(EXPIRED, token, TestKeys.only(DEVICE, TestKeys.p256()));
    }

    // Replay

    @Test
    void nonceStoreRejectsReplay() throws DeviceTokenException {
        String token = signerAt(T0, TestKeys.p256()).sign(AUDIENCE);
        InMemoryNonceStore nonces = new InMemoryNonceStore(Clock.fixed(T0, ZoneOffset.UTC), 10);
        DeviceTokenVerifier verifier = verifierAt(T0);

        verifier.verify(token, AUDIENCE, TestKeys.only(DEVICE, TestKeys.p256()), nonces);
        DeviceTokenException e = assertThrows(DeviceTokenException.class,
                () -> verifier.verify(token, AUDIENCE, TestKeys.only(DEVICE, TestKeys.p256()), nonces));
        verifier.verify(signerAt(T0, TestKeys.p256()).sign(AUDIENCE), AUDIENCE, TestKeys.only(DEVICE, TestKeys.p256()), nonces);

        assertEquals(REPLAYED, e.reason());
        assertFalse(e.getMessage().contains(token), e.getMessage());
    }

    @Test
    void nonceKeptUntilExpiryPlusSkew() throws DeviceTokenException {
        String token = signerAt(T0, TestKeys.p256()).sign(AUDIENCE);
        List<Instant> expiries = new ArrayList<>();
        NonceStore recording = (deviceId, nonce, expiresAt) -> expiries.add(expiresAt);

        verifierAt(T0).verify(token, AUDIENCE, TestKeys.only(DEVICE, TestKeys.p256()), recording);

        assertEquals(List.of(T0.plus(DeviceTokenSigner.DEFAULT_LIFETIME).plus(SKEW)), expiries);
    }

    @Test
    void nonceStoreNotCalledForInvalidToken() {
        String token = signerAt(T0, TestKeys.p256()).sign("device-service");
        NonceStore failing = (deviceId, nonce, expiresAt) -> {
            throw new AssertionError("nonce store called");
        };

        DeviceTokenException e = assertThrows(DeviceTokenException.class,
                () -> verifierAt(T0).verify(token, AUDIENCE, TestKeys.only(DEVICE, TestKeys.p256()), failing));

        assertEquals(WRONG_AUDIENCE, e.reason());
    }

    @Test
    void rejectsInvalidSettings() {
        Clock clock = Clock.systemUTC();

        assertThrows(IllegalArgumentException.class, () -> new DeviceTokenVerifier(clock, Duration.ZERO, SKEW));
        assertThrows(IllegalArgumentException.class, () -> new DeviceTokenVerifier(clock, MAX_LIFETIME, Duration.ofSeconds(-1)));
    }

    // Helpers

    private static void assertRoundTrip(KeyPair pair) throws DeviceTokenException {
        String token = signerAt(T0, pair).sign(AUDIENCE);

        VerifiedDeviceToken verified = verifierAt(T0.plusSeconds(5)).verify(token, AUDIENCE, TestKeys.only(DEVICE, pair));

        assertEquals(DEVICE, verified.deviceId());
        assertEquals(T0, verified.issuedAt());
        assertEquals(T0.plus(DeviceTokenSigner.DEFAULT_LIFETIME), verified.expiresAt());
        assertEquals(22, verified.nonce().length());
    }

    /** Verifies at T0 and checks the reason and that the message does not contain the token or any of its parts. */
    private static DeviceTokenException assertRejected(DeviceTokenException.Reason reason, String token, DeviceKeys keys) {
        DeviceTokenException e = assertThrows(DeviceTokenException.class, () -> verifierAt(T0).verify(token, AUDIENCE, keys));

        assertEquals(reason, e.reason(), e.getMessage());
        for (String part : token.split("\\.")) {
            if (part.length() >= 8) {
                assertFalse(e.getMessage().contains(part), "message contains a token part: " + e.getMessage());
            }
        }
        return e;
    }

    private static DeviceTokenSigner signerAt(Instant now, KeyPair pair) {
        return new DeviceTokenSigner(DEVICE, pair.getPrivate(), Clock.fixed(now, ZoneOffset.UTC));
    }

    private static DeviceTokenVerifier verifierAt(Instant now) {
        return new DeviceTokenVerifier(Clock.fixed(now, ZoneOffset.UTC), MAX_LIFETIME, SKEW);
    }

    /** Returns the claims that DeviceTokenSigner would write at T0, for tests that change one of them. */
    private static JwtClaims validClaims() {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(DEVICE);
        claims.setSubject(DEVICE);
        claims.setAudience(AUDIENCE);
        claims.setIssuedAt(NumericDate.fromSeconds(T0.getEpochSecond()));
        claims.setNotBefore(NumericDate.fromSeconds(T0.getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(T0.plusSeconds(120).getEpochSecond()));
        claims.setJwtId("bm9uY2Utb2YtdGVzdA");
        return claims;
    }

    private static String jws(String algorithm, JwtClaims claims, Key key) throws JoseException {
        return jws(algorithm, claims, key, jws -> { });
    }

    /** Signs claims with any algorithm and header, including ones that DeviceTokenSigner never produces. */
    private static String jws(String algorithm, JwtClaims claims, Key key, Consumer<JsonWebSignature> customize)
            throws JoseException {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setAlgorithmHeaderValue(algorithm);
        jws.setHeader("typ", DeviceTokenSigner.TOKEN_TYPE);
        jws.setPayload(claims.toJson());
        jws.setKey(key);
        customize.accept(jws);
        return jws.getCompactSerialization();
    }

    private static String base64Url(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
