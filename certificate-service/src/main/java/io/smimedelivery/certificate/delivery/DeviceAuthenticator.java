package io.smimedelivery.certificate.delivery;

import java.security.PublicKey;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smimedelivery.common.problem.ProblemException;
import io.smimedelivery.deviceauth.DeviceAuthorization;
import io.smimedelivery.deviceauth.DevicePublicKeys;
import io.smimedelivery.deviceauth.DeviceTokenException;
import io.smimedelivery.deviceauth.DeviceTokenVerifier;
import io.smimedelivery.deviceauth.VerifiedDeviceToken;

/**
 * Authenticates device requests by the short-lived token the device signs with its enrollment key.
 * The key is the one from the device's latest DeviceEnrolled event; a retired device has none. Each
 * token's nonce is accepted once.
 */
@ApplicationScoped
public class DeviceAuthenticator {

    private static final Logger LOG = Logger.getLogger(DeviceAuthenticator.class);
    private static final String CHALLENGE = DeviceAuthorization.SCHEME + " realm=\"smime-delivery\"";

    private final DeliveryStore store;
    private final DeliveryConfig config;
    private final DeviceTokenVerifier verifier = DeviceTokenVerifier.withDefaults();

    public DeviceAuthenticator(DeliveryStore store, DeliveryConfig config) {
        this.store = store;
        this.config = config;
    }

    /**
     * Returns the verified token of the request when it was signed by {@code deviceId}.
     *
     * @throws ProblemException 401 when the token is missing, invalid or replayed; 403 when it belongs
     *     to another device
     */
    public VerifiedDeviceToken authenticate(String authorizationHeader, String deviceId) {
        Optional<String> token = Optional.ofNullable(authorizationHeader).flatMap(DeviceAuthorization::token);
        if (token.isEmpty()) {
            throw unauthorized("MISSING", "Send the header 'Authorization: Device <token>' with a token signed by the"
                    + " device's enrollment key for the audience " + config.deviceTokenAudience());
        }
        VerifiedDeviceToken verified;
        try {
            verified = QuarkusTransaction.requiringNew().call(() -> verifier.verify(token.get(), config.deviceTokenAudience(),
                    this::publicKeyOf, store::firstNonceUse));
        } catch (io.quarkus.narayana.jta.QuarkusTransactionException e) {
            if (e.getCause() instanceof DeviceTokenException cause) {
                LOG.infof("Device token rejected for %s: %s (%s)", deviceId, cause.reason(), cause.getMessage());
                throw unauthorized(cause.reason().name(), cause.getMessage());
            }
            throw e;
        }
        if (!verified.deviceId().equals(deviceId)) {
            LOG.warnf("Device %s presented a valid token for device %s's resources", verified.deviceId(), deviceId);
            throw new ProblemException(Response.Status.FORBIDDEN, "forbidden-device", "Another device's resource",
                    "The token is signed by device " + verified.deviceId() + ", which may read only its own packages",
                    List.of());
        }
        return verified;
    }

    private Optional<PublicKey> publicKeyOf(String deviceId) {
        return store.device(deviceId)
                .filter(device -> device.retiredAt() == null)
                .flatMap(device -> {
                    try {
                        return Optional.of(DevicePublicKeys.fromPem(device.publicKeyPem()));
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
