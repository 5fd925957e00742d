package io.smimedelivery.certificate.delivery;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.bouncycastle.cert.X509CertificateHolder;

import io.smimedelivery.certificate.delivery.DeliveryRecords.AssignedUser;
import io.smimedelivery.certificate.delivery.DeliveryRecords.UserPolicy;
import io.smimedelivery.certificate.delivery.PackagePlan.PlannedCertificate;
import io.smimedelivery.certificate.entity.ImportedCertificate;
import io.smimedelivery.certificate.selection.CertificateFacts;
import io.smimedelivery.certificate.selection.CertificateSelector;
import io.smimedelivery.certificate.selection.Purpose;
import io.smimedelivery.certificate.selection.Selection;
import io.smimedelivery.certificate.selection.SelectionFailure;
import io.smimedelivery.events.CertificateRole;
import io.smimedelivery.events.EncryptionProfileType;
import io.smimedelivery.events.EventJson;
import io.smimedelivery.events.PolicySettings;
import io.smimedelivery.events.SigningProfileType;
import io.smimedelivery.events.SigningSource;
import io.smimedelivery.events.TrustedRoot;
import io.smimedelivery.events.appconfig.OutlookAppConfig;
import io.smimedelivery.events.appconfig.OutlookSmimeSettings;

/**
 * Works out what one user's devices receive for one policy version. Encryption certificates are the
 * user's whole encryption history, current first, when the policy's encryption type is imported
 * PKCS; the signing certificate is the newest valid one when the signing type is imported PKCS.
 * Certificates imported for signing only never serve encryption, and the reverse.
 */
public final class PackagePlanner {

    /** Reason code: the user's certificates are issued for another address than the user's primary one. */
    public static final String EMAIL_MISMATCH = "EMAIL_MISMATCH";
    /** Reason code: no encryption certificate of the user is valid now. */
    public static final String NO_ENCRYPTION_CERTIFICATE = "NO_ENCRYPTION_CERTIFICATE";
    /** Reason code: no signing certificate of the user is valid now. */
    public static final String NO_SIGNING_CERTIFICATE = "NO_SIGNING_CERTIFICATE";

    private final String encodingName;

    /**
     * @param encodingName the PKCS#12 encoding and iteration count, part of every fingerprint so that a
     *     change of encoding rebuilds the packages
     */
    public PackagePlanner(String encodingName) {
        this.encodingName = encodingName;
    }

    public PackagePlan plan(AssignedUser user, UserPolicy policy, List<ImportedCertificate> imported, Instant now) {
        PolicySettings settings = policy.settings();
        boolean importedEncryption = settings.encryptionProfileType() == EncryptionProfileType.IMPORTED_PKCS;
        boolean importedSigning = settings.signingProfileType() == SigningProfileType.IMPORTED_PKCS;

        List<CertificateFacts> forEncryption = new ArrayList<>();
        List<CertificateFacts> forSigning = new ArrayList<>();
        Map<String, ImportedCertificate> byThumbprint = new java.util.HashMap<>();
        for (ImportedCertificate certificate : imported) {
            CertificateFacts facts = facts(certificate);
            byThumbprint.putIfAbsent(facts.thumbprintSha256(), certificate);
            if (!certificate.purpose.equals(Purpose.SIGNING.name())) {
                forEncryption.add(facts);
            }
            if (!certificate.purpose.equals(Purpose.ENCRYPTION.name())) {
                forSigning.add(facts);
            }
        }
        Selection encryption = CertificateSelector.select(distinct(forEncryption), user.email(), now);
        Selection signing = CertificateSelector.select(distinct(forSigning), user.email(), now);

        List<PlannedCertificate> planned = new ArrayList<>();
        String failureCode = null;
        String failureDetail = null;
        if (importedEncryption) {
            if (encryption.currentEncryption().isEmpty()) {
                boolean mismatch = encryption.failures().contains(SelectionFailure.EMAIL_MISMATCH);
                failureCode = mismatch ? EMAIL_MISMATCH : NO_ENCRYPTION_CERTIFICATE;
                failureDetail = mismatch ? mismatchDetail(user, "encryption", forEncryption)
                        : missingDetail(user, "encryption", forEncryption, now);
            } else {
                String current = encryption.currentEncryption().get().thumbprintSha256();
                for (CertificateFacts facts : encryption.encryptionHistory()) {
                    planned.add(new PlannedCertificate(byThumbprint.get(facts.thumbprintSha256()), facts,
                            CertificateRole.ENCRYPTION, facts.thumbprintSha256().equals(current)));
                }
            }
        }
        if (importedSigning && failureCode == null) {
            if (signing.signing().isEmpty()) {
                boolean mismatch = signing.failures().contains(SelectionFailure.EMAIL_MISMATCH);
                failureCode = mismatch ? EMAIL_MISMATCH : NO_SIGNING_CERTIFICATE;
                failureDetail = mismatch ? mismatchDetail(user, "signing", forSigning)
                        : missingDetail(user, "signing", forSigning, now);
            } else {
                CertificateFacts facts = signing.signing().get();
                planned.add(new PlannedCertificate(byThumbprint.get(facts.thumbprintSha256()), facts,
                        CertificateRole.SIGNING, true));
            }
        }
        if (failureCode != null) {
            planned.clear();
        }

        SigningSource signingSource = switch (settings.signingProfileType() == null ? SigningProfileType.UNKNOWN
                : settings.signingProfileType()) {
            case IMPORTED_PKCS -> SigningSource.IMPORTED_PKCS;
            case SCEP -> SigningSource.SCEP;
            case DERIVED_CREDENTIAL -> SigningSource.DERIVED_CREDENTIAL;
            default -> SigningSource.NONE;
        };
        List<X509Certificate> caCertificates = caCertificates(settings.trustedRoots());
        Map<String, Object> appConfig = OutlookAppConfig.withUser(OutlookAppConfig.keys(new OutlookSmimeSettings(
                settings.smimeEnabled(), settings.smimeUserChangeAllowed(), settings.encryptAllMail(),
                settings.encryptAllMailUserChangeAllowed(), settings.signAllMail(), settings.signAllMailUserChangeAllowed(),
                blankToNull(settings.ldapHostName()), settings.deployCertificates(), null)), user.userPrincipalName());

        StringBuilder digestInput = new StringBuilder("package-plan-v1\n")
                .append(encodingName).append('\n')
                .append(policy.policyId()).append('\n').append(policy.policyVersion()).append('\n')
                .append(new String(EventJson.toBytes(settings), StandardCharsets.UTF_8)).append('\n')
                .append(user.userPrincipalName()).append('\n').append(user.email()).append('\n');
        for (PlannedCertificate certificate : planned) {
            digestInput.append(certificate.role()).append(' ').append(certificate.facts().thumbprintSha256()).append(' ')
                    .append(certificate.current()).append('\n');
        }
        digestInput.append(failureCode).append('\n').append(failureDetail).append('\n');
        return new PackagePlan(user, policy, signingSource, List.copyOf(planned), caCertificates, appConfig, failureCode,
                failureDetail, sha256Hex(digestInput.toString()));
    }

    /** Returns the fingerprint of the package that a device with {@code devicePublicKeyPem} gets from {@code plan}. */
    public static String deviceFingerprint(PackagePlan plan, String devicePublicKeyPem) {
        return sha256Hex(plan.fingerprint() + "\n" + devicePublicKeyPem.strip().replaceAll("\\s+", ""));
    }

    /** Returns the role a CA certificate plays: TRUSTED_ROOT when it is self-issued, else INTERMEDIATE. */
    public static CertificateRole caRole(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())
                ? CertificateRole.TRUSTED_ROOT : CertificateRole.INTERMEDIATE;
    }

    private static List<CertificateFacts> distinct(List<CertificateFacts> facts) {
        return List.copyOf(new LinkedHashSet<>(facts));
    }

    private static String missingDetail(AssignedUser user, String role, List<CertificateFacts> candidates, Instant now) {
        long expired = candidates.stream().filter(facts -> facts.notAfter().isBefore(now)).count();
        long notYetValid = candidates.stream().filter(facts -> facts.notBefore().isAfter(now)).count();
        String found = candidates.isEmpty() ? "none is imported"
                : candidates.size() + " imported certificate(s) could serve, " + expired + " expired and " + notYetValid
                        + " not yet valid";
        return "No valid S/MIME " + role + " certificate for " + user.email() + " (" + found
                + "); import the user's current " + role + " certificate with purpose " + role.toUpperCase(java.util.Locale.ROOT)
                + " or UNASSIGNED";
    }

    private static String mismatchDetail(AssignedUser user, String role, List<CertificateFacts> candidates) {
        Set<String> addresses = new TreeSet<>();
        candidates.forEach(facts -> addresses.addAll(facts.emailAddresses()));
        return "The " + role + " certificates imported for " + user.userPrincipalName() + " are issued to " + addresses
                + ", not to the user's primary address " + user.email()
                + "; Outlook for iOS uses only certificates that carry it. Import certificates issued to " + user.email()
                + ", or correct the user's primary address in the directory";
    }

    private static CertificateFacts facts(ImportedCertificate certificate) {
        try {
            return CertificateFacts.of(new X509CertificateHolder(certificate.certificateDer));
        } catch (IOException e) {
            throw new IllegalStateException("Stored certificate " + certificate.id + " cannot be read", e);
        }
    }

    /** Parses the PEM certificates of trusted root profiles. */
    public static List<X509Certificate> caCertificates(List<TrustedRoot> roots) {
        List<X509Certificate> certificates = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (TrustedRoot root : roots) {
                certificates.add((X509Certificate) factory.generateCertificate(
                        new ByteArrayInputStream(root.certificatePem().getBytes(StandardCharsets.US_ASCII))));
            }
        } catch (CertificateException e) {
            throw new IllegalStateException("A trusted root certificate of the policy cannot be read: " + e.getMessage(), e);
        }
        return certificates;
    }

    private static String blankToNull(String text) {
        return Optional.ofNullable(text).filter(value -> !value.isBlank()).orElse(null);
    }

    static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
