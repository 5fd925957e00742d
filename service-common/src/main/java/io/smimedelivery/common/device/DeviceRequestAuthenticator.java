package io.smimedelivery.common.device;

import java.security.PublicKey;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smimedelivery.common.problem.ProblemException;
import io.smimedelivery.deviceauth.DeviceAuthorization;
import io.smimedelivery.deviceauth.DevicePublicKeys;
import io.smimedelivery.deviceauth.DeviceTokenException;
import io.smimedelivery.deviceauth.DeviceTokenVerifier;
import io.smimedelivery.deviceauth.NonceStore;
import io.smimedelivery.deviceauth.VerifiedDeviceToken;

/**
 * Authenticates a device request by the short-lived token the device signs with its enrollment key, for
 * the device endpoints of every service. The service supplies the enrollment key of each enrolled,
 * not retired device (PEM from DeviceEnrolled) and a database-backed nonce store, which runs in its own
 * transaction here so that a token is used once.
 */
public final class DeviceRequestAuthenticator {

    private static final Logger LOG = Logger.getLogger(DeviceRequestAuthenticator.class);
    private static final String CHALLENGE = DeviceAuthorization.SCHEME + " realm=\"smime-delivery\"";

    private final String audience;
    private final Function<String, Optional<String>> publicKeyPems;
    private final NonceStore nonces;
    private final DeviceTokenVerifier verifier = DeviceTokenVerifier.withDefaults();

    /**
     * @param audience      audience that tokens for this service must name
     * @param publicKeyPems enrollment key (SubjectPublicKeyInfo PEM) of an enrolled, not retired device
     * @param nonces        records each token's nonce; called in a transaction
     */
    public DeviceRequestAuthenticator(String audience, Function<String, Optional<String>> publicKeyPems,
            NonceStore nonces) {
        this.audience = audience;
        this.publicKeyPems = publicKeyPems;
        this.nonces = nonces;
    }

    /**
     * Returns the verified token of the request when {@code deviceId} signed it. The token's nonce is
     * recorded in a transaction of its own, which commits before this method returns.
     *
     * @throws ProblemException 401 with a WWW-Authenticate challenge when the token is missing, invalid or
     *     reused, and 403 when it belongs to another device
     */
    public VerifiedDeviceToken authenticate(String authorizationHeader, String deviceId) {
        String token = tokenOf(authorizationHeader);
        VerifiedDeviceToken verified = QuarkusTransaction.requiringNew().call(() -> verify(token, deviceId));
        return ownedBy(verified, deviceId);
    }

    /**
     * Same checks as {@link #authenticate}, in the caller's transaction: the device's key is read and the
     * token's nonce recorded there, so the nonce counts as used only when that transaction commits. A
     * request that reads and writes in one transaction saves one transaction this way. The caller returns
     * its own problem responses after the commit rather than throwing them inside the transaction, so a
     * token that was accepted stays used.
     *
     * @throws ProblemException as {@link #authenticate}, which rolls the caller's transaction back
     */
    public VerifiedDeviceToken authenticateInTransaction(String authorizationHeader, String deviceId) {
        return ownedBy(verify(tokenOf(authorizationHeader), deviceId), deviceId);
    }

    /** Verifies the token and records its nonce in the current transaction, or throws the 401. */
    private VerifiedDeviceToken verify(String token, String deviceId) {
        try {
            return verifier.verify(token, audience, this::publicKeyOf, nonces);
        } catch (DeviceTokenException e) {
            LOG.infof("Device token rejected for %s: %s (%s)", deviceId, e.reason(), e.getMessage());
            throw unauthorized(e.reason().name(), e.getMessage());
        }
    }

    /** Returns the token of a Device authorization header, or throws the 401 that names what is missing. */
    private String tokenOf(String authorizationHeader) {
        Optional<String> token = Optional.ofNullable(authorizationHeader).flatMap(DeviceAuthorization::token);
        if (token.isEmpty() && authorizationHeader != null && !authorizationHeader.isBlank()) {
            throw unauthorized("UNSUPPORTED_SCHEME", "The Authorization header does not use the Device scheme; send"
                    + " 'Authorization: Device <token>' with a token signed by the device's enrollment key for the audience "
                    + audience);
        }
        if (token.isEmpty()) {
            throw unauthorized("MISSING", "Send the header 'Authorization: Device <token>' with a token signed by the"
                    + " device's enrollment key for the audience " + audience);
        }
        return token.get();
    }

    private static VerifiedDeviceToken ownedBy(VerifiedDeviceToken verified, String deviceId) {
        if (!verified.deviceId().equals(deviceId)) {
            LOG.warnf("Device %s presented a valid token for device %s's resources", verified.deviceId(), deviceId);
            throw new ProblemException(Response.Status.FORBIDDEN, "forbidden-device", "Another device's resource",
                    "The token is signed by device " + verified.deviceId() + ", which may read only its own resources",
                    List.of());
        }
        return verified;
    }

    private Optional<PublicKey> publicKeyOf(String deviceId) {
        return publicKeyPems.apply(deviceId).flatMap(pem -> {
            try {
                return Optional.of(DevicePublicKeys.fromPem(pem));
            } catch (IllegalArgumentException e) {
                LOG.warnf("Device %s has an unreadable enrollment key: %s", deviceId, e.getMessage());
                return Optional.empty();
            }
        });
    }

    private static ProblemException unauthorized(String reason, String detail) {
        return new ProblemException(Response.Status.UNAUTHORIZED, "device-authentication",
                "Device authentication failed", detail + " (" + reason + ")", List.of())
                .withHeader("WWW-Authenticate", CHALLENGE);
    }
}
