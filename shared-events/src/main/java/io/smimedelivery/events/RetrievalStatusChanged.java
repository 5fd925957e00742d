package io.smimedelivery.events;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The retrieval status of one device for one policy moved to a new state. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RetrievalStatusChanged(
        @JsonPropertyDescription("Device id") String deviceId,
        @JsonPropertyDescription("Directory user id") String userId,
        @JsonPropertyDescription("Policy id") String policyId,
        @JsonPropertyDescription("Policy version") int policyVersion,
        @Nullable @JsonPropertyDescription("Previous state; absent for the first state of a device and policy") RetrievalState from,
        @JsonPropertyDescription("New state") RetrievalState to,
        @Nullable @JsonPropertyDescription("Reason code when the new state is FAILED or REMOVED") String reasonCode,
        @Nullable @JsonPropertyDescription("What an administrator must know or do; never contains secrets") String detail,
        @JsonPropertyDescription("When the transition happened") Instant changedAt) implements UserEvent {

    public RetrievalStatusChanged {
        Require.text(deviceId, "deviceId");
        Require.text(userId, "userId");
        Require.text(policyId, "policyId");
        Require.positive(policyVersion, "policyVersion");
        Require.present(to, "to");
        Require.present(changedAt, "changedAt");
    }
}
