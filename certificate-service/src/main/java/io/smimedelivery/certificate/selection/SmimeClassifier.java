package io.smimedelivery.certificate.selection;

import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.x509.KeyPurposeId;

/** Decides whether a certificate is an S/MIME certificate of a user and what it may be used for. */
public final class SmimeClassifier {

    /** Rejection reason: the extended key usages allow no e-mail protection, or the keyUsage allows neither signing nor encryption. */
    public static final String NOT_SMIME = "NOT_SMIME";

    /** Rejection reason: the user's primary e-mail address is not among the certificate's addresses. */
    public static final String EMAIL_MISMATCH = "EMAIL_MISMATCH";

    private static final String EMAIL_PROTECTION = KeyPurposeId.id_kp_emailProtection.getId();
    private static final String ANY_EXTENDED_KEY_USAGE = KeyPurposeId.anyExtendedKeyUsage.getId();

    private SmimeClassifier() {
    }

    /**
     * Returns the purpose that the keyUsage extension allows: keyEncipherment or keyAgreement for
     * encryption, digitalSignature or nonRepudiation for signing. A certificate without keyUsage
     * extension is DUAL. Returns empty when the keyUsage allows neither, as for a CA certificate.
     */
    public static Optional<Purpose> purposeOf(CertificateFacts facts) {
        Set<KeyUsageBit> keyUsage = facts.keyUsage();
        if (keyUsage.isEmpty()) {
            return Optional.of(Purpose.DUAL);
        }
        boolean encryption = keyUsage.contains(KeyUsageBit.KEY_ENCIPHERMENT) || keyUsage.contains(KeyUsageBit.KEY_AGREEMENT);
        boolean signing = keyUsage.contains(KeyUsageBit.DIGITAL_SIGNATURE) || keyUsage.contains(KeyUsageBit.NON_REPUDIATION);
        if (encryption && signing) {
            return Optional.of(Purpose.DUAL);
        }
        if (encryption) {
            return Optional.of(Purpose.ENCRYPTION);
        }
        if (signing) {
            return Optional.of(Purpose.SIGNING);
        }
        return Optional.empty();
    }

    /** Returns whether the certificate may be used for S/MIME, ignoring its e-mail addresses. */
    public static boolean isSmime(CertificateFacts facts) {
        Set<String> extendedKeyUsages = facts.extendedKeyUsages();
        boolean extendedKeyUsageAllows = extendedKeyUsages.isEmpty()
                || extendedKeyUsages.contains(EMAIL_PROTECTION)
                || extendedKeyUsages.contains(ANY_EXTENDED_KEY_USAGE);
        return extendedKeyUsageAllows && purposeOf(facts).isPresent();
    }

    /**
     * Returns {@link #NOT_SMIME} or {@link #EMAIL_MISMATCH} when the certificate cannot serve as the
     * user's S/MIME certificate, checked in that order, and empty when it can. Addresses are compared
     * without regard to case, see {@link CertificateFacts#normalizeEmail(String)}.
     */
    public static Optional<String> rejectionReason(CertificateFacts facts, String userEmail) {
        if (!isSmime(facts)) {
            return Optional.of(NOT_SMIME);
        }
        if (userEmail == null || !facts.emailAddresses().contains(CertificateFacts.normalizeEmail(userEmail))) {
            return Optional.of(EMAIL_MISMATCH);
        }
        return Optional.empty();
    }

    static boolean canEncrypt(CertificateFacts facts) {
        return purposeOf(facts).filter(p -> p != Purpose.SIGNING).isPresent();
    }

    static boolean canSign(CertificateFacts facts) {
        return purposeOf(facts).filter(p -> p != Purpose.ENCRYPTION).isPresent();
    }
}
