package io.smimedelivery.events;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A policy version applies to a user, through at least one assigned group. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PolicyAssigned(
        @JsonPropertyDescription("Policy id") String policyId,
        @JsonPropertyDescription("Policy version, starting at 1 and raised by every edit") int policyVersion,
        @JsonPropertyDescription("Policy name as the administrator wrote it") String policyName,
        @JsonPropertyDescription("Settings of this policy version") PolicySettings settings,
        @JsonPropertyDescription("Directory user id") String userId,
        @PersonalData @JsonPropertyDescription("User principal name, such as mario.rossi@example.it") String userPrincipalName,
        @PersonalData @JsonPropertyDescription("Primary SMTP address; certificates must carry it") String email,
        @Nullable @JsonPropertyDescription("Preferred language as a BCP 47 tag, such as it or en") String preferredLanguage,
        @JsonPropertyDescription("When the assignment took effect") Instant assignedAt) implements UserEvent {

    public PolicyAssigned {
        Require.text(policyId, "policyId");
        Require.positive(policyVersion, "policyVersion");
        Require.text(policyName, "policyName");
        Require.present(settings, "settings");
        Require.text(userId, "userId");
        Require.text(userPrincipalName, "userPrincipalName");
        Require.text(email, "email");
        Require.present(assignedAt, "assignedAt");
    }
}
