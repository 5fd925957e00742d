package io.smimedelivery.certificate.entity;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** An imported certificate and its private key, encrypted under a key-encryption key. */
@Entity
@Table(name = "imported_certificate")
public class ImportedCertificate extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "owner_address", nullable = false)
    public String ownerAddress;

    @Column(nullable = false)
    public String purpose;

    @Column(name = "thumbprint_sha256", nullable = false)
    public String thumbprintSha256;

    @Column(name = "thumbprint_sha1", nullable = false)
    public String thumbprintSha1;

    @Column(name = "serial_number_hex", nullable = false)
    public String serialNumberHex;

    @Column(name = "subject_dn", nullable = false)
    public String subjectDn;

    @Column(name = "issuer_dn", nullable = false)
    public String issuerDn;

    @Column(name = "not_before", nullable = false)
    public Instant notBefore;

    @Column(name = "not_after", nullable = false)
    public Instant notAfter;

    /** Key usage bit names, comma-separated. */
    @Column(name = "key_usage", nullable = false)
    public String keyUsage;

    /** Extended key usage OIDs, comma-separated. */
    @Column(name = "extended_key_usages", nullable = false)
    public String extendedKeyUsages;

    /** E-mail addresses of the certificate in lower case, comma-separated. */
    @Column(name = "email_addresses", nullable = false)
    public String emailAddresses;

    @Column(name = "certificate_der", nullable = false)
    public byte[] certificateDer;

    @Column(name = "private_key_encrypted", nullable = false)
    public byte[] privateKeyEncrypted;

    @Column(name = "kek_id", nullable = false)
    public String kekId;

    @Column(name = "imported_at", nullable = false)
    public Instant importedAt;

    /** Never prints key material. */
    @Override
    public String toString() {
        return "ImportedCertificate[" + id + ", " + subjectDn + ", serial " + serialNumberHex + ", sha256 "
                + thumbprintSha256 + "]";
    }
}
