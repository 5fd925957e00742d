package io.smimedelivery.events;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** No package could be built for one device and policy version. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PackageFailed(
        @JsonPropertyDescription("Device id") String deviceId,
        @JsonPropertyDescription("Directory user id") String userId,
        @JsonPropertyDescription("Policy id") String policyId,
        @JsonPropertyDescription("Policy version") int policyVersion,
        @JsonPropertyDescription("Reason code, such as NO_ENCRYPTION_CERTIFICATE, NO_SIGNING_CERTIFICATE or EMAIL_MISMATCH") String reasonCode,
        @JsonPropertyDescription("What an administrator must do to fix it; never contains secrets") String detail,
        @JsonPropertyDescription("When building failed") Instant failedAt) implements UserEvent {

    public PackageFailed {
        Require.text(deviceId, "deviceId");
        Require.text(userId, "userId");
        Require.text(policyId, "policyId");
        Require.positive(policyVersion, "policyVersion");
        Require.text(reasonCode, "reasonCode");
        Require.text(detail, "detail");
        Require.present(failedAt, "failedAt");
    }
}
