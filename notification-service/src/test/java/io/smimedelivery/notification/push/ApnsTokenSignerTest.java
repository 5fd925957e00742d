package io.smimedelivery.notification.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.smimedelivery.infra.PushSigningKey;

class ApnsTokenSignerTest {

    private static final Instant NOW = Instant.parse("2026-12-04T10:00:00.750Z");

    private static PushSigningKey key;

    @BeforeAll
    static void generateKey() throws Exception {
        key = PushSigningKey.generateP256();
    }

    @Test
    void tokenHasApnsHeaderAndClaims() throws Exception {
        ApnsTokenSigner signer = new ApnsTokenSigner("TEAM123456", "KEY7654321", key.keyPair().getPrivate(),
                new MutableClock(NOW));

        JsonWebSignature jws = new JsonWebSignature();
        jws.setCompactSerialization(signer.token());
        jws.setKey(key.keyPair().getPublic());

        assertTrue(jws.verifySignature());
        assertEquals("ES256", jws.getAlgorithmHeaderValue());
        assertEquals("KEY7654321", jws.getKeyIdHeaderValue());
        JwtClaims claims = JwtClaims.parse(jws.getPayload());
        assertEquals("TEAM123456", claims.getIssuer());
        assertEquals(NOW.getEpochSecond(), claims.getIssuedAt().getValue(), "iat in whole seconds");
    }

    @Test
    void tokenReusedForFortyMinutes() {
        MutableClock clock = new MutableClock(NOW);
        ApnsTokenSigner signer = new ApnsTokenSigner("TEAM123456", "KEY7654321", key.keyPair().getPrivate(), clock);

        String first = signer.token();
        clock.advance(ApnsTokenSigner.REFRESH_INTERVAL.minusSeconds(1));
        String beforeRefresh = signer.token();
        clock.advance(Duration.ofSeconds(1));
        String afterRefresh = signer.token();
        clock.advance(Duration.ofMinutes(10));
        String reusedAgain = signer.token();

        // Plain booleans, so that a failure does not print provider tokens.
        assertTrue(first.equals(beforeRefresh), "reused before 40 minutes");
        assertFalse(first.equals(afterRefresh), "replaced at 40 minutes");
        assertTrue(afterRefresh.equals(reusedAgain), "the replacement is cached");
    }

    @Test
    void refreshIntervalIsFortyMinutes() {
        assertEquals(Duration.ofMinutes(40), ApnsTokenSigner.REFRESH_INTERVAL);
    }

    @Test
    void invalidateDropsOnlyTheRejectedToken() {
        ApnsTokenSigner signer = new ApnsTokenSigner("TEAM123456", "KEY7654321", key.keyPair().getPrivate(),
                new MutableClock(NOW));

        String first = signer.token();
        signer.invalidate(first);
        String second = signer.token();
        signer.invalidate(first);
        String stillSecond = signer.token();

        assertFalse(first.equals(second), "a rejected token is replaced");
        assertTrue(second.equals(stillSecond), "a stale rejection leaves the newer token cached");
    }

    @Test
    void concurrentCallersShareOneToken() throws Exception {
        ApnsTokenSigner signer = new ApnsTokenSigner("TEAM123456", "KEY7654321", key.keyPair().getPrivate(),
                new MutableClock(NOW));
        ExecutorService executor = Executors.newFixedThreadPool(8);
        try {
            List<Callable<String>> calls = IntStream.range(0, 64).<Callable<String>>mapToObj(i -> signer::token).toList();
            Set<String> tokens = executor.invokeAll(calls).stream().map(ApnsTokenSignerTest::result)
                    .collect(Collectors.toSet());

            assertEquals(1, tokens.size());
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void keyOtherThanP256IsRejected() throws Exception {
        PrivateKey p384 = PushSigningKey.generate("secp384r1").keyPair().getPrivate();
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        PrivateKey rsaKey = rsa.generateKeyPair().getPrivate();
        MutableClock clock = new MutableClock(NOW);

        IllegalArgumentException p384Error = assertThrows(IllegalArgumentException.class,
                () -> new ApnsTokenSigner("TEAM123456", "KEY7654321", p384, clock));
        IllegalArgumentException rsaError = assertThrows(IllegalArgumentException.class,
                () -> new ApnsTokenSigner("TEAM123456", "KEY7654321", rsaKey, clock));

        assertTrue(p384Error.getMessage().contains("384-bit curve"), p384Error.getMessage());
        assertTrue(rsaError.getMessage().contains("RSA key"), rsaError.getMessage());
    }

    @Test
    void blankIdsAreRejected() {
        PrivateKey privateKey = key.keyPair().getPrivate();
        MutableClock clock = new MutableClock(NOW);

        assertThrows(IllegalArgumentException.class, () -> new ApnsTokenSigner(" ", "KEY7654321", privateKey, clock));
        assertThrows(IllegalArgumentException.class, () -> new ApnsTokenSigner("TEAM123456", "", privateKey, clock));
        assertThrows(NullPointerException.class, () -> new ApnsTokenSigner("TEAM123456", "KEY7654321", null, clock));
    }

    @Test
    void errorMessagesContainNoKeyMaterial() throws Exception {
        PushSigningKey p384 = PushSigningKey.generate("secp384r1");

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> new ApnsTokenSigner("TEAM123456", "KEY7654321", p384.keyPair().getPrivate(), new MutableClock(NOW)));

        assertFalse(error.getMessage().contains(p384.base64Body().substring(0, 16)));
    }

    private static String result(Future<String> future) {
        try {
            return future.get();
        } catch (Exception e) {
            throw new AssertionError("signing failed", e);
        }
    }
}
