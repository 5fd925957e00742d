package io.smimedelivery.certificate.scep;

import java.util.List;

import io.smimedelivery.certificate.scep.ChallengeSpec.SubjectAltName;

/**
 * The SCEP request a device must make for its signing certificate, as its package carries it. Only
 * the device's own encrypted package contains the challenge.
 *
 * @param url                 SCEP URL
 * @param challenge           one-time challenge password for the PKCS#10 challengePassword attribute
 * @param challengeLifetimeSeconds how long the challenge works after the package's first download
 * @param subject             subject to request, RFC 4514 string
 * @param subjectAlternativeNames subject alternative names to request
 * @param keySize             RSA key size to generate, in bits
 * @param keyUsages           key usages the issued certificate gets
 * @param extendedKeyUsages   extended key usage OIDs the issued certificate gets
 * @param validityMonths      validity of the issued certificate
 * @param renewalThresholdPercent percentage of the validity left at which the device renews
 * @param caCertificateSha256 SHA-256 thumbprint of the issuing CA certificate, which GetCACert returns
 */
public record ScepInstructions(String url, String challenge, long challengeLifetimeSeconds, String subject,
        List<SubjectAltName> subjectAlternativeNames, int keySize, List<String> keyUsages, List<String> extendedKeyUsages,
        int validityMonths, int renewalThresholdPercent, String caCertificateSha256) {

    /** Never prints the challenge. */
    @Override
    public String toString() {
        return "ScepInstructions[" + url + ", " + subject + "]";
    }
}
