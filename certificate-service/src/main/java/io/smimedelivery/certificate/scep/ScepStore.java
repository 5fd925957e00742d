package io.smimedelivery.certificate.scep;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;

import io.smimedelivery.common.jdbc.Sql;
import io.smimedelivery.events.EventJson;
import io.smimedelivery.certificate.scep.ChallengeSpec.SubjectAltName;

/** SCEP challenges and issued certificates in the service's database. */
@ApplicationScoped
public class ScepStore {

    /** A stored challenge with its state. */
    public record Challenge(UUID id, ChallengeSpec spec, Instant expiresAt, Instant usedAt, String transactionId) {
    }

    /** An issued certificate with its binding. */
    public record IssuedCertificate(String serialNumber, String thumbprintSha256, String transactionId, String deviceId,
            String userId, String policyId, int policyVersion, String profileId, Instant notAfter, byte[] der,
            Instant revokedAt) {
    }

    private static final String CHALLENGE_COLUMNS = "id, device_id, user_id, policy_id, policy_version, profile_id, subject,"
            + " subject_alt_names, min_key_size, key_usages, extended_key_usages, validity_months, expires_at, used_at,"
            + " transaction_id, renewal_threshold_percent";
    private static final String CERTIFICATE_COLUMNS = "serial_number, thumbprint_sha256, transaction_id, device_id, user_id,"
            + " policy_id, policy_version, profile_id, not_after, certificate_der, revoked_at";

    private final Sql sql;

    public ScepStore(DataSource dataSource) {
        this.sql = new Sql(dataSource, "SCEP table");
    }

    /**
     * Stores a challenge. Its lifetime starts at {@link #startClock} when its package is downloaded, or at
     * once when {@code expiresAt} is given.
     */
    public UUID insertChallenge(String challengeSha256, ChallengeSpec spec, UUID packageId, java.time.Duration lifetime,
            Instant expiresAt) {
        UUID id = UUID.randomUUID();
        sql.update("""
                INSERT INTO scep_challenge (id, challenge_sha256, package_id, lifetime_seconds, device_id, user_id, policy_id,
                    policy_version, profile_id, subject, subject_alt_names, min_key_size, key_usages, extended_key_usages,
                    validity_months, expires_at, renewal_threshold_percent)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, id, challengeSha256, packageId, (int) lifetime.toSeconds(), spec.deviceId(), spec.userId(),
                spec.policyId(), spec.policyVersion(), spec.profileId(), spec.subject(), json(spec.subjectAltNames()),
                spec.minKeySize(), json(spec.keyUsages()), json(spec.extendedKeyUsages()), spec.validityMonths(),
                expiresAt == null ? null : Timestamp.from(expiresAt), spec.renewalThresholdPercent());
        return id;
    }

    /** Starts the lifetime of the package's challenge at its first download; later downloads change nothing. */
    public void startClock(UUID packageId, Instant downloadedAt) {
        sql.update("""
                UPDATE scep_challenge SET expires_at = CAST(? AS timestamptz) + make_interval(secs => lifetime_seconds)
                WHERE package_id = ? AND expires_at IS NULL
                """, Timestamp.from(downloadedAt), packageId);
    }

    /** Returns whether the package has a challenge that expired without being used. */
    public boolean challengeExpiredUnused(UUID packageId, Instant now) {
        return !sql.query("""
                SELECT 1 FROM scep_challenge WHERE package_id = ? AND used_at IS NULL AND expires_at <= ?
                """, result -> true, packageId, Timestamp.from(now)).isEmpty();
    }

    /** Returns the challenge with this hash, locked until the transaction ends. */
    public Optional<Challenge> lockChallenge(String challengeSha256) {
        return sql.query("SELECT " + CHALLENGE_COLUMNS + " FROM scep_challenge WHERE challenge_sha256 = ? FOR UPDATE",
                ScepStore::challenge, challengeSha256).stream().findFirst();
    }

    public void markUsed(UUID challengeId, String transactionId, Instant usedAt) {
        sql.update("UPDATE scep_challenge SET used_at = ?, transaction_id = ? WHERE id = ?", Timestamp.from(usedAt),
                transactionId, challengeId);
    }

    public void recordFailure(UUID challengeId, String reasonCode, Instant at) {
        sql.update("UPDATE scep_challenge SET last_failure_code = ?, last_failure_at = ? WHERE id = ?", reasonCode,
                Timestamp.from(at), challengeId);
    }

    public void insertCertificate(IssuedCertificate certificate, UUID challengeId, String subject, Instant notBefore) {
        sql.update("""
                INSERT INTO scep_certificate (serial_number, thumbprint_sha256, transaction_id, challenge_id, device_id,
                    user_id, policy_id, policy_version, profile_id, subject, not_before, not_after, certificate_der)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, certificate.serialNumber(), certificate.thumbprintSha256(), certificate.transactionId(), challengeId,
                certificate.deviceId(), certificate.userId(), certificate.policyId(), certificate.policyVersion(),
                certificate.profileId(), subject, Timestamp.from(notBefore), Timestamp.from(certificate.notAfter()),
                certificate.der());
    }

    public Optional<IssuedCertificate> certificateBySerial(String serialNumber) {
        return sql.query("SELECT " + CERTIFICATE_COLUMNS + " FROM scep_certificate WHERE serial_number = ?",
                ScepStore::certificate, serialNumber).stream().findFirst();
    }

    /** Returns the challenge a certificate was issued with, which contains its profile's request and renewal rules. */
    public Optional<Challenge> challengeOfCertificate(String serialNumber) {
        return sql.query("SELECT " + CHALLENGE_COLUMNS + """
                 FROM scep_challenge WHERE id = (SELECT challenge_id FROM scep_certificate WHERE serial_number = ?)
                """, ScepStore::challenge, serialNumber).stream().findFirst();
    }

    /** Returns the newest certificate issued for a transaction, for CertPoll and repeated requests. */
    public Optional<IssuedCertificate> certificateByTransaction(String transactionId) {
        return sql.query("SELECT " + CERTIFICATE_COLUMNS + " FROM scep_certificate WHERE transaction_id = ?"
                + " ORDER BY issued_at DESC LIMIT 1", ScepStore::certificate, transactionId).stream().findFirst();
    }

    /** A revoked certificate as a CRL lists it. */
    public record Revocation(String serialNumber, Instant revokedAt, String reason) {
    }

    /**
     * Revokes every unrevoked certificate issued to the device for the policy and returns their serial
     * numbers. Revoking twice changes nothing.
     */
    public List<String> revokeCertificates(String deviceId, String policyId, String reason, Instant at) {
        return sql.query("""
                UPDATE scep_certificate SET revoked_at = ?, revocation_reason = ?
                WHERE device_id = ? AND policy_id = ? AND revoked_at IS NULL RETURNING serial_number
                """, result -> result.getString(1), Timestamp.from(at), reason, deviceId, policyId);
    }

    /** Returns every revoked certificate that has not expired, for the CRL. */
    public List<Revocation> revocations(Instant now) {
        return sql.query("""
                SELECT serial_number, revoked_at, revocation_reason FROM scep_certificate
                WHERE revoked_at IS NOT NULL AND not_after > ? ORDER BY revoked_at, serial_number
                """, r -> new Revocation(r.getString(1), Sql.instant(r, 2), r.getString(3)), Timestamp.from(now));
    }

    private static Challenge challenge(ResultSet r) throws SQLException {
        ChallengeSpec spec = new ChallengeSpec(r.getString(2), r.getString(3), r.getString(4), r.getInt(5), r.getString(6),
                r.getString(7), list(r.getString(8), new TypeReference<List<SubjectAltName>>() { }), r.getInt(9),
                list(r.getString(10), new TypeReference<List<String>>() { }),
                list(r.getString(11), new TypeReference<List<String>>() { }), r.getInt(12), r.getInt(16));
        return new Challenge(r.getObject(1, UUID.class), spec, Sql.instant(r, 13), Sql.instant(r, 14), r.getString(15));
    }

    private static IssuedCertificate certificate(ResultSet r) throws SQLException {
        return new IssuedCertificate(r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5),
                r.getString(6), r.getInt(7), r.getString(8), Sql.instant(r, 9), r.getBytes(10), Sql.instant(r, 11));
    }

    private static String json(Object value) {
        try {
            return EventJson.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Writing " + value.getClass().getSimpleName() + " as JSON failed", e);
        }
    }

    private static <T> List<T> list(String text, TypeReference<List<T>> type) {
        try {
            return EventJson.mapper().readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A SCEP challenge column contains invalid JSON: " + e.getOriginalMessage(), e);
        }
    }
}
