package io.smimedelivery.policy.trust;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * Parsed CA certificate. Distinguished names are RFC 4514 strings that list the most specific RDN first and name
 * emailAddress {@code E}, such as {@code CN=Contoso Root CA,O=Contoso,C=IT}.
 *
 * @param subjectDn        subject distinguished name
 * @param issuerDn         issuer distinguished name
 * @param serialNumberHex  serial number in lower-case hex without leading zeros
 * @param thumbprintSha256 SHA-256 of the DER encoding in lower-case hex
 * @param notBefore        start of validity
 * @param notAfter         end of validity, which may be in the past
 * @param selfSigned       whether subject equals issuer and the signature verifies with the certificate's own key
 * @param der              DER encoding as uploaded; the record stores and returns copies
 */
public record CaCertificate(
        String subjectDn,
        String issuerDn,
        String serialNumberHex,
        String thumbprintSha256,
        Instant notBefore,
        Instant notAfter,
        boolean selfSigned,
        byte[] der) {

    private static final int PEM_LINE_LENGTH = 64;

    public CaCertificate {
        Objects.requireNonNull(subjectDn, "subjectDn");
        Objects.requireNonNull(issuerDn, "issuerDn");
        Objects.requireNonNull(serialNumberHex, "serialNumberHex");
        Objects.requireNonNull(thumbprintSha256, "thumbprintSha256");
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(notAfter, "notAfter");
        der = Objects.requireNonNull(der, "der").clone();
    }

    /** Returns a copy of the DER encoding. */
    @Override
    public byte[] der() {
        return der.clone();
    }

    /** Encodes the certificate as RFC 7468 PEM text with 64-character base64 lines and a final newline. */
    public String pem() {
        Base64.Encoder encoder = Base64.getMimeEncoder(PEM_LINE_LENGTH, "\n".getBytes(StandardCharsets.US_ASCII));
        return "-----BEGIN CERTIFICATE-----\n" + encoder.encodeToString(der) + "\n-----END CERTIFICATE-----\n";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CaCertificate that
                && selfSigned == that.selfSigned
                && subjectDn.equals(that.subjectDn)
                && issuerDn.equals(that.issuerDn)
                && serialNumberHex.equals(that.serialNumberHex)
                && thumbprintSha256.equals(that.thumbprintSha256)
                && notBefore.equals(that.notBefore)
                && notAfter.equals(that.notAfter)
                && Arrays.equals(der, that.der);
    }

    @Override
    public int hashCode() {
        return Objects.hash(subjectDn, issuerDn, serialNumberHex, thumbprintSha256, notBefore, notAfter, selfSigned)
                * 31 + Arrays.hashCode(der);
    }

    /** Describes the certificate without the DER bytes. */
    @Override
    public String toString() {
        return "CaCertificate[subjectDn=" + subjectDn + ", issuerDn=" + issuerDn + ", serialNumberHex="
                + serialNumberHex + ", thumbprintSha256=" + thumbprintSha256 + ", notBefore=" + notBefore
                + ", notAfter=" + notAfter + ", selfSigned=" + selfSigned + ", derLength=" + der.length + "]";
    }
}
