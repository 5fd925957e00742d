package io.smimedelivery.events;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A package may no longer be downloaded: a newer one replaced it, or the policy or device is gone. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PackageRevoked(
        @JsonPropertyDescription("Package id") String packageId,
        @JsonPropertyDescription("Device id") String deviceId,
        @JsonPropertyDescription("Directory user id") String userId,
        @JsonPropertyDescription("Policy id") String policyId,
        @JsonPropertyDescription("Policy version of the revoked package") int policyVersion,
        @JsonPropertyDescription("Why: SUPERSEDED, POLICY_UNASSIGNED or DEVICE_RETIRED") String reason,
        @JsonPropertyDescription("When the package was revoked") Instant revokedAt) implements UserEvent {

    public PackageRevoked {
        Require.text(packageId, "packageId");
        Require.text(deviceId, "deviceId");
        Require.text(userId, "userId");
        Require.text(policyId, "policyId");
        Require.positive(policyVersion, "policyVersion");
        Require.text(reason, "reason");
        Require.present(revokedAt, "revokedAt");
    }
}
