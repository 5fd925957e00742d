package io.smimedelivery.deviceauth;

import java.time.Instant;
import java.util.Objects;

/**
 * Claims of a device token whose signature, audience, validity period and nonce presence
 * passed verification.
 *
 * @param deviceId the device that signed the token (its sub and iss claims)
 * @param nonce the token's jti claim, for a replay check
 * @param issuedAt the iat claim
 * @param expiresAt the exp claim
 */
public record VerifiedDeviceToken(String deviceId, String nonce, Instant issuedAt, Instant expiresAt) {

    public VerifiedDeviceToken {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
