package io.smimedelivery.device.status;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
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
 * inserts the missing rows, one updates them, one inserts the transitions and one the outbox events.
 * The rows stay locked until the transaction ends, so concurrent events of one device and policy merge
 * one after the other.
 */
@ApplicationScoped
public class StatusTracker {

    private static final Logger LOG = Logger.getLogger(StatusTracker.class);

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
    private record Change(Key key, String userId, RetrievalEvent event) {
    }

    /** The primary key of a status row. Keys sort by device id, then policy id. */
    private record Key(String deviceId, String policyId) implements Comparable<Key> {
        private static final Comparator<Key> ORDER = Comparator.comparing(Key::deviceId).thenComparing(Key::policyId);

        @Override
        public int compareTo(Key other) {
            return ORDER.compare(this, other);
        }
    }

    /** A status row, locked while the queue is written. */
    private static final class LockedRow {
        final Key key;
        String userId;
        RetrievalFacts facts;

        LockedRow(Key key, String userId, RetrievalFacts facts) {
            this.key = key;
            this.userId = userId;
            this.facts = facts;
        }

        /** Maps a result row of device_id, policy_id, user_id and facts::text. */
        static LockedRow read(ResultSet result) throws SQLException {
            return new LockedRow(new Key(result.getString(1), result.getString(2)), result.getString(3),
                    RetrievalFacts.fromJson(result.getString(4)));
        }
    }

    /** A transition to insert into status_transition. */
    private record NewTransition(Key key, String userId, RetrievalStatus status, String fromState, Instant changedAt) {
    }

    /**
     * Merges {@code event} into the facts of the device and policy, creating the row when needed. The change
     * is written before the transaction commits or this class next reads.
     *
     * @throws IllegalStateException when called outside a transaction
     */
    public void apply(String deviceId, String policyId, String userId, RetrievalEvent event) {
        queue(true).add(new Change(new Key(deviceId, policyId), userId, event));
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
        Map<Key, LockedRow> rows = lockRows(changes);
        List<Object> published = new ArrayList<>();
        List<NewTransition> transitions = new ArrayList<>();
        for (Change change : changes) {
            LockedRow row = rows.get(change.key());
            Optional<RetrievalStatus> previous = row.facts.status();
            row.facts = row.facts.apply(change.event());
            row.userId = change.userId();
            RetrievalStatus status = row.facts.status().orElse(null);
            if (RetrievalStatus.shouldPublish(previous.orElse(null), status)) {
                Instant now = Instant.now();
                var changed = status.toChangedEvent(change.key().deviceId(), change.userId(), change.key().policyId(),
                        previous.orElse(null), now);
                String from = changed.from() == null ? null : changed.from().name();
                transitions.add(new NewTransition(change.key(), change.userId(), status, from, now));
                published.add(changed);
                LOG.infof("Device %s, policy %s v%d: %s -> %s%s", change.key().deviceId(), change.key().policyId(),
                        status.policyVersion(), from == null ? "none" : from, status.state(),
                        status.reasonCode() == null ? "" : " (" + status.reasonCode() + ")");
            }
        }
        updateRows(rows.values());
        insertTransitions(transitions);
        outbox.addAll(published);
    }

    /**
     * Locks the status rows of every device and policy the changes name, inserting rows with no facts for
     * those that have none, in key order. Returns them by key.
     */
    private Map<Key, LockedRow> lockRows(List<Change> changes) {
        Map<Key, String> users = new TreeMap<>();
        for (Change change : changes) {
            users.putIfAbsent(change.key(), change.userId());
        }
        Map<Key, LockedRow> rows = new HashMap<>();
        selectForUpdate(users.keySet(), rows);
        List<Key> missing = users.keySet().stream().filter(key -> !rows.containsKey(key)).toList();
        if (missing.isEmpty()) {
            return rows;
        }

        sql.query("""
                INSERT INTO device_status (device_id, policy_id, user_id, facts)
                SELECT device_id, policy_id, user_id, ?::jsonb FROM unnest(?::text[], ?::text[], ?::text[])
                    WITH ORDINALITY AS row(device_id, policy_id, user_id, position) ORDER BY position
                ON CONFLICT (device_id, policy_id) DO NOTHING RETURNING device_id, policy_id, user_id, facts::text
                """, result -> put(rows, LockedRow.read(result)), RetrievalFacts.EMPTY.toJson(), deviceIds(missing),
                policyIds(missing), missing.stream().map(users::get).toArray(String[]::new));
        // ON CONFLICT waited until the transaction that inserted such a row meanwhile committed, so it can be locked.
        List<Key> conflicting = missing.stream().filter(key -> !rows.containsKey(key)).toList();
        if (!conflicting.isEmpty()) {
            selectForUpdate(conflicting, rows);
        }
        return rows;
    }

    private void selectForUpdate(Collection<Key> keys, Map<Key, LockedRow> rows) {
        sql.query("""
                SELECT device_id, policy_id, user_id, facts::text FROM device_status
                WHERE (device_id, policy_id) IN (SELECT * FROM unnest(?::text[], ?::text[]))
                ORDER BY device_id, policy_id FOR UPDATE
                """, result -> put(rows, LockedRow.read(result)), deviceIds(keys), policyIds(keys));
    }

    private static LockedRow put(Map<Key, LockedRow> rows, LockedRow row) {
        return rows.put(row.key, row);
    }

    private static String[] deviceIds(Collection<Key> keys) {
        return keys.stream().map(Key::deviceId).toArray(String[]::new);
    }

    private static String[] policyIds(Collection<Key> keys) {
        return keys.stream().map(Key::policyId).toArray(String[]::new);
    }

    private void updateRows(Collection<LockedRow> rows) {
        int count = rows.size();
        String[][] columns = new String[8][count];
        Integer[] versions = new Integer[count];
        int i = 0;
        for (LockedRow row : rows) {
            RetrievalStatus status = row.facts.status().orElse(null);
            columns[0][i] = row.key.deviceId();
            columns[1][i] = row.key.policyId();
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

    private void insertTransitions(List<NewTransition> transitions) {
        if (transitions.isEmpty()) {
            return;
        }
        int count = transitions.size();
        String[][] columns = new String[8][count];
        Integer[] versions = new Integer[count];
        for (int i = 0; i < count; i++) {
            NewTransition transition = transitions.get(i);
            columns[0][i] = transition.key().deviceId();
            columns[1][i] = transition.key().policyId();
            columns[2][i] = transition.userId();
            versions[i] = transition.status().policyVersion();
            columns[3][i] = transition.fromState();
            columns[4][i] = transition.status().state().name();
            columns[5][i] = transition.status().reasonCode();
            columns[6][i] = transition.status().detail();
            columns[7][i] = transition.changedAt().toString();
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
