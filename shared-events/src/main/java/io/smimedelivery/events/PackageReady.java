package io.smimedelivery.events;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A package for one device and policy version is built and can be downloaded by that device. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PackageReady(
        @JsonPropertyDescription("Package id") String packageId,
        @JsonPropertyDescription("Device id") String deviceId,
        @JsonPropertyDescription("Directory user id") String userId,
        @JsonPropertyDescription("Policy id") String policyId,
        @JsonPropertyDescription("Policy version the package implements") int policyVersion,
        @JsonPropertyDescription("Certificates in the package, by thumbprint and role") List<PackagedCertificate> certificates,
        @JsonPropertyDescription("Where the signing certificate comes from") SigningSource signingSource,
        @JsonPropertyDescription("When the package was built") Instant readyAt) implements UserEvent {

    public PackageReady {
        Require.text(packageId, "packageId");
        Require.text(deviceId, "deviceId");
        Require.text(userId, "userId");
        Require.text(policyId, "policyId");
        Require.positive(policyVersion, "policyVersion");
        certificates = Require.list(certificates, "certificates");
        Require.present(signingSource, "signingSource");
        Require.present(readyAt, "readyAt");
    }
}
