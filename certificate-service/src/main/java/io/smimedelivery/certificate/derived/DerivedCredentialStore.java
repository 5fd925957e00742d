package io.smimedelivery.certificate.derived;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import io.smimedelivery.common.jdbc.Sql;

/** Derived credentials that devices reported, in the service's database. */
@ApplicationScoped
public class DerivedCredentialStore {

    /** A reported derived credential. */
    public record DerivedCredential(UUID id, String deviceId, String userId, String purpose, String thumbprintSha256,
            String serialNumber, String subject, String issuer, Instant notBefore, Instant notAfter, byte[] certificateDer,
            Instant reportedAt, Instant renewalDueAt, Instant renewalNotifiedAt) {
    }

    private static final String COLUMNS = "id, device_id, user_id, purpose, thumbprint_sha256, serial_number, subject, issuer,"
            + " not_before, not_after, certificate_der, reported_at, renewal_due_at, renewal_notified_at";

    private final Sql sql;

    public DerivedCredentialStore(DataSource dataSource) {
        this.sql = new Sql(dataSource, "Derived credential table");
    }

    /**
     * Stores a report as the device's current credential for its purpose and marks the earlier one replaced.
     * Reporting the current credential again changes nothing and returns false.
     */
    public boolean report(DerivedCredential credential, String chainPem) {
        Optional<DerivedCredential> current = current(credential.deviceId(), credential.purpose());
        if (current.isPresent() && current.get().thumbprintSha256().equals(credential.thumbprintSha256())) {
            return false;
        }
        sql.update("UPDATE derived_credential SET replaced_at = ? WHERE device_id = ? AND purpose = ? AND replaced_at IS NULL",
                Timestamp.from(credential.reportedAt()), credential.deviceId(), credential.purpose());
        sql.update("""
                INSERT INTO derived_credential (id, device_id, user_id, purpose, thumbprint_sha256, serial_number, subject,
                    issuer, not_before, not_after, certificate_der, chain_pem, reported_at, renewal_due_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, credential.id(), credential.deviceId(), credential.userId(), credential.purpose(),
                credential.thumbprintSha256(), credential.serialNumber(), credential.subject(), credential.issuer(),
                Timestamp.from(credential.notBefore()), Timestamp.from(credential.notAfter()), credential.certificateDer(),
                chainPem, Timestamp.from(credential.reportedAt()), Timestamp.from(credential.renewalDueAt()));
        return true;
    }

    public Optional<DerivedCredential> current(String deviceId, String purpose) {
        return sql.query("SELECT " + COLUMNS + " FROM derived_credential WHERE device_id = ? AND purpose = ?"
                + " AND replaced_at IS NULL", DerivedCredentialStore::credential, deviceId, purpose).stream().findFirst();
    }

    public List<DerivedCredential> currentOf(String deviceId) {
        return sql.query("SELECT " + COLUMNS + " FROM derived_credential WHERE device_id = ? AND replaced_at IS NULL"
                + " ORDER BY purpose", DerivedCredentialStore::credential, deviceId);
    }

    /** Returns the current credentials whose renewal became due at or before {@code now} and were not notified yet. */
    public List<DerivedCredential> renewalsDue(Instant now) {
        return sql.query("SELECT " + COLUMNS + " FROM derived_credential WHERE replaced_at IS NULL"
                + " AND renewal_notified_at IS NULL AND renewal_due_at <= ? ORDER BY renewal_due_at",
                DerivedCredentialStore::credential, Timestamp.from(now));
    }

    public void markRenewalNotified(UUID id, Instant at) {
        sql.update("UPDATE derived_credential SET renewal_notified_at = ? WHERE id = ?", Timestamp.from(at), id);
    }

    private static DerivedCredential credential(ResultSet r) throws SQLException {
        return new DerivedCredential(r.getObject(1, UUID.class), r.getString(2), r.getString(3), r.getString(4),
                r.getString(5), r.getString(6), r.getString(7), r.getString(8), Sql.instant(r, 9), Sql.instant(r, 10),
                r.getBytes(11), Sql.instant(r, 12), Sql.instant(r, 13), Sql.instant(r, 14));
    }
}
