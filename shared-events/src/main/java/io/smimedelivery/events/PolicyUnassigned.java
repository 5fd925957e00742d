package io.smimedelivery.events;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A policy no longer applies to a user; the user's devices lose what it deployed. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PolicyUnassigned(
        @JsonPropertyDescription("Policy id") String policyId,
        @JsonPropertyDescription("Last policy version that applied to the user") int policyVersion,
        @JsonPropertyDescription("Directory user id") String userId,
        @JsonPropertyDescription("Why: POLICY_UNASSIGNED, USER_LEFT_GROUP, USER_EXCLUDED, POLICY_DELETED or USER_DELETED") String reason,
        @JsonPropertyDescription("When the policy stopped applying") Instant unassignedAt) implements UserEvent {

    public PolicyUnassigned {
        Require.text(policyId, "policyId");
        Require.positive(policyVersion, "policyVersion");
        Require.text(userId, "userId");
        Require.text(reason, "reason");
        Require.present(unassignedAt, "unassignedAt");
    }
}
