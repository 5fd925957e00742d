package io.smimedelivery.notification.planning;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import io.smimedelivery.common.jdbc.Sql;
import io.smimedelivery.events.EventJson;
import io.smimedelivery.events.SealedValue;

/** SQL access to notification-service's tables. Every method runs in the caller's transaction. */
@ApplicationScoped
public class NotificationStore {

    /** A user with contact data. */
    public record Recipient(String userId, String userPrincipalName, String email, String preferredLanguage) {
    }

    /** A policy version that applies to a user, with its end-user notification setting. */
    public record RecipientPolicy(String userId, String policyId, int policyVersion, String policyName,
            String endUserNotification) {
    }

    /** A device, retired or not; the push token stays sealed. */
    public record Device(String deviceId, String userId, String platform, String model, String publicKeyPem,
            SealedValue pushToken, boolean pushTokenValid, Instant retiredAt) {
    }

    /** The latest package outcome of a device for a policy. */
    public record DevicePackage(String deviceId, String policyId, String userId, int policyVersion, String packageId,
            String outcome, String reasonCode, String certificateKey) {
    }

    /** A notification with its recipient and policy. */
    public record RenewalDue(String deviceId, String thumbprintSha256, String userId, String policyId, String purpose) {
    }

    public record Notification(UUID id, String userId, String policyId, int policyVersion, String kind, String channel,
            String language, Instant createdAt, String certificateKey) {
    }

    /** A delivery with its state. */
    public record Delivery(UUID id, UUID notificationId, String channel, String deviceId, String status, int attempts,
            Instant nextAttemptAt, String deviceIds, String reasonCode, String lastDetail, Instant createdAt,
            Instant finishedAt) {

        /** Returns this delivery naming other devices. */
        public Delivery withDeviceIds(String replacement) {
            return new Delivery(id, notificationId, channel, deviceId, status, attempts, nextAttemptAt, replacement,
                    reasonCode, lastDetail, createdAt, finishedAt);
        }
    }

    /** One attempt of a delivery. */
    public record Attempt(UUID deliveryId, int attempt, Instant startedAt, Instant finishedAt, String outcome,
            String detail) {
    }

    /** An entry of a user's Company Portal notification list. */
    public record FeedEntry(UUID id, String userId, UUID notificationId, String title, String body, String link,
            Instant createdAt, Instant readAt) {
    }

    private static final String DEVICE_COLUMNS =
            "device_id, user_id, platform, model, public_key_pem, push_token_sealed::text, push_token_valid, retired_at";
    private static final String NOTIFICATION_COLUMNS =
            "id, user_id, policy_id, policy_version, kind, channel, language, created_at, certificate_key";
    private static final String DELIVERY_COLUMNS = "id, notification_id, channel, device_id, status, attempts,"
            + " next_attempt_at, device_ids, reason_code, last_detail, created_at, finished_at";
    private static final String FEED_COLUMNS = "id, user_id, notification_id, title, body, link, created_at, read_at";

    /** Advisory lock space of the per-user locks. */
    private static final int USER_LOCK_SPACE = 7301;

    private final Sql sql;

    public NotificationStore(DataSource dataSource) {
        this.sql = new Sql(dataSource, "Notification table");
    }

    // --- Projections ----------------------------------------------------------------------------------

    /**
     * Takes a lock on the user until the transaction ends. Events of one user arrive on different topics
     * and are applied concurrently. Without the lock, each transaction could miss what the others have not
     * committed yet, so no planning run would read the whole picture.
     */
    public void lockUser(String userId) {
        sql.lockUntilTransactionEnds(USER_LOCK_SPACE, userId);
    }

    /** Takes the per-user locks of {@link #lockUser} on all of {@code userIds}, in one fixed order. */
    public void lockUsers(Collection<String> userIds) {
        sql.lockAllUntilTransactionEnds(USER_LOCK_SPACE, userIds);
    }

    public void upsertRecipient(String userId, String upn, String email, String preferredLanguage) {
        update("""
                INSERT INTO recipient (user_id, user_principal_name, email, preferred_language) VALUES (?, ?, ?, ?)
                ON CONFLICT (user_id) DO UPDATE SET user_principal_name = EXCLUDED.user_principal_name,
                    email = EXCLUDED.email, preferred_language = EXCLUDED.preferred_language, updated_at = now()
                """, userId, upn, email, preferredLanguage);
    }

    /** Records a policy version for a user; an older version never replaces a newer one. */
    public void upsertPolicy(String userId, String policyId, int version, String name, String endUserNotification) {
        update("""
                INSERT INTO recipient_policy (user_id, policy_id, policy_version, policy_name, end_user_notification)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (user_id, policy_id) DO UPDATE SET policy_version = EXCLUDED.policy_version,
                    policy_name = EXCLUDED.policy_name, end_user_notification = EXCLUDED.end_user_notification
                WHERE recipient_policy.policy_version <= EXCLUDED.policy_version
                """, userId, policyId, version, name, endUserNotification);
    }

    public void removePolicy(String userId, String policyId, int version) {
        update("DELETE FROM recipient_policy WHERE user_id = ? AND policy_id = ? AND policy_version <= ?",
                userId, policyId, version);
    }

    public Optional<Recipient> recipient(String userId) {
        return query("SELECT user_id, user_principal_name, email, preferred_language FROM recipient WHERE user_id = ?",
                r -> new Recipient(r.getString(1), r.getString(2), r.getString(3), r.getString(4)), userId)
                .stream().findFirst();
    }

    public List<RecipientPolicy> policies(String userId) {
        return query("""
                SELECT user_id, policy_id, policy_version, policy_name, end_user_notification FROM recipient_policy
                WHERE user_id = ? ORDER BY policy_id
                """, r -> new RecipientPolicy(r.getString(1), r.getString(2), r.getInt(3), r.getString(4), r.getString(5)),
                userId);
    }

    /** Records an enrollment unless the device was retired after it; returns the device's previous user. */
    public Optional<String> enroll(String deviceId, String userId, String platform, String model, String publicKeyPem,
            SealedValue pushToken, Instant enrolledAt) {
        Optional<Device> before = device(deviceId);
        if (before.isPresent() && before.get().retiredAt() != null && before.get().retiredAt().isAfter(enrolledAt)) {
            return Optional.empty();
        }
        update("""
                INSERT INTO device (device_id, user_id, platform, model, public_key_pem, push_token_sealed, enrolled_at)
                VALUES (?, ?, ?, ?, ?, ?::jsonb, ?)
                ON CONFLICT (device_id) DO UPDATE SET user_id = EXCLUDED.user_id, platform = EXCLUDED.platform,
                    model = EXCLUDED.model, public_key_pem = EXCLUDED.public_key_pem,
                    push_token_sealed = EXCLUDED.push_token_sealed, push_token_valid = true,
                    enrolled_at = EXCLUDED.enrolled_at, retired_at = NULL
                """, deviceId, userId, platform, model, publicKeyPem,
                pushToken == null ? null : new String(EventJson.toBytes(pushToken), java.nio.charset.StandardCharsets.UTF_8),
                Timestamp.from(enrolledAt));
        return before.map(Device::userId).filter(previous -> !previous.equals(userId));
    }

    public void retire(String deviceId, Instant retiredAt) {
        update("UPDATE device SET retired_at = ? WHERE device_id = ? AND enrolled_at <= ?", Timestamp.from(retiredAt),
                deviceId, Timestamp.from(retiredAt));
    }

    public void invalidatePushToken(String deviceId) {
        update("UPDATE device SET push_token_valid = false WHERE device_id = ?", deviceId);
    }

    public Optional<Device> device(String deviceId) {
        return query("SELECT " + DEVICE_COLUMNS + " FROM device WHERE device_id = ?", NotificationStore::device, deviceId)
                .stream().findFirst();
    }

    /** Records the latest package outcome of a device for a policy; an older version never replaces a newer one. */
    public void recordPackage(DevicePackage pkg, Instant occurredAt) {
        update("""
                INSERT INTO device_package (device_id, policy_id, user_id, policy_version, package_id, outcome,
                    reason_code, certificate_key, occurred_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (device_id, policy_id) DO UPDATE SET user_id = EXCLUDED.user_id,
                    policy_version = EXCLUDED.policy_version, package_id = EXCLUDED.package_id,
                    outcome = EXCLUDED.outcome, reason_code = EXCLUDED.reason_code,
                    certificate_key = EXCLUDED.certificate_key, occurred_at = EXCLUDED.occurred_at
                WHERE device_package.policy_version < EXCLUDED.policy_version
                   OR (device_package.policy_version = EXCLUDED.policy_version
                       AND device_package.occurred_at <= EXCLUDED.occurred_at)
                """, pkg.deviceId(), pkg.policyId(), pkg.userId(), pkg.policyVersion(), pkg.packageId(), pkg.outcome(),
                pkg.reasonCode(), pkg.certificateKey(), Timestamp.from(occurredAt));
    }

    /** Returns the package outcomes of the user's enrolled devices for one policy version. */
    public List<DevicePackage> packagesOf(String userId, String policyId, int policyVersion) {
        return query("""
                SELECT p.device_id, p.policy_id, p.user_id, p.policy_version, p.package_id, p.outcome, p.reason_code,
                    p.certificate_key
                FROM device_package p JOIN device d ON d.device_id = p.device_id
                WHERE p.user_id = ? AND p.policy_id = ? AND p.policy_version = ? AND d.retired_at IS NULL
                  AND d.user_id = p.user_id
                ORDER BY p.device_id
                """, r -> new DevicePackage(r.getString(1), r.getString(2), r.getString(3), r.getInt(4), r.getString(5),
                r.getString(6), r.getString(7), r.getString(8)), userId, policyId, policyVersion);
    }

    /** Records that a device's derived credential is due for renewal; a repeated notice changes nothing. */
    public void recordRenewalDue(RenewalDue due, Instant notAfter, Instant recordedAt) {
        update("""
                INSERT INTO renewal_due (device_id, thumbprint_sha256, user_id, policy_id, purpose, not_after, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (device_id, thumbprint_sha256) DO NOTHING
                """, due.deviceId(), due.thumbprintSha256(), due.userId(), due.policyId(), due.purpose(),
                Timestamp.from(notAfter), Timestamp.from(recordedAt));
    }

    /** Returns the renewal notices of the user's enrolled devices for one policy. */
    public List<RenewalDue> renewalsDue(String userId, String policyId) {
        return query("""
                SELECT r.device_id, r.thumbprint_sha256, r.user_id, r.policy_id, r.purpose
                FROM renewal_due r JOIN device d ON d.device_id = r.device_id
                WHERE r.user_id = ? AND r.policy_id = ? AND d.retired_at IS NULL AND d.user_id = r.user_id
                ORDER BY r.recorded_at, r.device_id, r.thumbprint_sha256
                """, r -> new RenewalDue(r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5)),
                userId, policyId);
    }

    // --- Notifications and deliveries -----------------------------------------------------------------

    /** Creates the notification unless it exists; returns it and whether it was created now. */
    public Created<Notification> createNotification(String userId, String policyId, int version, String kind,
            String channel, String language, String certificateKey) {
        UUID id = UUID.randomUUID();
        int inserted = update("""
                INSERT INTO notification (id, user_id, policy_id, policy_version, kind, channel, language, certificate_key)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                """, id, userId, policyId, version, kind, channel, language, certificateKey);
        Notification notification = query("SELECT " + NOTIFICATION_COLUMNS + """
                 FROM notification WHERE user_id = ? AND policy_id = ? AND policy_version = ? AND kind = ? AND channel = ?
                   AND certificate_key = ?
                """, NotificationStore::notification, userId, policyId, version, kind, channel, certificateKey).get(0);
        return new Created<>(notification, inserted == 1);
    }

    /** A row and whether this call created it. */
    public record Created<T>(T row, boolean created) {
    }

    /** Creates a delivery unless the notification has one for this channel and device; returns whether it did. */
    public boolean createDelivery(UUID notificationId, String channel, String deviceId, String status, Instant due,
            String deviceIds) {
        return update("""
                INSERT INTO delivery (id, notification_id, channel, device_id, status, next_attempt_at, device_ids,
                    finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                """, UUID.randomUUID(), notificationId, channel, deviceId, status, Timestamp.from(due), deviceIds,
                status.equals("SENT") ? Timestamp.from(due) : null) == 1;
    }

    public Optional<Notification> notification(UUID id) {
        return query("SELECT " + NOTIFICATION_COLUMNS + " FROM notification WHERE id = ?", NotificationStore::notification, id)
                .stream().findFirst();
    }

    public List<Notification> notifications(String userId, String policyId) {
        StringBuilder sql = new StringBuilder("SELECT " + NOTIFICATION_COLUMNS + " FROM notification WHERE true");
        List<Object> parameters = new ArrayList<>();
        if (userId != null) {
            sql.append(" AND user_id = ?");
            parameters.add(userId);
        }
        if (policyId != null) {
            sql.append(" AND policy_id = ?");
            parameters.add(policyId);
        }
        sql.append(" ORDER BY created_at DESC, id LIMIT 1000");
        return query(sql.toString(), NotificationStore::notification, parameters.toArray());
    }

    public List<Delivery> deliveriesOf(UUID notificationId) {
        return query("SELECT " + DELIVERY_COLUMNS + " FROM delivery WHERE notification_id = ? ORDER BY channel, device_id",
                NotificationStore::delivery, notificationId);
    }

    /** Replaces the devices a delivery names, as comma-separated device ids. */
    public void setDeliveryDevices(UUID deliveryId, String deviceIds) {
        update("UPDATE delivery SET device_ids = ? WHERE id = ?", deviceIds, deliveryId);
    }

    public Optional<Delivery> delivery(UUID id) {
        return query("SELECT " + DELIVERY_COLUMNS + " FROM delivery WHERE id = ?", NotificationStore::delivery, id)
                .stream().findFirst();
    }

    public List<Attempt> attemptsOf(UUID deliveryId) {
        return query("""
                SELECT delivery_id, attempt, started_at, finished_at, outcome, detail FROM delivery_attempt
                WHERE delivery_id = ? ORDER BY attempt
                """, r -> new Attempt(r.getObject(1, UUID.class), r.getInt(2), instant(r, 3), instant(r, 4), r.getString(5),
                r.getString(6)), deliveryId);
    }

    /**
     * Claims up to {@code limit} due deliveries of a channel: marks them SENDING with a lease, skipping
     * rows that other workers hold.
     */
    public List<Delivery> claimDue(List<String> channels, int limit, Instant leaseUntil) {
        return query("""
                UPDATE delivery SET status = 'SENDING', lease_until = ?, attempts = attempts + 1, send_started_at = NULL
                WHERE id IN (SELECT id FROM delivery WHERE status = 'PENDING' AND next_attempt_at <= now()
                             AND channel = ANY (?) ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED)
                RETURNING
                """ + DELIVERY_COLUMNS, NotificationStore::delivery, Timestamp.from(leaseUntil),
                channels.toArray(new String[0]), limit);
    }

    /** Returns the users of up to {@code limit} deliveries left SENDING past their lease, without locking them. */
    public List<String> usersWithExpiredLeases(int limit) {
        return query("""
                SELECT DISTINCT n.user_id FROM notification n WHERE n.id IN (SELECT notification_id FROM delivery
                    WHERE status = 'SENDING' AND lease_until < now() LIMIT ?)
                """, r -> r.getString(1), limit);
    }

    /**
     * Returns the deliveries of {@code userIds} left SENDING past their lease, locked for the caller. The
     * caller holds the users' locks first, as every other writer of deliveries does.
     */
    public List<Delivery> expiredLeases(Collection<String> userIds) {
        return query("SELECT " + DELIVERY_COLUMNS + """
                 FROM delivery WHERE status = 'SENDING' AND lease_until < now()
                    AND notification_id IN (SELECT id FROM notification WHERE user_id = ANY (?))
                FOR UPDATE SKIP LOCKED
                """, NotificationStore::delivery, (Object) userIds.toArray(new String[0]));
    }

    /**
     * Moves the leases of those {@code deliveries} that are still SENDING on their attempt to
     * {@code leaseUntil}, records that the send of {@code starting} starts now, and returns the ids of
     * the deliveries moved. A delivery missing from the result is no longer SENDING on that attempt,
     * because recovery took it over after its lease ran out.
     */
    public Set<UUID> renewLeases(UUID starting, List<Delivery> deliveries, Instant leaseUntil) {
        return new HashSet<>(query("""
                UPDATE delivery d SET lease_until = ?,
                    send_started_at = CASE WHEN d.id = ? THEN now() ELSE d.send_started_at END
                FROM unnest(?, ?) AS claimed (id, attempts)
                WHERE d.id = claimed.id AND d.attempts = claimed.attempts AND d.status = 'SENDING'
                RETURNING d.id
                """, r -> r.getObject(1, UUID.class), Timestamp.from(leaseUntil), starting,
                deliveries.stream().map(Delivery::id).toArray(UUID[]::new),
                deliveries.stream().map(Delivery::attempts).toArray(Integer[]::new)));
    }

    /**
     * Makes the deliveries of {@code userIds} whose lease ran out before their send started due again
     * (PENDING, due at once) and records their attempt as INTERRUPTED. The attempt count stays, so a
     * worker with the old claim cannot renew it. The caller must have locked the users.
     *
     * @return the deliveries returned to PENDING, as they were when claimed
     */
    public List<Delivery> releaseUnstarted(Collection<String> userIds) {
        List<Delivery> released = query("""
                UPDATE delivery SET status = 'PENDING', lease_until = NULL, next_attempt_at = now()
                WHERE status = 'SENDING' AND lease_until < now() AND send_started_at IS NULL
                    AND notification_id IN (SELECT id FROM notification WHERE user_id = ANY (?))
                RETURNING
                """ + DELIVERY_COLUMNS, NotificationStore::delivery, (Object) userIds.toArray(new String[0]));
        for (Delivery delivery : released) {
            update("""
                    INSERT INTO delivery_attempt (delivery_id, attempt, started_at, finished_at, outcome, detail)
                    VALUES (?, ?, now(), now(), 'INTERRUPTED', ?) ON CONFLICT DO NOTHING
                    """, delivery.id(), delivery.attempts(),
                    "The claiming worker stopped before this send started; the delivery is due again");
        }
        return released;
    }

    /**
     * Locks a delivery that is still SENDING on its {@code attempts}-th attempt, and returns false when it
     * is no longer, because its lease ran out and recovery recorded it.
     */
    public boolean lockClaimed(UUID deliveryId, int attempts) {
        return !query("SELECT 1 FROM delivery WHERE id = ? AND status = 'SENDING' AND attempts = ? FOR UPDATE",
                r -> r.getInt(1), deliveryId, attempts).isEmpty();
    }

    /** Records an attempt and the delivery's new state. */
    public void finishAttempt(Delivery delivery, Instant startedAt, String outcome, String detail, String status,
            Instant nextAttemptAt, String reasonCode, String deviceIds) {
        update("""
                INSERT INTO delivery_attempt (delivery_id, attempt, started_at, finished_at, outcome, detail)
                VALUES (?, ?, ?, now(), ?, ?) ON CONFLICT DO NOTHING
                """, delivery.id(), delivery.attempts(), Timestamp.from(startedAt), outcome, detail);
        boolean done = !status.equals("PENDING");
        update("""
                UPDATE delivery SET status = ?, next_attempt_at = ?, lease_until = NULL, last_detail = ?,
                    reason_code = ?, device_ids = COALESCE(?, device_ids), finished_at = ?
                WHERE id = ?
                """, status, Timestamp.from(nextAttemptAt), detail, reasonCode, deviceIds,
                done ? Timestamp.from(Instant.now()) : null, delivery.id());
    }

    public int countByStatus(String channel, String status) {
        return query("SELECT count(*) FROM delivery WHERE channel = ? AND status = ?", r -> r.getInt(1), channel, status)
                .get(0);
    }

    // --- Company Portal notification list ------------------------------------------------------------------

    public boolean createFeedEntry(UUID notificationId, String userId, String title, String body, String link) {
        return update("""
                INSERT INTO feed_entry (id, user_id, notification_id, title, body, link) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (notification_id) DO NOTHING
                """, UUID.randomUUID(), userId, notificationId, title, body, link) == 1;
    }

    public List<FeedEntry> feedOf(String userId) {
        return query("SELECT " + FEED_COLUMNS + " FROM feed_entry WHERE user_id = ? ORDER BY created_at DESC, id LIMIT 200",
                NotificationStore::feedEntry, userId);
    }

    /** Marks an entry of the user's list read; returns false when the user has no such entry. */
    public boolean markRead(String userId, UUID entryId) {
        return update("UPDATE feed_entry SET read_at = COALESCE(read_at, now()) WHERE id = ? AND user_id = ?",
                entryId, userId) == 1;
    }

    // --- Device token nonces ----------------------------------------------------------------------------

    public boolean firstNonceUse(String deviceId, String nonce, Instant expiresAt) {
        return update("INSERT INTO device_token_nonce (device_id, nonce, expires_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                deviceId, nonce, Timestamp.from(expiresAt)) > 0;
    }

    public int pruneNonces(Instant before) {
        return update("DELETE FROM device_token_nonce WHERE expires_at < ?", Timestamp.from(before));
    }

    // --- Row mappers and JDBC helpers -------------------------------------------------------------------------

    private static Device device(ResultSet r) throws SQLException {
        String sealed = r.getString(6);
        return new Device(r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5),
                sealed == null ? null : EventJson.fromBytes(sealed.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        SealedValue.class), r.getBoolean(7), instant(r, 8));
    }

    private static Notification notification(ResultSet r) throws SQLException {
        return new Notification(r.getObject(1, UUID.class), r.getString(2), r.getString(3), r.getInt(4), r.getString(5),
                r.getString(6), r.getString(7), instant(r, 8), r.getString(9));
    }

    private static Delivery delivery(ResultSet r) throws SQLException {
        return new Delivery(r.getObject(1, UUID.class), r.getObject(2, UUID.class), r.getString(3), r.getString(4),
                r.getString(5), r.getInt(6), instant(r, 7), r.getString(8), r.getString(9), r.getString(10), instant(r, 11),
                instant(r, 12));
    }

    private static FeedEntry feedEntry(ResultSet r) throws SQLException {
        return new FeedEntry(r.getObject(1, UUID.class), r.getString(2), r.getObject(3, UUID.class), r.getString(4),
                r.getString(5), r.getString(6), instant(r, 7), instant(r, 8));
    }

    private static Instant instant(ResultSet result, int column) throws SQLException {
        return Sql.instant(result, column);
    }

    private int update(String statement, Object... parameters) {
        return sql.update(statement, parameters);
    }

    private <T> List<T> query(String statement, Sql.RowMapper<T> mapper, Object... parameters) {
        return sql.query(statement, mapper, parameters);
    }
}
