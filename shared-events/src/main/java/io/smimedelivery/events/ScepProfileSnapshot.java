package io.smimedelivery.events;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The SCEP profile that per-device signing certificates are requested and issued by. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ScepProfileSnapshot(
        @JsonPropertyDescription("SCEP profile id") String profileId,
        @JsonPropertyDescription("Subject name format with {{Variable}} placeholders, such as CN={{UserName}},E={{EmailAddress}}") String subjectNameFormat,
        @JsonPropertyDescription("Subject alternative names, each a type (EMAIL, UPN, URI, DNS) and a value template") List<SubjectAlternativeName> subjectAlternativeNames,
        @JsonPropertyDescription("RSA key size: 2048 or 4096") int keySize,
        @JsonPropertyDescription("Key usages: DIGITAL_SIGNATURE, KEY_ENCIPHERMENT") List<String> keyUsages,
        @JsonPropertyDescription("Validity in months, at most 24") int validityMonths,
        @JsonPropertyDescription("Extended key usage OIDs") List<String> extendedKeyUsages,
        @JsonPropertyDescription("Percentage of the validity left at which the device renews") int renewalThresholdPercent,
        @JsonPropertyDescription("Trusted root profile id of the issuing CA's root") String rootProfileId) {

    /** One subject alternative name template. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record SubjectAlternativeName(
            @JsonPropertyDescription("EMAIL, UPN, URI or DNS") String type,
            @JsonPropertyDescription("Value template with {{Variable}} placeholders") String value) {
    }

    public ScepProfileSnapshot {
        Require.text(profileId, "profileId");
        Require.text(subjectNameFormat, "subjectNameFormat");
        subjectAlternativeNames = Require.list(subjectAlternativeNames, "subjectAlternativeNames");
        keyUsages = Require.list(keyUsages, "keyUsages");
        extendedKeyUsages = Require.list(extendedKeyUsages, "extendedKeyUsages");
        Require.text(rootProfileId, "rootProfileId");
    }
}
