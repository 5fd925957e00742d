package io.smimedelivery.certificate.rotation;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import io.smimedelivery.common.jdbc.Sql;

/**
 * SQL of the key rotation: encrypted values by key id, and the runs in {@code kek_rotation}. Every method
 * except {@link #tryLockRunner} works in the caller's transaction.
 */
@ApplicationScoped
public class KeyRotationStore {

    /** Key of the PostgreSQL advisory lock that the one running rotation of a database holds. */
    static final String RUNNER_LOCK_KEY = "certificate-service.kek-rotation";

    private static final String RUN_COLUMNS = "id, target_kek_id, status, total, done, errors, last_error,"
            + " stop_requested, started_at, finished_at";

    private final DataSource dataSource;
    private final Sql sql;

    public KeyRotationStore(DataSource dataSource) {
        this.dataSource = dataSource;
        this.sql = new Sql(dataSource, "Key rotation");
    }

    /** An encrypted value and its row id, as the primary key's JDBC type (UUID or String). */
    public record StoredValue(Object id, byte[] value) {
    }

    /** The number of values in one encrypted column under one key id. */
    public record KeyIdCount(EncryptedColumn column, String keyId, long count) {
    }

    /**
     * Locks and returns up to {@code limit} values of {@code column} that are under one of {@code keyIds}
     * but not under {@code currentKeyId}, skipping rows that another transaction has locked and rows whose
     * id is in {@code excludedIds}.
     */
    public List<StoredValue> lockBatch(EncryptedColumn column, String currentKeyId, String[] keyIds,
            String[] excludedIds, int limit) {
        return sql.query("SELECT id, " + column.column() + " FROM " + column.table()
                + " WHERE kek_id <> ? AND kek_id = ANY(?) AND NOT (id::text = ANY(?))"
                + " ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED",
                result -> new StoredValue(result.getObject(1), result.getBytes(2)),
                currentKeyId, keyIds, excludedIds, limit);
    }

    /** Replaces one encrypted value and its key id. */
    public void replace(EncryptedColumn column, Object id, byte[] value, String keyId) {
        sql.update("UPDATE " + column.table() + " SET " + column.column() + " = ?, kek_id = ? WHERE id = ?",
                value, keyId, id);
    }

    /** Counts the values of every encrypted column by key id. */
    public List<KeyIdCount> countByKeyId() {
        List<KeyIdCount> counts = new java.util.ArrayList<>();
        for (EncryptedColumn column : EncryptedColumn.values()) {
            counts.addAll(sql.query("SELECT kek_id, count(*) FROM " + column.table() + " GROUP BY kek_id ORDER BY kek_id",
                    result -> new KeyIdCount(column, result.getString(1), result.getLong(2))));
        }
        return counts;
    }

    /** Counts the values under one of {@code keyIds} other than {@code currentKeyId}. */
    public int countToRotate(String currentKeyId, String[] keyIds) {
        int total = 0;
        for (EncryptedColumn column : EncryptedColumn.values()) {
            total += sql.query("SELECT count(*) FROM " + column.table() + " WHERE kek_id <> ? AND kek_id = ANY(?)",
                    result -> result.getInt(1), currentKeyId, keyIds).get(0);
        }
        return total;
    }

    public void insertRun(UUID id, String targetKeyId, int total, Instant startedAt) {
        sql.update("INSERT INTO kek_rotation (id, target_kek_id, status, total, started_at) VALUES (?, ?, ?, ?, ?)",
                id, targetKeyId, RotationRun.RUNNING, total, java.sql.Timestamp.from(startedAt));
    }

    /**
     * Adds a batch's counts to a run and returns whether a stop was requested. A null {@code lastError}
     * keeps the stored one.
     */
    public boolean addProgress(UUID id, int done, int errors, String lastError) {
        return sql.query("UPDATE kek_rotation SET done = done + ?, errors = errors + ?,"
                + " last_error = coalesce(?, last_error) WHERE id = ? RETURNING stop_requested",
                result -> result.getBoolean(1), done, errors, lastError, id).get(0);
    }

    /** Returns whether a stop was requested for a run. */
    public boolean stopRequested(UUID id) {
        return sql.query("SELECT stop_requested FROM kek_rotation WHERE id = ?", result -> result.getBoolean(1), id)
                .stream().findFirst().orElse(false);
    }

    /** Ends a run with {@code status}. A null {@code lastError} keeps the stored one. */
    public void finishRun(UUID id, String status, String lastError, Instant finishedAt) {
        sql.update("UPDATE kek_rotation SET status = ?, last_error = coalesce(?, last_error), finished_at = ? WHERE id = ?",
                status, lastError, java.sql.Timestamp.from(finishedAt), id);
    }

    /** Asks a running run to stop after its current batch. Returns false when the run is not RUNNING. */
    public boolean requestStop(UUID id) {
        return sql.update("UPDATE kek_rotation SET stop_requested = true WHERE id = ? AND status = ?",
                id, RotationRun.RUNNING) > 0;
    }

    /**
     * Marks every RUNNING run as INTERRUPTED. Only call this while holding the runner lock, because then no
     * runner is alive and RUNNING rows are left over from a stopped process.
     */
    public int interruptAbandonedRuns(Instant now) {
        return sql.update("UPDATE kek_rotation SET status = ?, finished_at = ?, last_error = coalesce(last_error,"
                + " 'The service stopped during the run; start a rotation again to re-encrypt the rest') WHERE status = ?",
                RotationRun.INTERRUPTED, java.sql.Timestamp.from(now), RotationRun.RUNNING);
    }

    public Optional<RotationRun> run(UUID id) {
        return sql.query("SELECT " + RUN_COLUMNS + " FROM kek_rotation WHERE id = ?", KeyRotationStore::run, id)
                .stream().findFirst();
    }

    /** Returns the run that started last. */
    public Optional<RotationRun> latestRun() {
        return sql.query("SELECT " + RUN_COLUMNS + " FROM kek_rotation ORDER BY started_at DESC, id LIMIT 1",
                KeyRotationStore::run).stream().findFirst();
    }

    /** Returns the RUNNING run, if any. */
    public Optional<RotationRun> runningRun() {
        return sql.query("SELECT " + RUN_COLUMNS + " FROM kek_rotation WHERE status = ? ORDER BY started_at DESC LIMIT 1",
                KeyRotationStore::run, RotationRun.RUNNING).stream().findFirst();
    }

    /**
     * Takes the session-level advisory lock that only one rotation runner per database may hold, on a
     * connection of its own. Returns empty when another runner has it. Closing the returned lock
     * releases it, and PostgreSQL also releases it when the process dies and the connection drops.
     */
    public Optional<RunnerLock> tryLockRunner() {
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT pg_try_advisory_lock(hashtextextended(?, 0))")) {
                statement.setString(1, RUNNER_LOCK_KEY);
                try (ResultSet result = statement.executeQuery()) {
                    result.next();
                    if (result.getBoolean(1)) {
                        return Optional.of(new RunnerLock(connection));
                    }
                }
            }
            connection.close();
            return Optional.empty();
        } catch (SQLException e) {
            closeQuietly(connection);
            throw new IllegalStateException("Key rotation lock failed: " + e.getMessage(), e);
        }
    }

    /** The held runner lock and its connection. */
    public static final class RunnerLock implements AutoCloseable {

        private final Connection connection;

        RunnerLock(Connection connection) {
            this.connection = connection;
        }

        /** Releases the lock and returns the connection to the pool. */
        @Override
        public void close() {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT pg_advisory_unlock(hashtextextended(?, 0))")) {
                statement.setString(1, RUNNER_LOCK_KEY);
                statement.execute();
            } catch (SQLException e) {
                // A pooled connection that may still hold the lock must not be reused.
                try {
                    connection.abort(Runnable::run);
                } catch (SQLException ignored) {
                    // The connection is unusable either way.
                }
            } finally {
                closeQuietly(connection);
            }
        }
    }

    private static RotationRun run(ResultSet result) throws SQLException {
        return new RotationRun(result.getObject(1, UUID.class), result.getString(2), result.getString(3),
                result.getInt(4), result.getInt(5), result.getInt(6), result.getString(7), result.getBoolean(8),
                Sql.instant(result, 9), Sql.instant(result, 10));
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // Closing a broken connection has nothing left to release.
            }
        }
    }
}
