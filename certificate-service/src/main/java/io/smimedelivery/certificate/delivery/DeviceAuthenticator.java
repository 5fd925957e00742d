package io.smimedelivery.certificate.delivery;

import jakarta.enterprise.context.ApplicationScoped;

import io.smimedelivery.common.device.DeviceRequestAuthenticator;
import io.smimedelivery.deviceauth.VerifiedDeviceToken;

/**
 * Authenticates package downloads by the device's signed token, checked against the key of the device's
 * latest DeviceEnrolled event. A retired device has no key.
 */
@ApplicationScoped
public class DeviceAuthenticator {

    private final DeviceRequestAuthenticator authenticator;

    public DeviceAuthenticator(DeliveryStore store, DeliveryConfig config) {
        this.authenticator = new DeviceRequestAuthenticator(config.deviceTokenAudience(),
                deviceId -> store.device(deviceId).filter(device -> device.retiredAt() == null)
                        .map(DeliveryRecords.Device::publicKeyPem),
                store::firstNonceUse);
    }

    /** See {@link DeviceRequestAuthenticator#authenticate}. */
    public VerifiedDeviceToken authenticate(String authorizationHeader, String deviceId) {
        return authenticator.authenticate(authorizationHeader, deviceId);
    }

    /** See {@link DeviceRequestAuthenticator#authenticateInTransaction}. */
    public VerifiedDeviceToken authenticateInTransaction(String authorizationHeader, String deviceId) {
        return authenticator.authenticateInTransaction(authorizationHeader, deviceId);
    }
}
