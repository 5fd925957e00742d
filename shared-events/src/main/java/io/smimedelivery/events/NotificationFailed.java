package io.smimedelivery.events;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A notification could not be delivered through one channel, for now or for good. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NotificationFailed(
        @JsonPropertyDescription("Notification id") String notificationId,
        @JsonPropertyDescription("Directory user id") String userId,
        @JsonPropertyDescription("Policy id") String policyId,
        @JsonPropertyDescription("Policy version") int policyVersion,
        @JsonPropertyDescription("Channel of this delivery") DeliveryChannel channel,
        @JsonPropertyDescription("Devices whose packages the notification announces") List<String> deviceIds,
        @JsonPropertyDescription("Attempts made so far") int attemptCount,
        @JsonPropertyDescription("true when no further attempt will be made") boolean permanent,
        @JsonPropertyDescription("Reason code, such as SMTP_REJECTED, PUSH_TOKEN_INVALID or DELIVERY_UNCERTAIN") String reasonCode,
        @JsonPropertyDescription("What went wrong, for an administrator; never contains secrets") String detail,
        @JsonPropertyDescription("When the attempt failed") Instant failedAt) implements UserEvent {

    public NotificationFailed {
        Require.text(notificationId, "notificationId");
        Require.text(userId, "userId");
        Require.text(policyId, "policyId");
        Require.positive(policyVersion, "policyVersion");
        Require.present(channel, "channel");
        deviceIds = Require.list(deviceIds, "deviceIds");
        Require.positive(attemptCount, "attemptCount");
        Require.text(reasonCode, "reasonCode");
        Require.text(detail, "detail");
        Require.present(failedAt, "failedAt");
    }
}
