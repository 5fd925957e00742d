package io.smimedelivery.certificate.delivery;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.core.JsonProcessingException;

import io.smimedelivery.certificate.delivery.DeliveryRecords.AssignedUser;
import io.smimedelivery.certificate.delivery.DeliveryRecords.Device;
import io.smimedelivery.certificate.delivery.DeliveryRecords.LivePackage;
import io.smimedelivery.certificate.delivery.DeliveryRecords.PackageStatus;
import io.smimedelivery.certificate.delivery.DeliveryRecords.StoredPackage;
import io.smimedelivery.certificate.delivery.DeliveryRecords.UserPolicy;
import io.smimedelivery.certificate.selection.CertificateFacts;
import io.smimedelivery.common.jdbc.Sql;
import io.smimedelivery.events.DeviceEnrolled;
import io.smimedelivery.events.DeviceRetired;
import io.smimedelivery.events.EventJson;
import io.smimedelivery.events.PackagedCertificate;
import io.smimedelivery.events.PolicyAssigned;
import io.smimedelivery.events.PolicySettings;
import io.smimedelivery.events.SigningSource;

/**
 * SQL access to the delivery tables: assigned users and their policies, devices, package requests,
 * packages and device token nonces. Every method runs in the caller's transaction.
 */
@ApplicationScoped
public class DeliveryStore {

    private static final TypeReference<List<PackagedCertificate>> CERTIFICATE_LIST = new TypeReference<>() {
    };
    private static final String LIVE_PACKAGE_COLUMNS = "id, device_id, user_id, policy_id, policy_version, status,"
            + " fingerprint, certificates, signing_source, reason_code, detail, created_at, retrieved_at";

    private final Sql sql;

    public DeliveryStore(DataSource dataSource) {
        this.sql = new Sql(dataSource, "Delivery table");
    }

    // --- Users and policies ---------------------------------------------------------------------------

    /** Records the user and the policy version of an assignment; an older version never replaces a newer one. */
    public void assign(PolicyAssigned event) {
        update("""
                INSERT INTO assigned_user (user_id, user_principal_name, email, preferred_language, updated_at)
                VALUES (?, ?, ?, ?, now())
                ON CONFLICT (user_id) DO UPDATE SET user_principal_name = EXCLUDED.user_principal_name,
                    email = EXCLUDED.email, preferred_language = EXCLUDED.preferred_language, updated_at = now()
                """, event.userId(), event.userPrincipalName(), CertificateFacts.normalizeEmail(event.email()),
                event.preferredLanguage());
        update("""
                INSERT INTO user_policy (user_id, policy_id, policy_version, policy_name, settings, assigned_at)
                VALUES (?, ?, ?, ?, ?::jsonb, ?)
                ON CONFLICT (user_id, policy_id) DO UPDATE SET policy_version = EXCLUDED.policy_version,
                    policy_name = EXCLUDED.policy_name, settings = EXCLUDED.settings, assigned_at = EXCLUDED.assigned_at
                WHERE user_policy.policy_version <= EXCLUDED.policy_version
                """, event.userId(), event.policyId(), event.policyVersion(), event.policyName(),
                json(event.settings()), Timestamp.from(event.assignedAt()));
    }

    /** Removes a policy from a user, unless a newer version than {@code policyVersion} was assigned since. */
    public void unassign(String userId, String policyId, int policyVersion) {
        update("DELETE FROM user_policy WHERE user_id = ? AND policy_id = ? AND policy_version <= ?",
                userId, policyId, policyVersion);
    }

    public Optional<AssignedUser> user(String userId) {
        return query("SELECT user_id, user_principal_name, email, preferred_language FROM assigned_user WHERE user_id = ?",
                DeliveryStore::assignedUser, userId).stream().findFirst();
    }

    /** Returns the users whose e-mail address or user principal name is {@code address}, ignoring case. */
    public List<AssignedUser> usersByAddress(String address) {
        String lower = CertificateFacts.normalizeEmail(address);
        return query("""
                SELECT user_id, user_principal_name, email, preferred_language FROM assigned_user
                WHERE email = ? OR lower(user_principal_name) = ?
                """, DeliveryStore::assignedUser, lower, lower);
    }

    public List<UserPolicy> policies(String userId) {
        return query("""
                SELECT user_id, policy_id, policy_version, policy_name, settings::text FROM user_policy
                WHERE user_id = ? ORDER BY policy_id
                """, result -> new UserPolicy(result.getString(1), result.getString(2), result.getInt(3),
                result.getString(4), EventJson.fromBytes(result.getBytes(5), PolicySettings.class)), userId);
    }

    // --- Devices --------------------------------------------------------------------------------------

    /**
     * Records an enrollment. An enrollment older than the device's retirement is ignored.
     *
     * @return the user the device belonged to before, when it belonged to another one
     */
    public Optional<String> enroll(DeviceEnrolled event) {
        Optional<Device> before = device(event.deviceId());
        if (before.isPresent() && before.get().retiredAt() != null && before.get().retiredAt().isAfter(event.enrolledAt())) {
            return Optional.empty();
        }
        update("""
                INSERT INTO device (device_id, user_id, platform, os_version, model, managed, public_key_pem, enrolled_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (device_id) DO UPDATE SET user_id = EXCLUDED.user_id, platform = EXCLUDED.platform,
                    os_version = EXCLUDED.os_version, model = EXCLUDED.model, managed = EXCLUDED.managed,
                    public_key_pem = EXCLUDED.public_key_pem, enrolled_at = EXCLUDED.enrolled_at,
                    retired_at = NULL, retired_reason = NULL
                """, event.deviceId(), event.userId(), event.platform(), event.osVersion(), event.model(),
                event.managed(), event.devicePublicKeyPem(), Timestamp.from(event.enrolledAt()));
        return before.map(Device::userId).filter(previous -> !previous.equals(event.userId()));
    }

    /** Marks a device retired; returns false when the device is unknown. */
    public boolean retire(DeviceRetired event) {
        return update("UPDATE device SET retired_at = ?, retired_reason = ? WHERE device_id = ? AND enrolled_at <= ?",
                Timestamp.from(event.retiredAt()), event.reason(), event.deviceId(), Timestamp.from(event.retiredAt())) > 0;
    }

    public Optional<Device> device(String deviceId) {
        return query("SELECT " + DEVICE_COLUMNS + " FROM device WHERE device_id = ?", DeliveryStore::device, deviceId)
                .stream().findFirst();
    }

    public List<Device> devicesOf(String userId) {
        return query("SELECT " + DEVICE_COLUMNS + " FROM device WHERE user_id = ? ORDER BY device_id",
                DeliveryStore::device, userId);
    }

    private static final String DEVICE_COLUMNS =
            "device_id, user_id, platform, os_version, managed, public_key_pem, enrolled_at, retired_at";

    private static Device device(ResultSet result) throws SQLException {
        return new Device(result.getString(1), result.getString(2), result.getString(3), result.getString(4),
                result.getBoolean(5), result.getString(6), instant(result, 7), instant(result, 8));
    }

    // --- Package requests -----------------------------------------------------------------------------

    /** Asks the package worker to bring the user's packages up to date. */
    public void requestPackages(String userId) {
        update("""
                INSERT INTO package_request (user_id, requested_at) VALUES (?, now())
                ON CONFLICT (user_id) DO UPDATE SET requested_at = LEAST(package_request.requested_at, now()),
                    attempts = 0, last_error = NULL
                """, userId);
    }

    /** Asks for new packages for every assigned user with this e-mail address or user principal name. */
    public int requestPackagesForAddress(String address) {
        List<AssignedUser> users = usersByAddress(address);
        users.forEach(user -> requestPackages(user.userId()));
        return users.size();
    }

    /**
     * Queues every assigned user with a certificate whose validity started or ended within
     * ({@code since}, {@code until}], because their packages may need another current certificate, and
     * every user with a downloaded SCEP challenge that expired unused in that interval, because the
     * device needs a package with a new challenge.
     *
     * @return the number of users queued
     */
    public int requestPackagesForValidityChanges(Instant since, Instant until) {
        return update("""
                INSERT INTO package_request (user_id, requested_at)
                SELECT DISTINCT u.user_id, now() FROM assigned_user u
                JOIN imported_certificate c ON c.owner_address IN (u.email, lower(u.user_principal_name))
                WHERE (c.not_before > ? AND c.not_before <= ?) OR (c.not_after > ? AND c.not_after <= ?)
                UNION
                SELECT DISTINCT s.user_id, now() FROM scep_challenge s
                WHERE s.used_at IS NULL AND s.expires_at > ? AND s.expires_at <= ?
                ON CONFLICT (user_id) DO NOTHING
                """, Timestamp.from(since), Timestamp.from(until), Timestamp.from(since), Timestamp.from(until),
                Timestamp.from(since), Timestamp.from(until));
    }

    /** Locks and returns up to {@code limit} due requests, oldest first, skipping rows other workers hold. */
    public List<String> lockNextRequests(int limit) {
        return query("""
                SELECT user_id FROM package_request WHERE requested_at <= now()
                ORDER BY requested_at LIMIT ? FOR UPDATE SKIP LOCKED
                """, result -> result.getString(1), limit);
    }

    /** Locks the user's request and returns true when it is due and not locked by another worker. */
    public boolean lockRequest(String userId) {
        return !query("""
                SELECT user_id FROM package_request WHERE user_id = ? AND requested_at <= now() FOR UPDATE SKIP LOCKED
                """, result -> result.getString(1), userId).isEmpty();
    }

    public void completeRequests(List<String> userIds) {
        update("DELETE FROM package_request WHERE user_id = ANY (?)", (Object) userIds.toArray(String[]::new));
    }

    /** Records a failed attempt and postpones the request by {@code delay}. */
    public void postponeRequest(String userId, Duration delay, String error) {
        update("""
                UPDATE package_request SET attempts = attempts + 1, last_error = ?,
                    requested_at = now() + make_interval(secs => ?)
                WHERE user_id = ?
                """, error, delay.toMillis() / 1000.0, userId);
    }

    public int attemptsOf(String userId) {
        return query("SELECT attempts FROM package_request WHERE user_id = ?", result -> result.getInt(1), userId)
                .stream().findFirst().orElse(0);
    }

    public int pendingRequests() {
        return query("SELECT count(*) FROM package_request", result -> result.getInt(1)).get(0);
    }

    // --- Packages -------------------------------------------------------------------------------------

    /** Returns the READY and FAILED packages of the user's devices. */
    public List<LivePackage> livePackagesOf(String userId) {
        return query("SELECT " + LIVE_PACKAGE_COLUMNS + " FROM device_package WHERE user_id = ? AND status <> 'REVOKED'",
                DeliveryStore::livePackage, userId);
    }

    /** Returns the READY and FAILED packages of a device. */
    public List<LivePackage> livePackagesOfDevice(String deviceId) {
        return query("SELECT " + LIVE_PACKAGE_COLUMNS
                + " FROM device_package WHERE device_id = ? AND status <> 'REVOKED' ORDER BY policy_id",
                DeliveryStore::livePackage, deviceId);
    }

    /** Returns a package of the device, whatever its status, with its envelope or revocation reason. */
    public Optional<StoredPackage> packageForDownload(String deviceId, UUID packageId) {
        return query("SELECT " + LIVE_PACKAGE_COLUMNS + ", envelope, revoked_reason FROM device_package"
                + " WHERE id = ? AND device_id = ?", result -> new StoredPackage(livePackage(result), result.getBytes(14),
                        result.getString(15)), packageId, deviceId).stream().findFirst();
    }

    public void insertPackage(LivePackage pkg, byte[] envelope) {
        update("""
                INSERT INTO device_package (id, device_id, user_id, policy_id, policy_version, status, fingerprint,
                    envelope, certificates, signing_source, reason_code, detail, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?)
                """, pkg.id(), pkg.deviceId(), pkg.userId(), pkg.policyId(), pkg.policyVersion(), pkg.status().name(),
                pkg.fingerprint(), envelope, json(pkg.certificates()), pkg.signingSource().name(), pkg.reasonCode(),
                pkg.detail(), Timestamp.from(pkg.createdAt()));
    }

    /** Revokes a live package and drops its envelope. */
    public void revokePackage(UUID packageId, String reason, Instant at) {
        update("""
                UPDATE device_package SET status = 'REVOKED', revoked_reason = ?, revoked_at = ?, envelope = NULL
                WHERE id = ? AND status <> 'REVOKED'
                """, reason, Timestamp.from(at), packageId);
    }

    /** Records the first download of a package; returns false when it was downloaded before. */
    public boolean markRetrieved(UUID packageId, Instant at) {
        return update("UPDATE device_package SET retrieved_at = ? WHERE id = ? AND retrieved_at IS NULL",
                Timestamp.from(at), packageId) > 0;
    }

    private static LivePackage livePackage(ResultSet result) throws SQLException {
        List<PackagedCertificate> certificates;
        try {
            certificates = EventJson.mapper().readValue(result.getString(8), CERTIFICATE_LIST);
        } catch (JsonProcessingException e) {
            throw new SQLException("Unreadable certificate list of package " + result.getString(1), e);
        }
        return new LivePackage(result.getObject(1, UUID.class), result.getString(2), result.getString(3),
                result.getString(4), result.getInt(5), PackageStatus.valueOf(result.getString(6)), result.getString(7),
                certificates, SigningSource.valueOf(result.getString(9)), result.getString(10), result.getString(11),
                instant(result, 12), instant(result, 13));
    }

    // --- Device token nonces ----------------------------------------------------------------------------

    /** Records a token nonce; returns false when the device used it before. */
    public boolean firstNonceUse(String deviceId, String nonce, Instant expiresAt) {
        return update("INSERT INTO device_token_nonce (device_id, nonce, expires_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                deviceId, nonce, Timestamp.from(expiresAt)) > 0;
    }

    /** Deletes nonces whose tokens expired before {@code before}. */
    public int pruneNonces(Instant before) {
        return update("DELETE FROM device_token_nonce WHERE expires_at < ?", Timestamp.from(before));
    }

    // --- JDBC helpers ---------------------------------------------------------------------------------

    private static AssignedUser assignedUser(ResultSet result) throws SQLException {
        return new AssignedUser(result.getString(1), result.getString(2), result.getString(3), result.getString(4));
    }

    private static String json(Object value) {
        return new String(EventJson.toBytes(value), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static Instant instant(ResultSet result, int column) throws SQLException {
        return Sql.instant(result, column);
    }

    private int update(String sql, Object... parameters) {
        return this.sql.update(sql, parameters);
    }

    private <T> List<T> query(String sql, Sql.RowMapper<T> mapper, Object... parameters) {
        return this.sql.query(sql, mapper, parameters);
    }
}
