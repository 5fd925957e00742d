package io.smimedelivery.policy.entity;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A trusted root profile: one CA certificate that devices install. */
@Entity
@Table(name = "trusted_root_profile")
public class TrustedRootProfile extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String name;

    @Column(name = "subject_dn", nullable = false)
    public String subjectDn;

    @Column(name = "issuer_dn", nullable = false)
    public String issuerDn;

    @Column(name = "serial_number_hex", nullable = false)
    public String serialNumberHex;

    @Column(name = "thumbprint_sha256", nullable = false)
    public String thumbprintSha256;

    @Column(name = "not_before", nullable = false)
    public Instant notBefore;

    @Column(name = "not_after", nullable = false)
    public Instant notAfter;

    @Column(name = "certificate_pem", nullable = false)
    public String certificatePem;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
