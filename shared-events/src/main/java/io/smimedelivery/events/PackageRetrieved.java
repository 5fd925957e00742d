package io.smimedelivery.events;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A device downloaded its package. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PackageRetrieved(
        @JsonPropertyDescription("Package id") String packageId,
        @JsonPropertyDescription("Device id") String deviceId,
        @JsonPropertyDescription("Directory user id") String userId,
        @JsonPropertyDescription("Policy id") String policyId,
        @JsonPropertyDescription("Policy version") int policyVersion,
        @JsonPropertyDescription("When the download completed") Instant retrievedAt) implements UserEvent {

    public PackageRetrieved {
        Require.text(packageId, "packageId");
        Require.text(deviceId, "deviceId");
        Require.text(userId, "userId");
        Require.text(policyId, "policyId");
        Require.positive(policyVersion, "policyVersion");
        Require.present(retrievedAt, "retrievedAt");
    }
}
