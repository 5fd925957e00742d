package io.smimedelivery.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A CA certificate of a trusted root profile. Certificates are public, so the PEM may travel on a topic. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TrustedRoot(
        @JsonPropertyDescription("Trusted root profile id") String profileId,
        @JsonPropertyDescription("SHA-256 thumbprint of the DER certificate, lower-case hex") String thumbprintSha256,
        @JsonPropertyDescription("Subject distinguished name") String subjectDn,
        @JsonPropertyDescription("The certificate in PEM") String certificatePem) {

    public TrustedRoot {
        Require.text(profileId, "profileId");
        Require.text(thumbprintSha256, "thumbprintSha256");
        Require.text(subjectDn, "subjectDn");
        Require.text(certificatePem, "certificatePem");
    }
}
