package io.smimedelivery.device.status;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

import org.jboss.logging.Logger;

import io.smimedelivery.common.jdbc.Sql;
import io.smimedelivery.common.outbox.Outbox;
import io.smimedelivery.events.EventJson;
import io.smimedelivery.events.PackageReady;

/**
 * Applies retrieval events to the stored facts of a device and policy, in the caller's transaction, and
 * publishes a RetrievalStatusChanged through the outbox, with a stored transition, whenever the computed
 * state, reason or version changes. Merging is order-independent, so the result does not depend on which
 * event comes first.
 *
 * <p>{@link #apply} only queues the event in the current transaction. The queue is written before the
 * next read of this class in that transaction and before the transaction commits. Writing takes five
 * statements however many events are queued: one locks the rows of all queued devices and policies, one
 * inserts the missing rows, one updates them, one inserts the transitions and one the outbox events. The rows stay locked until the
 * transaction ends, so concurrent events of one device and policy merge one after the other.
 */
@ApplicationScoped
public class StatusTracker {

    private static final Logger LOG = Logger.getLogger(StatusTracker.class);
    /** Order of (device id, policy id) keys in which missing rows are inserted. */
    private static final Comparator<List<String>> KEY_ORDER =
            Comparator.<List<String>, String>comparing(key -> key.get(0)).thenComparing(key -> key.get(1));

    private final Sql sql;
    private final Outbox outbox;
    private final TransactionSynchronizationRegistry transactions;
    /** Key of the current transaction's queue in the synchronization registry, unique to this instance. */
    private final Object queueKey = new Object();

    public StatusTracker(DataSource dataSource, Outbox outbox, TransactionSynchronizationRegistry transactions) {
        this.sql = new Sql(dataSource, "Status table");
        this.outbox = outbox;
        this.transactions = transactions;
    }

    /** A retrieval event for one device and policy, queued until its transaction writes it. */
    private record Change(String deviceId, String policyId, String userId, RetrievalEvent event) {
    }

    /** A locked status row while the queue is written. */
    private static final class LockedRow {
        final String deviceId;
        final String policyId;
        String userId;
        RetrievalFacts facts;

        LockedRow(String deviceId, String policyId, String userId, RetrievalFacts facts) {
            this.deviceId = deviceId;
            this.policyId = policyId;
            this.userId = userId;
            this.facts = facts;
        }
    }

    /**
     * Merges {@code event} into the facts of the device and policy, creating the row when needed. The change
     * is written before the transaction commits or this class next reads.
     *
     * @throws IllegalStateException when called outside a transaction
     */
    public void apply(String deviceId, String policyId, String userId, RetrievalEvent event) {
        queue(true).add(new Change(deviceId, policyId, userId, event));
    }

    @SuppressWarnings("unchecked")
    private List<Change> queue(boolean create) {
        if (transactions.getTransactionKey() == null) {
            if (create) {
                throw new IllegalStateException("Status changes need a transaction");
            }
            return null;
        }
        List<Change> queue = (List<Change>) transactions.getResource(queueKey);
        if (queue == null && create) {
            List<Change> created = new ArrayList<>();
            transactions.putResource(queueKey, created);
            transactions.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                    write(created);
                }

                @Override
                public void afterCompletion(int status) {
                }
            });
            queue = created;
        }
        return queue;
    }

    /** Writes the changes queued in the current transaction, if any. */
    private void flush() {
        List<Change> queue = queue(false);
        if (queue != null) {
            write(queue);
        }
    }

    private void write(List<Change> queue) {
        if (queue.isEmpty()) {
            return;
        }
        List<Change> changes = List.copyOf(queue);
        queue.clear();
        Map<List<String>, LockedRow> rows = lockRows(changes);
        List<Object> published = new ArrayList<>();
        List<Object[]> transitions = new ArrayList<>();
        for (Change change : changes) {
            LockedRow row = rows.get(List.of(change.deviceId(), change.policyId()));
            Optional<RetrievalStatus> previous = row.facts.status();
            row.facts = row.facts.apply(change.event());
            row.userId = change.userId();
            RetrievalStatus status = row.facts.status().orElse(null);
            if (RetrievalStatus.shouldPublish(previous.orElse(null), status)) {
                Instant now = Instant.now();
                var changed = status.toChangedEvent(change.deviceId(), change.userId(), change.policyId(),
                        previous.orElse(null), now);
                transitions.add(new Object[] {change.deviceId(), change.policyId(), change.userId(),
                        status.policyVersion(), changed.from() == null ? null : changed.from().name(),
                        status.state().name(), status.reasonCode(), status.detail(), now.toString()});
                published.add(changed);
                LOG.infof("Device %s, policy %s v%d: %s -> %s%s", change.deviceId(), change.policyId(),
                        status.policyVersion(), changed.from() == null ? "none" : changed.from(), status.state(),
                        status.reasonCode() == null ? "" : " (" + status.reasonCode() + ")");
            }
        }
        updateRows(rows.values());
        insertTransitions(transitions);
        outbox.addAll(published);
    }

    /**
     * Locks the status rows of every device and policy the changes name, in key order, inserting rows with no
     * facts for those that have none. Returns them by (device id, policy id).
     */
    private Map<List<String>, LockedRow> lockRows(List<Change> changes) {
        Map<List<String>, String> users = new TreeMap<>(KEY_ORDER);
        for (Change change : changes) {
            users.putIfAbsent(List.of(change.deviceId(), change.policyId()), change.userId());
        }
        Map<List<String>, LockedRow> rows = new HashMap<>();
        selectForUpdate(users.keySet(), rows);
        List<List<String>> missing = users.keySet().stream().filter(key -> !rows.containsKey(key)).toList();
        if (!missing.isEmpty()) {
            sql.query("""
                    INSERT INTO device_status (device_id, policy_id, user_id, facts)
                    SELECT device_id, policy_id, user_id, ?::jsonb FROM unnest(?::text[], ?::text[], ?::text[])
                        WITH ORDINALITY AS row(device_id, policy_id, user_id, position) ORDER BY position
                    ON CONFLICT (device_id, policy_id) DO NOTHING RETURNING device_id, policy_id, user_id, facts::text
                    """, result -> rows.put(List.of(result.getString(1), result.getString(2)), new LockedRow(
                    result.getString(1), result.getString(2), result.getString(3),
                    RetrievalFacts.fromJson(result.getString(4)))), RetrievalFacts.EMPTY.toJson(),
                    missing.stream().map(key -> key.get(0)).toArray(String[]::new),
                    missing.stream().map(key -> key.get(1)).toArray(String[]::new),
                    missing.stream().map(users::get).toArray(String[]::new));
            // ON CONFLICT waited until the transaction that inserted such a row meanwhile committed, so it can be locked.
            List<List<String>> conflicting = missing.stream().filter(key -> !rows.containsKey(key)).toList();
            if (!conflicting.isEmpty()) {
                selectForUpdate(conflicting, rows);
            }
        }
        return rows;
    }

    private void selectForUpdate(Collection<List<String>> keys, Map<List<String>, LockedRow> rows) {
        sql.query("""
                SELECT device_id, policy_id, user_id, facts::text FROM device_status
                WHERE (device_id, policy_id) IN (SELECT * FROM unnest(?::text[], ?::text[]))
                ORDER BY device_id, policy_id FOR UPDATE
                """, result -> rows.put(List.of(result.getString(1), result.getString(2)), new LockedRow(
                result.getString(1), result.getString(2), result.getString(3),
                RetrievalFacts.fromJson(result.getString(4)))),
                keys.stream().map(key -> key.get(0)).toArray(String[]::new),
                keys.stream().map(key -> key.get(1)).toArray(String[]::new));
    }

    private void updateRows(Collection<LockedRow> rows) {
        int count = rows.size();
        String[][] columns = new String[8][count];
        Integer[] versions = new Integer[count];
        int i = 0;
        for (LockedRow row : rows) {
            RetrievalStatus status = row.facts.status().orElse(null);
            columns[0][i] = row.deviceId;
            columns[1][i] = row.policyId;
            columns[2][i] = row.userId;
            columns[3][i] = row.facts.toJson();
            columns[4][i] = status == null ? null : status.state().name();
            columns[5][i] = status == null ? null : status.reasonCode();
            columns[6][i] = status == null ? null : status.detail();
            columns[7][i] = status == null ? null : status.packageId();
            versions[i] = status == null ? null : status.policyVersion();
            i++;
        }
        sql.update("""
                UPDATE device_status AS s SET user_id = c.user_id, facts = c.facts::jsonb, state = c.state,
                    reason_code = c.reason_code, detail = c.detail, policy_version = c.policy_version,
                    package_id = c.package_id, updated_at = now()
                FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                    ?::integer[]) AS c(device_id, policy_id, user_id, facts, state, reason_code, detail, package_id,
                    policy_version)
                WHERE s.device_id = c.device_id AND s.policy_id = c.policy_id
                """, columns[0], columns[1], columns[2], columns[3], columns[4], columns[5], columns[6], columns[7],
                versions);
    }

    private void insertTransitions(List<Object[]> transitions) {
        if (transitions.isEmpty()) {
            return;
        }
        int count = transitions.size();
        String[][] columns = new String[8][count];
        Integer[] versions = new Integer[count];
        for (int i = 0; i < count; i++) {
            Object[] transition = transitions.get(i);
            columns[0][i] = (String) transition[0];
            columns[1][i] = (String) transition[1];
            columns[2][i] = (String) transition[2];
            versions[i] = (Integer) transition[3];
            for (int column = 3; column < 8; column++) {
                columns[column][i] = (String) transition[column + 1];
            }
        }
        sql.update("""
                INSERT INTO status_transition (device_id, policy_id, user_id, policy_version, from_state, to_state,
                    reason_code, detail, changed_at)
                SELECT device_id, policy_id, user_id, policy_version, from_state, to_state, reason_code, detail,
                    changed_at::timestamptz
                FROM unnest(?::text[], ?::text[], ?::text[], ?::integer[], ?::text[], ?::text[], ?::text[], ?::text[],
                    ?::text[]) WITH ORDINALITY AS t(device_id, policy_id, user_id, policy_version, from_state, to_state,
                    reason_code, detail, changed_at, position)
                ORDER BY position
                """, columns[0], columns[1], columns[2], versions, columns[3], columns[4], columns[5], columns[6],
                columns[7]);
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
        flush();
        return sql.query("SELECT policy_id FROM device_status WHERE device_id = ?", result -> result.getString(1),
                deviceId);
    }

    /** Returns the device ids with a status row for the policy among the user's devices. */
    public List<String> devicesOf(String userId, String policyId) {
        flush();
        return sql.query("SELECT device_id FROM device_status WHERE user_id = ? AND policy_id = ?",
                result -> result.getString(1), userId, policyId);
    }

    /** A package a device was given, for its install confirmation. */
    public record PackageRef(String packageId, String deviceId, String policyId, int policyVersion, String userId) {
    }

    public Optional<PackageRef> packageOf(String deviceId, String packageId) {
        flush();
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
        flush();
        return sql.query("SELECT device_id, policy_id, state, reason_code, detail, policy_version, package_id"
                + " FROM device_status WHERE device_id = ? AND policy_id = ?",
                result -> new StoredStatus(result.getString(1), result.getString(2), result.getString(3),
                        result.getString(4), result.getString(5), (Integer) result.getObject(6), result.getString(7)),
                deviceId, policyId).stream().findFirst();
    }

    /** Returns the stored status of every policy of a device, by policy id. */
    public List<StoredStatus> statusesOf(String deviceId) {
        flush();
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
        flush();
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
