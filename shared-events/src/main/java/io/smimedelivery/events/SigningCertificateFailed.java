package io.smimedelivery.events;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The SCEP CA rejected a device's request for its signing certificate. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SigningCertificateFailed(
        @JsonPropertyDescription("Device id") String deviceId,
        @JsonPropertyDescription("Directory user id") String userId,
        @JsonPropertyDescription("Policy id") String policyId,
        @JsonPropertyDescription("Policy version") int policyVersion,
        @JsonPropertyDescription("Reason code, such as CHALLENGE_EXPIRED, CHALLENGE_REUSED, SUBJECT_MISMATCH, SAN_MISMATCH or KEY_TOO_SMALL") String reasonCode,
        @JsonPropertyDescription("What went wrong, for an administrator; never contains the challenge") String detail,
        @JsonPropertyDescription("When the request was rejected") Instant failedAt) implements UserEvent {

    public SigningCertificateFailed {
        Require.text(deviceId, "deviceId");
        Require.text(userId, "userId");
        Require.text(policyId, "policyId");
        Require.positive(policyVersion, "policyVersion");
        Require.text(reasonCode, "reasonCode");
        Require.text(detail, "detail");
        Require.present(failedAt, "failedAt");
    }
}
