package io.smimedelivery.notification.push;

import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

/**
 * Signs and caches the APNs provider token: a JWT with header alg ES256 and kid (the key id), and claims
 * iss (the team id) and iat. Instances are thread-safe.
 *
 * <p>APNs rejects a token whose iat is more than one hour old, and responds with TooManyProviderTokenUpdates
 * when a provider changes its token more often than once every 20 minutes. The signer therefore reuses a
 * token for {@link #REFRESH_INTERVAL}, unless the gateway rejected it and the caller invalidated it.
 */
public final class ApnsTokenSigner {

    /** Age at which a cached token is replaced by a new one. */
    public static final Duration REFRESH_INTERVAL = Duration.ofMinutes(40);

    private final String teamId;
    private final String keyId;
    private final PrivateKey key;
    private final Clock clock;

    // Guarded by this. Null until the first token is signed and after invalidate().
    private String cachedToken;
    private Instant cachedIssuedAt;

    /**
     * Creates a signer that takes iat from the given clock.
     *
     * @throws IllegalArgumentException if the team id or key id is blank or the key is not an EC P-256 key
     */
    public ApnsTokenSigner(String teamId, String keyId, PrivateKey key, Clock clock) {
        Objects.requireNonNull(teamId, "teamId");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(key, "key");
        if (teamId.isBlank()) {
            throw new IllegalArgumentException("Team id must not be blank");
        }
        if (keyId.isBlank()) {
            throw new IllegalArgumentException("Key id must not be blank");
        }
        if (!isP256(key)) {
            throw new IllegalArgumentException("APNs signing key must be an EC P-256 key, got " + describe(key));
        }
        this.teamId = teamId;
        this.keyId = keyId;
        this.key = key;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Returns the cached token, or signs a new one if there is none or the cached one is at least
     * {@link #REFRESH_INTERVAL} old.
     *
     * @throws IllegalStateException if the security provider fails to sign
     */
    public synchronized String token() {
        Instant now = clock.instant();
        if (cachedToken != null && Duration.between(cachedIssuedAt, now).compareTo(REFRESH_INTERVAL) < 0) {
            return cachedToken;
        }
        Instant issuedAt = Instant.ofEpochSecond(now.getEpochSecond());
        cachedToken = sign(issuedAt);
        cachedIssuedAt = issuedAt;
        return cachedToken;
    }

    /**
     * Drops the cached token if it is the given one, so that the next {@link #token()} signs a new one.
     * Callers pass the token that the gateway rejected. A token that another thread has already replaced
     * stays cached, so that concurrent rejections of one token cause one refresh.
     */
    public synchronized void invalidate(String rejectedToken) {
        if (cachedToken != null && cachedToken.equals(rejectedToken)) {
            cachedToken = null;
            cachedIssuedAt = null;
        }
    }

    private String sign(Instant issuedAt) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(teamId);
        claims.setIssuedAt(NumericDate.fromSeconds(issuedAt.getEpochSecond()));

        JsonWebSignature jws = new JsonWebSignature();
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        jws.setKeyIdHeaderValue(keyId);
        jws.setPayload(claims.toJson());
        jws.setKey(key);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            // The constructor checked the key, so this is a failure of the security provider.
            throw new IllegalStateException("Signing the APNs provider token with key id " + keyId + " failed", e);
        }
    }

    private static boolean isP256(PrivateKey key) {
        if (!(key instanceof ECPrivateKey ecKey)) {
            return false;
        }
        ECParameterSpec params = ecKey.getParams();
        ECParameterSpec p256 = P256Parameters.SPEC;
        return params.getCurve().equals(p256.getCurve())
                && params.getGenerator().equals(p256.getGenerator())
                && params.getOrder().equals(p256.getOrder());
    }

    private static String describe(PrivateKey key) {
        if (key instanceof ECPrivateKey ecKey) {
            return "an EC key on a " + ecKey.getParams().getCurve().getField().getFieldSize() + "-bit curve other than P-256";
        }
        return "a " + key.getAlgorithm() + " key";
    }

    /** Domain parameters of P-256 (secp256r1), loaded once from the JDK. */
    private static final class P256Parameters {
        static final ECParameterSpec SPEC = load();

        private static ECParameterSpec load() {
            try {
                AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
                parameters.init(new ECGenParameterSpec("secp256r1"));
                return parameters.getParameterSpec(ECParameterSpec.class);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("The JDK does not provide the EC curve secp256r1", e);
            }
        }
    }
}
