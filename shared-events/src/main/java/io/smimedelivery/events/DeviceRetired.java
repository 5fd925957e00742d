package io.smimedelivery.events;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A device left management; nothing more is delivered to it. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DeviceRetired(
        @JsonPropertyDescription("Device id") String deviceId,
        @JsonPropertyDescription("Directory user id of the device's user") String userId,
        @JsonPropertyDescription("Why the device was retired, as the administrator or MDM gave it") String reason,
        @JsonPropertyDescription("When the device was retired") Instant retiredAt) implements UserEvent {

    public DeviceRetired {
        Require.text(deviceId, "deviceId");
        Require.text(userId, "userId");
        Require.text(reason, "reason");
        Require.present(retiredAt, "retiredAt");
    }
}
