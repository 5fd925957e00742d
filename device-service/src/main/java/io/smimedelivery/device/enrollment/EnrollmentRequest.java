package io.smimedelivery.device.enrollment;

/**
 * A device enrollment as MDM enrollment or Company Portal sends it.
 *
 * @param deviceId           the MDM device id: 1 to 128 letters, digits, dots, dashes or underscores
 * @param userId             directory user id of the device's user
 * @param platform           iOS, iPadOS, Android, Windows or macOS
 * @param osVersion          operating system version, such as 18.1
 * @param model              model identifier, such as iPhone16,2; optional
 * @param serialNumber       serial number; optional
 * @param devicePublicKeyPem the device's enrollment public key as SubjectPublicKeyInfo PEM: RSA of at
 *                           least 2048 bits, or EC on P-256 or P-384
 * @param pushToken          APNs device token in hex; optional
 * @param managementState    MANAGED (default) or UNMANAGED
 */
public record EnrollmentRequest(
        String deviceId,
        String userId,
        String platform,
        String osVersion,
        String model,
        String serialNumber,
        String devicePublicKeyPem,
        String pushToken,
        String managementState) {

    /** Never prints the push token. */
    @Override
    public String toString() {
        return "EnrollmentRequest[" + deviceId + ", user " + userId + ", " + platform + " " + osVersion + "]";
    }
}
