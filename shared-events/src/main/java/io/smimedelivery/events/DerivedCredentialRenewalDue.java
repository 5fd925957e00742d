package io.smimedelivery.events;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** 80 percent of a device's derived credential validity has passed; the user should renew it. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DerivedCredentialRenewalDue(
        @JsonPropertyDescription("Device id") String deviceId,
        @JsonPropertyDescription("Directory user id") String userId,
        @JsonPropertyDescription("Policy that uses the credential; its end-user notification setting picks the channel") String policyId,
        @JsonPropertyDescription("Policy version") int policyVersion,
        @JsonPropertyDescription("SIGNING or ENCRYPTION") String purpose,
        @JsonPropertyDescription("SHA-256 thumbprint of the credential's certificate, lower-case hex") String thumbprintSha256,
        @JsonPropertyDescription("End of the credential's validity") Instant notAfter,
        @JsonPropertyDescription("When 80 percent of the validity had passed") Instant dueAt) implements UserEvent {

    public DerivedCredentialRenewalDue {
        Require.text(deviceId, "deviceId");
        Require.text(userId, "userId");
        Require.text(policyId, "policyId");
        Require.positive(policyVersion, "policyVersion");
        Require.text(purpose, "purpose");
        Require.text(thumbprintSha256, "thumbprintSha256");
        Require.present(notAfter, "notAfter");
        Require.present(dueAt, "dueAt");
    }
}
