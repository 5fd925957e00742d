package io.smimedelivery.certificate.selection;

import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The certificates chosen for one user at one instant.
 *
 * @param currentEncryption the certificate that others should encrypt new mail to
 * @param encryptionHistory every usable encryption certificate, current first, so that old mail stays readable
 * @param signing the certificate to sign new mail with
 * @param failures the roles that no certificate fills, empty when both are filled
 * @param rejections the rejection reason of each certificate that is not usable, keyed by SHA-256
 *     thumbprint, with values from {@link SmimeClassifier#NOT_SMIME} and {@link SmimeClassifier#EMAIL_MISMATCH}
 */
public record Selection(
        Optional<CertificateFacts> currentEncryption,
        List<CertificateFacts> encryptionHistory,
        Optional<CertificateFacts> signing,
        Set<SelectionFailure> failures,
        Map<String, String> rejections) {

    public Selection {
        encryptionHistory = List.copyOf(encryptionHistory);
        failures = failures.isEmpty()
                ? Collections.unmodifiableSet(EnumSet.noneOf(SelectionFailure.class))
                : Collections.unmodifiableSet(EnumSet.copyOf(failures));
        rejections = Collections.unmodifiableMap(new LinkedHashMap<>(rejections));
    }

    public boolean isComplete() {
        return failures.isEmpty();
    }
}
