package io.smimedelivery.events;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The SCEP CA issued a signing certificate to one device; its private key stays on the device. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SigningCertificateIssued(
        @JsonPropertyDescription("Device id") String deviceId,
        @JsonPropertyDescription("Directory user id") String userId,
        @JsonPropertyDescription("Policy id") String policyId,
        @JsonPropertyDescription("Policy version") int policyVersion,
        @JsonPropertyDescription("SHA-256 thumbprint of the issued certificate, lower-case hex") String thumbprintSha256,
        @JsonPropertyDescription("Serial number, lower-case hex") String serialNumber,
        @JsonPropertyDescription("End of validity") Instant notAfter,
        @JsonPropertyDescription("When the certificate was issued") Instant issuedAt) implements UserEvent {

    public SigningCertificateIssued {
        Require.text(deviceId, "deviceId");
        Require.text(userId, "userId");
        Require.text(policyId, "policyId");
        Require.positive(policyVersion, "policyVersion");
        Require.text(thumbprintSha256, "thumbprintSha256");
        Require.text(serialNumber, "serialNumber");
        Require.present(notAfter, "notAfter");
        Require.present(issuedAt, "issuedAt");
    }
}
