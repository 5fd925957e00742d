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

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwa.AlgorithmConstraints.ConstraintType;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.ReservedClaimNames;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwx.HeaderParameterNames;
import org.jose4j.lang.JoseException;

/**
 * Verifies device tokens signed by {@link DeviceTokenSigner} or by a device that follows the same
 * format. Instances are immutable and thread-safe.
 *
 * <p>The verifier reads the device id from the sub claim before the signature is checked, looks up
 * that device's key, and then checks in this order: the signature, iss equal to sub, the audience,
 * exp, nbf and iat against the clock with the allowed skew, the lifetime from iat to exp, and the
 * presence of jti. Only RS256, PS256, ES256 and ES384 are accepted, and the algorithm must fit the
 * type of the registered key.
 */
public final class DeviceTokenVerifier {

    /** Maximum span from iat to exp used by {@link #withDefaults()}. */
    public static final Duration DEFAULT_MAX_LIFETIME = Duration.ofMinutes(5);

    /** Clock skew tolerated by {@link #withDefaults()} when comparing exp, nbf and iat with the clock. */
    public static final Duration DEFAULT_ALLOWED_CLOCK_SKEW = Duration.ofSeconds(30);

    /** Longest accepted jti, so that a database-backed nonce store can keep it in a VARCHAR(255) column. */
    public static final int MAX_NONCE_LENGTH = 255;

    /**
     * Longest accepted token in characters. A device token signed with an 8192-bit RSA key is about
     * 1,700 characters (an estimate from the 1,366-character signature), so this limit only cuts
     * off input that cannot be a device token.
     */
    public static final int MAX_TOKEN_LENGTH = 8192;

    static final Set<String> ACCEPTED_ALGORITHMS = Set.of("RS256", "PS256", "ES256", "ES384");

    private static final String ACCEPTED_ALGORITHM_LIST = "RS256, PS256, ES256, ES384";

    /** Latest NumericDate accepted (9999-12-31T23:59:59Z), which keeps all Instant arithmetic in range. */
    private static final long MAX_NUMERIC_DATE = 253_402_300_799L;

    private final Clock clock;
    private final Duration maxLifetime;
    private final Duration allowedClockSkew;

    /**
     * Creates a verifier.
     *
     * @param clock source of the current time
     * @param maxLifetime maximum span from iat to exp, which must be positive
     * @param allowedClockSkew tolerance for differences between the device's clock and this
     *     service's clock, which must not be negative
     */
    public DeviceTokenVerifier(Clock clock, Duration maxLifetime, Duration allowedClockSkew) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxLifetime = Objects.requireNonNull(maxLifetime, "maxLifetime");
        this.allowedClockSkew = Objects.requireNonNull(allowedClockSkew, "allowedClockSkew");
        if (maxLifetime.isNegative() || maxLifetime.isZero()) {
            throw new IllegalArgumentException("Maximum token lifetime must be positive, got " + maxLifetime);
        }
        if (allowedClockSkew.isNegative()) {
            throw new IllegalArgumentException("Allowed clock skew must not be negative, got " + allowedClockSkew);
        }
    }

    /**
     * Creates a verifier on the system clock with a maximum lifetime of 5 minutes and a clock skew
     * of 30 seconds.
     */
    public static DeviceTokenVerifier withDefaults() {
        return new DeviceTokenVerifier(Clock.systemUTC(), DEFAULT_MAX_LIFETIME, DEFAULT_ALLOWED_CLOCK_SKEW);
    }

    public Duration maxLifetime() {
        return maxLifetime;
    }

    public Duration allowedClockSkew() {
        return allowedClockSkew;
    }

    /**
     * Verifies a device token without a replay check. A caller that checks replays itself passes
     * {@code expiresAt().plus(allowedClockSkew())} to its nonce store, because this verifier
     * accepts the token until then.
     *
     * @param token the compact JWS, without the "Device " scheme prefix
     * @param expectedAudience the audience of the calling service, which the aud claim must contain
     * @param keys lookup of the registered public key of the device that the sub claim names
     * @return the verified claims
     * @throws DeviceTokenException if a check fails, with a reason that names the check
     */
    public VerifiedDeviceToken verify(String token, String expectedAudience, DeviceKeys keys)
            throws DeviceTokenException {
        Objects.requireNonNull(expectedAudience, "expectedAudience");
        Objects.requireNonNull(keys, "keys");

        JsonWebSignature jws = parse(token);
        String algorithm = checkHeader(jws);
        JwtClaims claims = parseClaims(jws);
        String deviceId = requireString(claims, ReservedClaimNames.SUBJECT, null);

        PublicKey key = keys.publicKeyOf(deviceId)
                .orElseThrow(() -> new DeviceTokenException(UNKNOWN_DEVICE,
                        "Device token names device " + LogText.quote(deviceId) + ", which has no registered public key"));
        checkKeyFitsAlgorithm(algorithm, key, deviceId);
        checkSignature(jws, token, algorithm, key, deviceId);

        String issuer = requireString(claims, ReservedClaimNames.ISSUER, deviceId);
        if (!issuer.equals(deviceId)) {
            throw new DeviceTokenException(MALFORMED, "Device token of device " + LogText.quote(deviceId)
                    + " has issuer " + LogText.quote(issuer) + ". The iss claim must equal sub");
        }
        checkAudience(claims, expectedAudience, deviceId);

        Instant issuedAt = requireNumericDate(claims, ReservedClaimNames.ISSUED_AT, deviceId);
        Instant expiresAt = requireNumericDate(claims, ReservedClaimNames.EXPIRATION_TIME, deviceId);
        Instant notBefore = claims.hasClaim(ReservedClaimNames.NOT_BEFORE)
                ? requireNumericDate(claims, ReservedClaimNames.NOT_BEFORE, deviceId)
                : null;
        checkValidityPeriod(issuedAt, notBefore, expiresAt, deviceId);

        String nonce = requireString(claims, ReservedClaimNames.JWT_ID, deviceId);
        if (nonce.isBlank()) {
            throw new DeviceTokenException(MISSING_CLAIM, "Device token of device " + LogText.quote(deviceId) + " has a blank jti claim");
        }
        if (nonce.length() > MAX_NONCE_LENGTH) {
            throw new DeviceTokenException(MALFORMED, "Device token of device " + LogText.quote(deviceId) + " has a jti of "
                    + nonce.length() + " characters. The maximum is " + MAX_NONCE_LENGTH);
        }
        return new VerifiedDeviceToken(deviceId, nonce, issuedAt, expiresAt);
    }

    /**
     * Verifies a device token and records its nonce, rejecting a token whose nonce the store has
     * already seen for the same device. The store keeps the nonce until exp plus the allowed clock
     * skew, the last instant at which this verifier accepts the token.
     *
     * @throws DeviceTokenException with reason {@code REPLAYED} for a nonce used before, or any
     *     reason of {@link #verify(String, String, DeviceKeys)}
     */
    public VerifiedDeviceToken verify(String token, String expectedAudience, DeviceKeys keys, NonceStore nonces)
            throws DeviceTokenException {
        Objects.requireNonNull(nonces, "nonces");
        VerifiedDeviceToken verified = verify(token, expectedAudience, keys);
        Instant acceptedUntil = verified.expiresAt().plus(allowedClockSkew);
        if (!nonces.firstUse(verified.deviceId(), verified.nonce(), acceptedUntil)) {
            throw new DeviceTokenException(REPLAYED, "Device token of device " + LogText.quote(verified.deviceId())
                    + " reuses nonce " + LogText.quote(verified.nonce()) + ". Each token is accepted once");
        }
        return verified;
    }

    /**
     * Checks an ES256 or ES384 signature with BouncyCastle's ECDSA. On the benchmark machine of
     * docs/benchmarks.md a whole ES256 token check took 0.21 ms this way and 1.0 ms with the JDK 17 provider
     * that jose4j uses. The JWS signature is R and S as two big-endian integers of the curve's order size
     * (RFC 7518, section 3.4). {@link ECDSASigner} rejects R and S outside [1, n-1].
     */
    private static void checkEcdsaSignature(String token, String algorithm, PublicKey key, String deviceId)
            throws DeviceTokenException {
        boolean p256 = algorithm.equals("ES256");
        int expectedLength = p256 ? 64 : 96;
        // The token parsed as a compact JWS, so it has exactly two dots; the signing input ends at the second.
        int signatureStart = token.lastIndexOf('.');
        byte[] signature;
        try {
            signature = Base64.getUrlDecoder().decode(token.substring(signatureStart + 1));
        } catch (IllegalArgumentException e) {
            throw new DeviceTokenException(MALFORMED, "Device token of device " + LogText.quote(deviceId)
                    + " has a signature that is not base64url");
        }
        if (signature.length != expectedLength) {
            throw new DeviceTokenException(BAD_SIGNATURE, "Device token of device " + LogText.quote(deviceId) + " has an "
                    + algorithm + " signature of " + signature.length + " bytes. Expected " + expectedLength
                    + " bytes (R and S, RFC 7518 section 3.4)");
        }
        boolean valid;
        try {
            ECDSASigner verifier = new ECDSASigner();
            verifier.init(false, PublicKeyFactory.createKey(key.getEncoded()));
            byte[] digest = MessageDigest.getInstance(p256 ? "SHA-256" : "SHA-384")
                    .digest(token.substring(0, signatureStart).getBytes(StandardCharsets.US_ASCII));
            int half = expectedLength / 2;
            valid = verifier.verifySignature(digest, new BigInteger(1, Arrays.copyOfRange(signature, 0, half)),
                    new BigInteger(1, Arrays.copyOfRange(signature, half, expectedLength)));
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            throw new DeviceTokenException(BAD_SIGNATURE, "Verifying the " + algorithm + " signature of the device token of device "
                    + LogText.quote(deviceId) + " failed: " + e.getMessage(), e);
        }
        if (!valid) {
            throw new DeviceTokenException(BAD_SIGNATURE, "Device token signature does not verify with the registered public key of device "
                    + LogText.quote(deviceId) + ". The token was altered, or the device signed it with a key other than the registered one");
        }
    }

    private static JsonWebSignature parse(String token) throws DeviceTokenException {
        if (token == null || token.isBlank()) {
            throw new DeviceTokenException(MALFORMED, "Device token is missing or empty");
        }
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw new DeviceTokenException(MALFORMED, "Device token is " + token.length()
                    + " characters long. The maximum is " + MAX_TOKEN_LENGTH);
        }
        JsonWebSignature jws = new JsonWebSignature();
        try {
            jws.setCompactSerialization(token);
        } catch (JoseException | RuntimeException e) {
            // The cause is dropped because jose4j messages can quote decoded parts of the token.
            throw new DeviceTokenException(MALFORMED,
                    "Device token is not a compact JWS (three base64url parts separated by dots, with a JSON header)");
        }
        return jws;
    }

    /** Checks the typ and alg headers and rejects crit, and returns the algorithm. */
    private static String checkHeader(JsonWebSignature jws) throws DeviceTokenException {
        Object type = jws.getObjectHeader(HeaderParameterNames.TYPE);
        if (!(type instanceof String typeName) || !isDeviceTokenType(typeName)) {
            throw new DeviceTokenException(MALFORMED, "Device token has typ header " + describeHeader(type)
                    + ". Expected " + LogText.quote(DeviceTokenSigner.TOKEN_TYPE));
        }
        if (jws.getObjectHeader(HeaderParameterNames.CRITICAL) != null) {
            throw new DeviceTokenException(MALFORMED, "Device token has a crit header. Device tokens use no critical extensions");
        }
        Object algorithm = jws.getObjectHeader(HeaderParameterNames.ALGORITHM);
        if (!(algorithm instanceof String algorithmName) || !ACCEPTED_ALGORITHMS.contains(algorithmName)) {
            throw new DeviceTokenException(UNSUPPORTED_ALGORITHM, "Device token has alg header " + describeHeader(algorithm)
                    + ". Accepted algorithms are " + ACCEPTED_ALGORITHM_LIST);
        }
        return algorithmName;
    }

    /** Accepts the media type with or without the "application/" prefix, ignoring case (RFC 7515, section 4.1.9). */
    private static boolean isDeviceTokenType(String type) {
        return type.equalsIgnoreCase(DeviceTokenSigner.TOKEN_TYPE)
                || type.equalsIgnoreCase("application/" + DeviceTokenSigner.TOKEN_TYPE);
    }

    private static JwtClaims parseClaims(JsonWebSignature jws) throws DeviceTokenException {
        try {
            return JwtClaims.parse(jws.getUnverifiedPayload());
        } catch (InvalidJwtException | RuntimeException e) {
            // The cause is dropped because the jose4j message quotes the claims JSON.
            throw new DeviceTokenException(MALFORMED, "Device token payload is not a JSON object of claims");
        }
    }

    private static void checkKeyFitsAlgorithm(String algorithm, PublicKey key, String deviceId)
            throws DeviceTokenException {
        DeviceKeyType keyType;
        try {
            keyType = DeviceKeyType.of(key);
        } catch (IllegalArgumentException e) {
            throw new DeviceTokenException(UNSUPPORTED_ALGORITHM, "Registered public key of device " + LogText.quote(deviceId)
                    + " is unsupported (" + DeviceKeyType.describe(key) + "). Device tokens need "
                    + DeviceKeyType.SUPPORTED_KEYS);
        }
        if (!keyType.accepts(algorithm)) {
            throw new DeviceTokenException(UNSUPPORTED_ALGORITHM, "Device token of device " + LogText.quote(deviceId)
                    + " uses " + algorithm + ", which does not fit the device's registered " + keyType.displayName()
                    + " key. Expected " + keyType.signingAlgorithm());
        }
    }

    private static void checkSignature(JsonWebSignature jws, String token, String algorithm, PublicKey key,
            String deviceId) throws DeviceTokenException {
        if (algorithm.startsWith("ES")) {
            checkEcdsaSignature(token, algorithm, key, deviceId);
            return;
        }
        jws.setAlgorithmConstraints(new AlgorithmConstraints(ConstraintType.PERMIT, algorithm));
        jws.setKey(key);
        boolean valid;
        try {
            valid = jws.verifySignature();
        } catch (JoseException e) {
            throw new DeviceTokenException(BAD_SIGNATURE, "Verifying the " + algorithm + " signature of the device token of device "
                    + LogText.quote(deviceId) + " failed: " + e.getMessage(), e);
        }
        if (!valid) {
            throw new DeviceTokenException(BAD_SIGNATURE, "Device token signature does not verify with the registered public key of device "
                    + LogText.quote(deviceId) + ". The token was altered, or the device signed it with a key other than the registered one");
        }
    }

    private static void checkAudience(JwtClaims claims, String expectedAudience, String deviceId)
            throws DeviceTokenException {
        if (!claims.hasClaim(ReservedClaimNames.AUDIENCE)) {
            throw missingClaim(ReservedClaimNames.AUDIENCE, deviceId);
        }
        List<String> audiences;
        try {
            audiences = claims.getAudience();
        } catch (MalformedClaimException e) {
            throw new DeviceTokenException(MALFORMED, "Device token of device " + LogText.quote(deviceId)
                    + " has an aud claim that is neither a string nor an array of strings");
        }
        if (!audiences.contains(expectedAudience)) {
            throw new DeviceTokenException(WRONG_AUDIENCE, "Device token of device " + LogText.quote(deviceId) + " is for audience "
                    + describeAudiences(audiences) + ", not for " + LogText.quote(expectedAudience));
        }
    }

    private void checkValidityPeriod(Instant issuedAt, Instant notBefore, Instant expiresAt, String deviceId)
            throws DeviceTokenException {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        // RFC 7519 accepts a token only before exp, and the skew moves that instant later.
        if (!now.isBefore(expiresAt.plus(allowedClockSkew))) {
            throw new DeviceTokenException(EXPIRED, "Device token of device " + LogText.quote(deviceId) + " expired at " + expiresAt
                    + ". The time is now " + now + " and the allowed clock skew is " + allowedClockSkew);
        }
        if (notBefore != null && now.isBefore(notBefore.minus(allowedClockSkew))) {
            throw new DeviceTokenException(NOT_YET_VALID, "Device token of device " + LogText.quote(deviceId) + " is not valid before "
                    + notBefore + ". The time is now " + now + " and the allowed clock skew is " + allowedClockSkew
                    + ". Check the device's clock");
        }
        if (now.isBefore(issuedAt.minus(allowedClockSkew))) {
            throw new DeviceTokenException(NOT_YET_VALID, "Device token of device " + LogText.quote(deviceId) + " was issued at "
                    + issuedAt + ", in the future. The time is now " + now + " and the allowed clock skew is "
                    + allowedClockSkew + ". Check the device's clock");
        }
        if (!expiresAt.isAfter(issuedAt)) {
            throw new DeviceTokenException(MALFORMED, "Device token of device " + LogText.quote(deviceId) + " expires at " + expiresAt
                    + ", not after it was issued at " + issuedAt);
        }
        Duration lifetime = Duration.between(issuedAt, expiresAt);
        if (lifetime.compareTo(maxLifetime) > 0) {
            throw new DeviceTokenException(LIFETIME_TOO_LONG, "Device token of device " + LogText.quote(deviceId) + " is valid for "
                    + lifetime + " from iat to exp. The maximum is " + maxLifetime);
        }
    }

    /**
     * Returns a string claim.
     *
     * @param deviceId the device named by the token, or null while reading sub itself
     */
    private static String requireString(JwtClaims claims, String name, String deviceId) throws DeviceTokenException {
        if (!claims.hasClaim(name)) {
            throw missingClaim(name, deviceId);
        }
        if (!claims.isClaimValueString(name)) {
            throw new DeviceTokenException(MALFORMED, tokenOf(deviceId) + " has a " + name + " claim that is not a string");
        }
        try {
            return claims.getStringClaimValue(name);
        } catch (MalformedClaimException e) {
            throw new DeviceTokenException(MALFORMED, tokenOf(deviceId) + " has a " + name + " claim that is not a string");
        }
    }

    private static Instant requireNumericDate(JwtClaims claims, String name, String deviceId)
            throws DeviceTokenException {
        if (!claims.hasClaim(name)) {
            throw missingClaim(name, deviceId);
        }
        NumericDate date;
        try {
            date = claims.getNumericDateClaimValue(name);
        } catch (MalformedClaimException e) {
            throw new DeviceTokenException(MALFORMED, tokenOf(deviceId) + " has a " + name
                    + " claim that is not a number of seconds since 1970-01-01T00:00:00Z");
        }
        long seconds = date.getValue();
        if (seconds < 0 || seconds > MAX_NUMERIC_DATE) {
            throw new DeviceTokenException(MALFORMED, tokenOf(deviceId) + " has a " + name + " claim of " + seconds
                    + " seconds, outside the years 1970 to 9999");
        }
        return Instant.ofEpochSecond(seconds);
    }

    private static DeviceTokenException missingClaim(String name, String deviceId) {
        return new DeviceTokenException(MISSING_CLAIM, tokenOf(deviceId) + " has no " + name + " claim");
    }

    private static String tokenOf(String deviceId) {
        return deviceId == null ? "Device token" : "Device token of device " + LogText.quote(deviceId);
    }

    private static String describeHeader(Object value) {
        if (value == null) {
            return "(absent)";
        }
        return value instanceof String text ? LogText.quote(text) : "of JSON type " + value.getClass().getSimpleName();
    }

    private static String describeAudiences(List<String> audiences) {
        if (audiences.isEmpty()) {
            return "(none)";
        }
        StringBuilder text = new StringBuilder();
        for (String audience : audiences.subList(0, Math.min(audiences.size(), 5))) {
            text.append(text.length() == 0 ? "" : ", ").append(LogText.quote(audience));
        }
        if (audiences.size() > 5) {
            text.append(" and ").append(audiences.size() - 5).append(" more");
        }
        return text.toString();
    }
}
