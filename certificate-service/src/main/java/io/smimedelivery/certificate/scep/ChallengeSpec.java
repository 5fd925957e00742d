package io.smimedelivery.certificate.scep;

import java.util.List;

/**
 * The request one device may make with one challenge: the binding to device, user, policy version and SCEP
 * profile, and the certificate request the profile prescribes for this user and device.
 *
 * @param subject            expected subject, an RFC 4514 string such as {@code CN=Mario Rossi,E=mario.rossi@example.it}
 * @param subjectAltNames    expected subject alternative names
 * @param minKeySize         minimum RSA key size in bits
 * @param keyUsages          key usages of the issued certificate: DIGITAL_SIGNATURE, KEY_ENCIPHERMENT
 * @param extendedKeyUsages  extended key usage OIDs of the issued certificate
 * @param validityMonths     validity of the issued certificate
 * @param renewalThresholdPercent percentage of the validity that must remain at most before a RenewalReq
 *                           with the issued certificate is accepted
 */
public record ChallengeSpec(String deviceId, String userId, String policyId, int policyVersion, String profileId,
        String subject, List<SubjectAltName> subjectAltNames, int minKeySize, List<String> keyUsages,
        List<String> extendedKeyUsages, int validityMonths, int renewalThresholdPercent) {

    /** The default renewal threshold of Intune's SCEP profiles, 20 percent. */
    public static final int DEFAULT_RENEWAL_THRESHOLD_PERCENT = 20;

    public ChallengeSpec(String deviceId, String userId, String policyId, int policyVersion, String profileId,
            String subject, List<SubjectAltName> subjectAltNames, int minKeySize, List<String> keyUsages,
            List<String> extendedKeyUsages, int validityMonths) {
        this(deviceId, userId, policyId, policyVersion, profileId, subject, subjectAltNames, minKeySize, keyUsages,
                extendedKeyUsages, validityMonths, DEFAULT_RENEWAL_THRESHOLD_PERCENT);
    }

    /** A subject alternative name: type EMAIL, UPN, URI or DNS, and its value. */
    public record SubjectAltName(String type, String value) {
    }

    public ChallengeSpec {
        subjectAltNames = List.copyOf(subjectAltNames);
        keyUsages = List.copyOf(keyUsages);
        extendedKeyUsages = List.copyOf(extendedKeyUsages);
    }
}
