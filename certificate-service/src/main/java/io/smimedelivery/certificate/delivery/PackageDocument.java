package io.smimedelivery.certificate.delivery;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.smimedelivery.certificate.scep.ScepInstructions;
import io.smimedelivery.events.CertificateRole;
import io.smimedelivery.events.SigningSource;

/**
 * The JSON document inside a package's CMS envelope: the manifest, the PKCS#12 with its password, the
 * CA certificates and Outlook's app configuration. Only the device with the enrollment key can
 * read it.
 *
 * @param format         {@value #FORMAT}
 * @param packageId      package id, as in PackageReady
 * @param deviceId       device the package is for
 * @param userId         directory user id
 * @param userPrincipalName the user's principal name
 * @param email          the user's primary address, which every certificate carries
 * @param policyId       policy id
 * @param policyVersion  policy version
 * @param policyName     policy name
 * @param createdAt      when the package was built
 * @param certificates   the manifest: every certificate with its role, in delivery order
 * @param signing        where the signing certificate comes from
 * @param scep           how the device requests its signing certificate, present when the source is SCEP
 * @param pkcs12         the user's keys and certificates, absent when the package delivers no key
 * @param trustedCertificates CA certificates in PEM, roots and intermediates
 * @param appConfig      Outlook for iOS managed app configuration keys
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PackageDocument(
        String format,
        String packageId,
        String deviceId,
        String userId,
        String userPrincipalName,
        String email,
        String policyId,
        int policyVersion,
        String policyName,
        Instant createdAt,
        List<ManifestEntry> certificates,
        Signing signing,
        ScepInstructions scep,
        Pkcs12 pkcs12,
        List<String> trustedCertificates,
        Map<String, Object> appConfig) {

    public static final String FORMAT = "smime-device-package/1";

    /**
     * One certificate of the manifest.
     *
     * @param inPkcs12 true when its private key is in the PKCS#12, under {@code friendlyName}
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ManifestEntry(CertificateRole role, boolean current, String thumbprintSha256, String thumbprintSha1,
            String serialNumber, String subject, String issuer, Instant notBefore, Instant notAfter, boolean inPkcs12,
            String friendlyName) {
    }

    /**
     * Sources of the signing and encryption certificates.
     *
     * @param source IMPORTED_PKCS (in the PKCS#12), SCEP (the device requests its own), DERIVED_CREDENTIAL
     *     (already on the device) or NONE
     * @param encryptionSource IMPORTED_PKCS (in the PKCS#12) or DERIVED_CREDENTIAL
     */
    public record Signing(SigningSource source, String encryptionSource) {
    }

    /**
     * The PKCS#12.
     *
     * @param encoding {@code legacy-3des} or {@code aes256}
     * @param password random password, made for this package's content
     * @param data     the PKCS#12 in Base64
     */
    public record Pkcs12(String encoding, String password, String data) {

        /** Never prints the password or the data. */
        @Override
        public String toString() {
            return "Pkcs12[" + encoding + "]";
        }
    }
}
