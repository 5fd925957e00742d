package io.smimedelivery.events;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A user was notified through one channel to open Company Portal. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NotificationSent(
        @JsonPropertyDescription("Notification id") String notificationId,
        @JsonPropertyDescription("Directory user id") String userId,
        @JsonPropertyDescription("Policy id") String policyId,
        @JsonPropertyDescription("Policy version") int policyVersion,
        @JsonPropertyDescription("Channel of this delivery") DeliveryChannel channel,
        @JsonPropertyDescription("Devices whose packages the notification announces") List<String> deviceIds,
        @JsonPropertyDescription("Attempts it took, starting at 1") int attemptCount,
        @JsonPropertyDescription("When the channel accepted the notification") Instant sentAt) implements UserEvent {

    public NotificationSent {
        Require.text(notificationId, "notificationId");
        Require.text(userId, "userId");
        Require.text(policyId, "policyId");
        Require.positive(policyVersion, "policyVersion");
        Require.present(channel, "channel");
        deviceIds = Require.list(deviceIds, "deviceIds");
        Require.positive(attemptCount, "attemptCount");
        Require.present(sentAt, "sentAt");
    }
}
