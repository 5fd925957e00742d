package io.smimedelivery.device.enrollment;

import java.time.Instant;

import io.smimedelivery.events.SealedValue;

/** A stored device; the push token stays sealed. */
public record DeviceRecord(String deviceId, String userId, String platform, String osVersion, String model,
        String serialNumber, String managementState, String publicKeyPem, SealedValue pushToken, Instant enrolledAt,
        Instant updatedAt, Instant retiredAt, String retiredReason) {

    public boolean managed() {
        return "MANAGED".equals(managementState);
    }
}
