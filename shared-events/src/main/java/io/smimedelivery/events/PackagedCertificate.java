package io.smimedelivery.events;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One certificate in a device package, named by its thumbprint; the package itself never travels on a topic. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PackagedCertificate(
        @JsonPropertyDescription("SHA-256 thumbprint of the DER certificate, lower-case hex") String thumbprintSha256,
        @JsonPropertyDescription("Role in the package") CertificateRole role,
        @JsonPropertyDescription("Serial number, lower-case hex") String serialNumber,
        @JsonPropertyDescription("End of validity") Instant notAfter,
        @JsonPropertyDescription("true for the current encryption certificate; false for older ones kept to read old mail") boolean current) {

    public PackagedCertificate {
        Require.text(thumbprintSha256, "thumbprintSha256");
        Require.present(role, "role");
        Require.text(serialNumber, "serialNumber");
        Require.present(notAfter, "notAfter");
    }
}
