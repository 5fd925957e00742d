package io.smimedelivery.events;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A device enrolled, or re-enrolled with new data, for a user. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DeviceEnrolled(
        @JsonPropertyDescription("Device id") String deviceId,
        @JsonPropertyDescription("Directory user id of the device's user") String userId,
        @JsonPropertyDescription("Platform: iOS, iPadOS, Android, Windows or macOS") String platform,
        @JsonPropertyDescription("Operating system version, such as 18.1") String osVersion,
        @Nullable @JsonPropertyDescription("Model, such as iPhone16,2") String model,
        @JsonPropertyDescription("true when the device is managed by the organisation") boolean managed,
        @JsonPropertyDescription("The device's enrollment public key, SubjectPublicKeyInfo in PEM") String devicePublicKeyPem,
        @Nullable @JsonPropertyDescription("APNs device token, sealed to notification-service's key; absent when the device has none") SealedValue pushToken,
        @JsonPropertyDescription("When the device enrolled") Instant enrolledAt) implements UserEvent {

    public DeviceEnrolled {
        Require.text(deviceId, "deviceId");
        Require.text(userId, "userId");
        Require.text(platform, "platform");
        Require.text(osVersion, "osVersion");
        Require.text(devicePublicKeyPem, "devicePublicKeyPem");
        Require.present(enrolledAt, "enrolledAt");
    }
}
