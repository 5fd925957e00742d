package io.smimedelivery.certificate.delivery;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

import io.smimedelivery.certificate.delivery.DeliveryRecords.AssignedUser;
import io.smimedelivery.certificate.delivery.DeliveryRecords.UserPolicy;
import io.smimedelivery.certificate.entity.ImportedCertificate;
import io.smimedelivery.certificate.selection.CertificateFacts;
import io.smimedelivery.events.CertificateRole;
import io.smimedelivery.events.PackagedCertificate;
import io.smimedelivery.events.SigningSource;

/**
 * Content that every device of one user receives for one policy version: the chosen certificates, CA
 * certificates and app configuration, or the reason nothing can be delivered.
 *
 * @param user           the user
 * @param policy         the policy version
 * @param signingSource  where the signing certificate comes from
 * @param certificates   the user's certificates with their roles; a dual-use certificate appears once per role
 * @param caCertificates trusted root and intermediate certificates of the policy
 * @param appConfig      Outlook's managed app configuration keys for this user
 * @param failureCode    reason code when no package can be built, else null
 * @param failureDetail  what an administrator must do about the failure, else null
 * @param fingerprint    SHA-256 over everything above, lower-case hex
 */
public record PackagePlan(
        AssignedUser user,
        UserPolicy policy,
        SigningSource signingSource,
        List<PlannedCertificate> certificates,
        List<X509Certificate> caCertificates,
        Map<String, Object> appConfig,
        String failureCode,
        String failureDetail,
        String fingerprint) {

    /** One of the user's certificates in a role. */
    public record PlannedCertificate(ImportedCertificate source, CertificateFacts facts, CertificateRole role,
            boolean current) {

        PackagedCertificate event() {
            return new PackagedCertificate(facts.thumbprintSha256(), role, facts.serialNumberHex(), facts.notAfter(),
                    current);
        }
    }

    public boolean failed() {
        return failureCode != null;
    }
}
