package io.smimedelivery.deviceauth;

import java.time.Instant;

/**
 * Record of the nonces (jti claims) that devices have used, so that a captured token cannot be
 * sent a second time. {@link DeviceTokenVerifier#verify(String, String, DeviceKeys, NonceStore)}
 * calls it after every other check has passed.
 */
public interface NonceStore {

    /**
     * Records a device's nonce and returns whether this is its first use. The check and the
     * record must be atomic, so that of two concurrent calls with the same pair only one returns
     * true.
     *
     * @param deviceId the device that signed the token
     * @param nonce the token's jti claim
     * @param expiresAt the instant from which the verifier rejects the token anyway, so the store
     *     may forget the nonce then. The verifier passes exp plus its allowed clock skew.
     * @return true if the device has not used this nonce before, false for a replay
     */
    boolean firstUse(String deviceId, String nonce, Instant expiresAt);
}
