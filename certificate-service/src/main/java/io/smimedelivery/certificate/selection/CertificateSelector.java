package io.smimedelivery.certificate.selection;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Chooses a user's current encryption certificate, encryption history and signing certificate.
 *
 * <p>The methods without an e-mail address trust that the collection holds only the user's own
 * certificates and check only keyUsage and extendedKeyUsage. {@link #select} also checks the address.
 */
public final class CertificateSelector {

    private CertificateSelector() {
    }

    /**
     * Returns every encryption-capable S/MIME certificate, ordered for delivery: certificates valid at
     * {@code now} first, then those not yet valid, then expired ones. Each group is sorted by notBefore,
     * newest first. An expired certificate comes first only when all certificates are expired.
     */
    public static List<CertificateFacts> encryptionHistory(Collection<CertificateFacts> userCerts, Instant now) {
        return userCerts.stream()
                .filter(SmimeClassifier::isSmime)
                .filter(SmimeClassifier::canEncrypt)
                .distinct()
                .sorted(deliveryOrder(now))
                .toList();
    }

    /** Returns the encryption certificate valid at {@code now} with the latest notBefore. */
    public static Optional<CertificateFacts> currentEncryption(Collection<CertificateFacts> userCerts, Instant now) {
        return encryptionHistory(userCerts, now).stream()
                .findFirst()
                .filter(facts -> facts.isValidAt(now));
    }

    /** Returns the signing-capable S/MIME certificate valid at {@code now} with the latest notBefore. */
    public static Optional<CertificateFacts> signing(Collection<CertificateFacts> userCerts, Instant now) {
        return userCerts.stream()
                .filter(SmimeClassifier::isSmime)
                .filter(SmimeClassifier::canSign)
                .filter(facts -> facts.isValidAt(now))
                .min(newestFirst());
    }

    /**
     * Selects the certificates for a user, ignoring those that {@link SmimeClassifier#rejectionReason}
     * rejects for {@code userEmail}, and reports each role that stays empty. EMAIL_MISMATCH is added
     * when a certificate issued for another address would have filled an empty role.
     */
    public static Selection select(Collection<CertificateFacts> userCerts, String userEmail, Instant now) {
        List<CertificateFacts> usable = new ArrayList<>();
        List<CertificateFacts> otherAddress = new ArrayList<>();
        Map<String, String> rejections = new LinkedHashMap<>();
        for (CertificateFacts facts : userCerts) {
            Optional<String> reason = SmimeClassifier.rejectionReason(facts, userEmail);
            if (reason.isEmpty()) {
                usable.add(facts);
            } else {
                rejections.put(facts.thumbprintSha256(), reason.get());
                if (reason.get().equals(SmimeClassifier.EMAIL_MISMATCH)) {
                    otherAddress.add(facts);
                }
            }
        }

        Optional<CertificateFacts> currentEncryption = currentEncryption(usable, now);
        Optional<CertificateFacts> signing = signing(usable, now);
        Set<SelectionFailure> failures = EnumSet.noneOf(SelectionFailure.class);
        if (currentEncryption.isEmpty()) {
            failures.add(SelectionFailure.NO_ENCRYPTION_CERTIFICATE);
            if (currentEncryption(otherAddress, now).isPresent()) {
                failures.add(SelectionFailure.EMAIL_MISMATCH);
            }
        }
        if (signing.isEmpty()) {
            failures.add(SelectionFailure.NO_SIGNING_CERTIFICATE);
            if (signing(otherAddress, now).isPresent()) {
                failures.add(SelectionFailure.EMAIL_MISMATCH);
            }
        }

        return new Selection(currentEncryption, encryptionHistory(usable, now), signing, failures, rejections);
    }

    private static Comparator<CertificateFacts> deliveryOrder(Instant now) {
        Comparator<CertificateFacts> byGroup = Comparator.comparingInt(facts -> validityGroup(facts, now));
        return byGroup.thenComparing(newestFirst());
    }

    /** Returns 0 for valid at {@code now}, 1 for not yet valid and 2 for expired. */
    private static int validityGroup(CertificateFacts facts, Instant now) {
        if (facts.isValidAt(now)) {
            return 0;
        }
        return now.isBefore(facts.notBefore()) ? 1 : 2;
    }

    /** Orders by notBefore, then notAfter, newest first, and by thumbprint so that the order is stable. */
    private static Comparator<CertificateFacts> newestFirst() {
        return Comparator.comparing(CertificateFacts::notBefore, Comparator.reverseOrder())
                .thenComparing(CertificateFacts::notAfter, Comparator.reverseOrder())
                .thenComparing(CertificateFacts::thumbprintSha256);
    }
}
