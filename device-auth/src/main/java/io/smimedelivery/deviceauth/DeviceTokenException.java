package io.smimedelivery.deviceauth;

import java.util.Objects;

/**
 * Rejection of a device token. The message names the device and the failed check for an
 * administrator reading logs, and never contains the token.
 */
public class DeviceTokenException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Cause of a rejection, for mapping to a response and for metrics. */
    public enum Reason {
        /** The token is not a compact JWS of a device token, or a claim has the wrong type or value. */
        MALFORMED,
        /** No public key is registered for the device that the sub claim names. */
        UNKNOWN_DEVICE,
        /** The signature does not verify with the device's registered public key. */
        BAD_SIGNATURE,
        /** The alg header is not accepted, or it does not fit the type of the device's key. */
        UNSUPPORTED_ALGORITHM,
        /** The aud claim does not contain the audience that the service expects. */
        WRONG_AUDIENCE,
        /** The exp claim, plus the allowed clock skew, has passed. */
        EXPIRED,
        /** The nbf or iat claim, minus the allowed clock skew, is still in the future. */
        NOT_YET_VALID,
        /** The span from iat to exp is longer than the verifier's maximum lifetime. */
        LIFETIME_TOO_LONG,
        /** A required claim is absent. */
        MISSING_CLAIM,
        /** The nonce (jti claim) was already used by the same device. */
        REPLAYED
    }

    private final Reason reason;

    public DeviceTokenException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public DeviceTokenException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
