package io.smimedelivery.deviceauth;

import java.security.PublicKey;
import java.util.Optional;

/** Lookup of a device's registered public key, such as the key stored at enrollment. */
@FunctionalInterface
public interface DeviceKeys {

    /**
     * Returns the registered public key of a device, or an empty result when the device is
     * unknown or has no key. The device id comes from a token whose signature is not yet
     * verified, so implementations must treat it as untrusted input.
     */
    Optional<PublicKey> publicKeyOf(String deviceId);
}
