package io.smimedelivery.device.status;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.smimedelivery.common.jdbc.Sql;
import io.smimedelivery.common.outbox.Outbox;
import io.smimedelivery.events.EventJson;
import io.smimedelivery.events.PackageReady;

/**
 * Applies retrieval events to the stored facts of a device and policy, in the caller's transaction, and
 * publishes a RetrievalStatusChanged through the outbox, with a stored transition, whenever the computed
 * state, reason or version changes. The row is locked while it changes, so concurrent events of one
 * device and policy merge one after the other. Merging is order-independent, so the result does not
 * depend on which comes first.
 */
@ApplicationScoped
public class StatusTracker {

    private static final Logger LOG = Logger.getLogger(StatusTracker.class);

    private final Sql sql;
    private final Outbox outbox;

    public StatusTracker(DataSource dataSource, Outbox outbox) {
        this.sql = new Sql(dataSource, "Status table");
        this.outbox = outbox;
    }

    /** Merges {@code event} into the facts of the device and policy, creating the row when needed. */
    public void apply(String deviceId, String policyId, String userId, RetrievalEvent event) {
        RetrievalFacts before = RetrievalFacts.fromJson(lockedFacts(deviceId, policyId, userId));
        RetrievalFacts after = before.apply(event);
        Optional<RetrievalStatus> previous = before.status();
        Optional<RetrievalStatus> current = after.status();
        RetrievalStatus status = current.orElse(null);
        sql.update("""
                UPDATE device_status SET user_id = ?, facts = ?::jsonb, state = ?, reason_code = ?, detail = ?,
                    policy_version = ?, package_id = ?, updated_at = now()
                WHERE device_id = ? AND policy_id = ?
                """, userId, after.toJson(), status == null ? null : status.state().name(),
                status == null ? null : status.reasonCode(), status == null ? null : status.detail(),
                status == null ? null : status.policyVersion(), status == null ? null : status.packageId(), deviceId,
                policyId);
        if (RetrievalStatus.shouldPublish(previous.orElse(null), status)) {
            Instant now = Instant.now();
            var changed = status.toChangedEvent(deviceId, userId, policyId, previous.orElse(null), now);
            sql.update("""
                    INSERT INTO status_transition (device_id, policy_id, user_id, policy_version, from_state, to_state,
                        reason_code, detail, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, deviceId, policyId, userId, status.policyVersion(),
                    changed.from() == null ? null : changed.from().name(), status.state().name(), status.reasonCode(),
                    status.detail(), Timestamp.from(now));
            outbox.add(changed);
            LOG.infof("Device %s, policy %s v%d: %s -> %s%s", deviceId, policyId, status.policyVersion(),
                    changed.from() == null ? "none" : changed.from(), status.state(),
                    status.reasonCode() == null ? "" : " (" + status.reasonCode() + ")");
        }
    }

    /**
     * Returns the stored facts of the device and policy with the row locked, inserting a row with no facts
     * first when there is none. An existing row, the usual case, takes one statement.
     */
    private String lockedFacts(String deviceId, String policyId, String userId) {
        String select = "SELECT facts::text FROM device_status WHERE device_id = ? AND policy_id = ? FOR UPDATE";
        List<String> stored = sql.query(select, result -> result.getString(1), deviceId, policyId);
        if (!stored.isEmpty()) {
            return stored.get(0);
        }
        List<String> inserted = sql.query("""
                INSERT INTO device_status (device_id, policy_id, user_id, facts) VALUES (?, ?, ?, ?::jsonb)
                ON CONFLICT (device_id, policy_id) DO NOTHING RETURNING facts::text
                """, result -> result.getString(1), deviceId, policyId, userId, RetrievalFacts.EMPTY.toJson());
        if (!inserted.isEmpty()) {
            return inserted.get(0);
        }
        // ON CONFLICT waited until the transaction that inserted the row meanwhile committed, so it can be locked.
        return sql.query(select, result -> result.getString(1), deviceId, policyId).get(0);
    }

    /** Records the package for install checks and the landing page. */
    public void recordPackage(PackageReady ready) {
        sql.update("""
                INSERT INTO package_info (package_id, device_id, policy_id, policy_version, certificates, signing_source,
                    ready_at) VALUES (?, ?, ?, ?, ?::jsonb, ?, ?) ON CONFLICT (package_id) DO NOTHING
                """, ready.packageId(), ready.deviceId(), ready.policyId(), ready.policyVersion(),
                new String(EventJson.toBytes(ready.certificates()), StandardCharsets.UTF_8), ready.signingSource().name(),
                Timestamp.from(ready.readyAt()));
    }

    /** Returns the policy ids that have a status row for the device. */
    public List<String> policiesOf(String deviceId) {
        return sql.query("SELECT policy_id FROM device_status WHERE device_id = ?", result -> result.getString(1),
                deviceId);
    }

    /** Returns the device ids with a status row for the policy among the user's devices. */
    public List<String> devicesOf(String userId, String policyId) {
        return sql.query("SELECT device_id FROM device_status WHERE user_id = ? AND policy_id = ?",
                result -> result.getString(1), userId, policyId);
    }

    /** A package a device was given, for its install confirmation. */
    public record PackageRef(String packageId, String deviceId, String policyId, int policyVersion, String userId) {
    }

    public Optional<PackageRef> packageOf(String deviceId, String packageId) {
        return sql.query("""
                SELECT p.package_id, p.device_id, p.policy_id, p.policy_version, s.user_id FROM package_info p
                JOIN device_status s ON s.device_id = p.device_id AND s.policy_id = p.policy_id
                WHERE p.package_id = ? AND p.device_id = ?
                """, result -> new PackageRef(result.getString(1), result.getString(2), result.getString(3),
                result.getInt(4), result.getString(5)), packageId, deviceId).stream().findFirst();
    }

    /** The stored status of a device and policy. */
    public record StoredStatus(String deviceId, String policyId, String state, String reasonCode, String detail,
            Integer policyVersion, String packageId) {
    }

    public Optional<StoredStatus> status(String deviceId, String policyId) {
        return sql.query("SELECT device_id, policy_id, state, reason_code, detail, policy_version, package_id"
                + " FROM device_status WHERE device_id = ? AND policy_id = ?",
                result -> new StoredStatus(result.getString(1), result.getString(2), result.getString(3),
                        result.getString(4), result.getString(5), (Integer) result.getObject(6), result.getString(7)),
                deviceId, policyId).stream().findFirst();
    }

    /** Returns the stored status of every policy of a device, by policy id. */
    public List<StoredStatus> statusesOf(String deviceId) {
        return sql.query("SELECT device_id, policy_id, state, reason_code, detail, policy_version, package_id"
                + " FROM device_status WHERE device_id = ? ORDER BY policy_id",
                result -> new StoredStatus(result.getString(1), result.getString(2), result.getString(3),
                        result.getString(4), result.getString(5), (Integer) result.getObject(6), result.getString(7)),
                deviceId);
    }

    /** One stored transition of a device and policy. */
    public record Transition(String policyId, int policyVersion, String fromState, String toState, String reasonCode,
            String detail, Instant changedAt) {
    }

    /** Returns the transitions of a device, oldest first, at most {@code limit}. */
    public List<Transition> transitionsOf(String deviceId, int limit) {
        return sql.query("SELECT policy_id, policy_version, from_state, to_state, reason_code, detail, changed_at"
                + " FROM status_transition WHERE device_id = ? ORDER BY id LIMIT ?",
                result -> new Transition(result.getString(1), result.getInt(2), result.getString(3), result.getString(4),
                        result.getString(5), result.getString(6), Sql.instant(result, 7)), deviceId, limit);
    }

    /** Returns whether a device with this platform and management state receives packages. */
    public static boolean receivesPackages(String platform, boolean managed) {
        String name = platform.toLowerCase(Locale.ROOT);
        return managed && (name.equals("ios") || name.equals("ipados"));
    }
}
