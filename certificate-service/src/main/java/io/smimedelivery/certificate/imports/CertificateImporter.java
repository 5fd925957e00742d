package io.smimedelivery.certificate.imports;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smimedelivery.certificate.crypto.KeyEncryption;
import io.smimedelivery.certificate.crypto.KeyEncryptionProvider;
import io.smimedelivery.certificate.delivery.DeliveryStore;
import io.smimedelivery.certificate.delivery.PackageWorker;
import io.smimedelivery.certificate.entity.ImportedCertificate;
import io.smimedelivery.certificate.pkcs12.KeyPairEntry;
import io.smimedelivery.certificate.pkcs12.Pkcs12Contents;
import io.smimedelivery.certificate.pkcs12.Pkcs12Exception;
import io.smimedelivery.certificate.pkcs12.Pkcs12Reader;
import io.smimedelivery.certificate.selection.CertificateFacts;
import io.smimedelivery.certificate.selection.Purpose;
import io.smimedelivery.certificate.selection.SmimeClassifier;

/**
 * Imports users' PKCS#12 files. Each file is read, checked and stored in a transaction of its own, so
 * one bad file never stops the others and a file is stored whole or not at all. Importing the same
 * certificate again for the same user changes nothing.
 */
@ApplicationScoped
public class CertificateImporter {

    private static final Logger LOG = Logger.getLogger(CertificateImporter.class);

    private final KeyEncryptionProvider keyEncryption;
    private final ImportKey importKey;
    private final DeliveryStore deliveries;
    private final PackageWorker packageWorker;

    public CertificateImporter(KeyEncryptionProvider keyEncryption, ImportKey importKey, DeliveryStore deliveries,
            PackageWorker packageWorker) {
        this.keyEncryption = keyEncryption;
        this.importKey = importKey;
        this.deliveries = deliveries;
        this.packageWorker = packageWorker;
    }

    public List<ImportResult> importAll(List<ImportFile> files) {
        KeyEncryption encryption = keyEncryption.require();
        List<ImportResult> results = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            int index = i + 1;
            ImportFile file = files.get(i);
            ImportResult result = file == null ? ImportResult.rejected(index, null, "MISSING_FILE", "The entry is empty")
                    : QuarkusTransaction.requiringNew().call(() -> importOne(index, file, encryption));
            LOG.infof("Import of file %d for %s: %s%s", index, result.user(), result.status(),
                    result.reasonCode() == null ? "" : " (" + result.reasonCode() + ")");
            results.add(result);
        }
        return results;
    }

    private ImportResult importOne(int index, ImportFile file, KeyEncryption encryption) {
        boolean byEmail = file.email() != null && !file.email().isBlank();
        String named = byEmail ? file.email() : file.userPrincipalName();
        String owner = named == null ? "" : named.strip().toLowerCase(Locale.ROOT);
        if (!owner.matches("[^@\\s]+@[^@\\s]+")) {
            return ImportResult.rejected(index, named, "INVALID_USER", (named == null || named.isBlank()
                    ? "email or userPrincipalName is required" : "'" + named + "' is not an address of the form name@domain")
                    + "; give the user's e-mail address, such as mario.rossi@example.it");
        }
        Optional<Purpose> requested;
        try {
            requested = requestedPurpose(file.purpose());
        } catch (IllegalArgumentException e) {
            return ImportResult.rejected(index, owner, "INVALID_PURPOSE", e.getMessage());
        }
        // CertificateResource has rejected files over smime.limits.pkcs12-file-size before the import started.
        byte[] pkcs12;
        try {
            // Line breaks and spaces are allowed, as in base64 tool output; any other non-Base64 character is an error.
            pkcs12 = Base64.getDecoder().decode(file.pkcs12() == null ? "" : file.pkcs12().replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            return ImportResult.rejected(index, owner, "INVALID_BASE64", "pkcs12 is not valid Base64; send the file's bytes in Base64");
        }
        if (pkcs12.length == 0) {
            return ImportResult.rejected(index, owner, "MISSING_FILE", "pkcs12 is empty; send the file's bytes in Base64");
        }

        String password = file.password();
        if (file.encryptedPassword() != null && !file.encryptedPassword().isBlank()) {
            if (password != null) {
                return ImportResult.rejected(index, owner, "TWO_PASSWORDS",
                        "send either password or encryptedPassword, not both");
            }
            try {
                password = importKey.decryptPassword(file.encryptedPassword());
            } catch (IllegalArgumentException e) {
                return ImportResult.rejected(index, owner, "INVALID_ENCRYPTED_PASSWORD", e.getMessage());
            }
        }

        Pkcs12Contents contents;
        try {
            contents = Pkcs12Reader.read(pkcs12, password == null ? new char[0] : password.toCharArray());
        } catch (Pkcs12Exception e) {
            return ImportResult.rejected(index, owner, e.reason().name(), e.getMessage());
        }

        // A user named by principal name is checked against the primary address that an assignment of
        // the user brought. A user not assigned yet is checked when packages are built for the user.
        Optional<String> primaryAddress = byEmail ? Optional.of(owner)
                : deliveries.usersByAddress(owner).stream().map(user -> user.email()).findFirst();
        List<ImportResult.Certificate> certificates = new ArrayList<>();
        List<ImportedCertificate> toStore = new ArrayList<>();
        for (KeyPairEntry entry : contents.entries()) {
            CertificateFacts facts = CertificateFacts.of(entry.certificate());
            Optional<String> rejection = SmimeClassifier.rejectionReason(facts, primaryAddress.orElse(null))
                    .filter(reason -> primaryAddress.isPresent() || !reason.equals(SmimeClassifier.EMAIL_MISMATCH));
            if (rejection.isPresent()) {
                return ImportResult.rejected(index, owner, rejection.get(),
                        rejectionMessage(rejection.get(), facts, primaryAddress.orElse(owner)));
            }
            Purpose derived = SmimeClassifier.purposeOf(facts).orElseThrow();
            if (requested.isPresent() && !allows(derived, requested.get())) {
                return ImportResult.rejected(index, owner, "PURPOSE_MISMATCH", facts.describe() + " allows "
                        + derived + " use only, not " + requested.get() + "; import it with purpose UNASSIGNED or "
                        + derived);
            }
            Purpose purpose = requested.orElse(derived);
            ImportedCertificate existing = ImportedCertificate
                    .find("ownerAddress = ?1 and thumbprintSha256 = ?2", owner, facts.thumbprintSha256()).firstResult();
            certificates.add(new ImportResult.Certificate(facts.thumbprintSha256(), facts.thumbprintSha1(),
                    facts.serialNumberHex(), facts.subjectDn(), purpose.name(), facts.notAfter(), existing != null));
            if (existing == null) {
                toStore.add(entity(owner, purpose, facts, entry, encryption));
            }
        }
        for (ImportedCertificate certificate : toStore) {
            certificate.persist();
        }
        if (!toStore.isEmpty() && deliveries.requestPackagesForAddress(owner) > 0) {
            packageWorker.wakeAfterCommit();
        }
        return new ImportResult(index, owner, toStore.isEmpty() ? "UNCHANGED" : "IMPORTED", null, null, certificates);
    }

    private static ImportedCertificate entity(String owner, Purpose purpose, CertificateFacts facts, KeyPairEntry entry,
            KeyEncryption encryption) {
        ImportedCertificate certificate = new ImportedCertificate();
        certificate.id = UUID.randomUUID();
        certificate.ownerAddress = owner;
        certificate.purpose = purpose.name();
        certificate.thumbprintSha256 = facts.thumbprintSha256();
        certificate.thumbprintSha1 = facts.thumbprintSha1();
        certificate.serialNumberHex = facts.serialNumberHex();
        certificate.subjectDn = facts.subjectDn();
        certificate.issuerDn = facts.issuerDn();
        certificate.notBefore = facts.notBefore();
        certificate.notAfter = facts.notAfter();
        certificate.keyUsage = facts.keyUsage().stream().map(Enum::name).sorted().collect(Collectors.joining(","));
        certificate.extendedKeyUsages = String.join(",", facts.extendedKeyUsages().stream().sorted().toList());
        certificate.emailAddresses = String.join(",", facts.emailAddresses().stream().sorted().toList());
        try {
            certificate.certificateDer = entry.certificate().getEncoded();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Failed to encode " + facts.describe(), e);
        }
        certificate.privateKeyEncrypted = encryption.encrypt(entry.privateKey().getEncoded());
        certificate.kekId = encryption.currentKeyId();
        certificate.importedAt = Instant.now();
        return certificate;
    }

    private static Optional<Purpose> requestedPurpose(String text) {
        if (text == null || text.isBlank() || text.trim().equalsIgnoreCase("UNASSIGNED")) {
            return Optional.empty();
        }
        return switch (text.trim().toUpperCase(Locale.ROOT)) {
            case "ENCRYPTION", "SMIME_ENCRYPTION" -> Optional.of(Purpose.ENCRYPTION);
            case "SIGNING", "SMIME_SIGNING" -> Optional.of(Purpose.SIGNING);
            default -> throw new IllegalArgumentException("purpose '" + text
                    + "' is not known; use ENCRYPTION, SIGNING or UNASSIGNED");
        };
    }

    private static boolean allows(Purpose derived, Purpose requested) {
        return derived == Purpose.DUAL || derived == requested;
    }

    private static String rejectionMessage(String reason, CertificateFacts facts, String owner) {
        if (reason.equals(SmimeClassifier.EMAIL_MISMATCH)) {
            return facts.describe() + " is issued to " + facts.emailAddresses() + ", not to " + owner
                    + "; import it for its own user, or ask the CA for a certificate with this address";
        }
        return facts.describe() + " is not an S/MIME certificate: its extended key usage lacks e-mail protection"
                + " (1.3.6.1.5.5.7.3.4); import the user's S/MIME certificate instead";
    }

    /** Returns the stored certificates of a user, newest first. */
    public List<ImportedCertificate> certificatesOf(String user) {
        return ImportedCertificate.list("ownerAddress = ?1 order by notBefore desc", user.strip().toLowerCase(Locale.ROOT));
    }
}
