package io.smimedelivery.common.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

/**
 * Runs SQL statements on the data source's connection of the current transaction. Parameters are bound
 * with {@code setObject}, except {@code String[]}, which becomes a PostgreSQL {@code text[]}. A failure
 * is an IllegalStateException that names what failed, so the transaction rolls back.
 */
public final class Sql {

    /** Maps the current row of a result set. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet result) throws SQLException;
    }

    private final DataSource dataSource;
    private final String subject;

    /**
     * @param subject what the statements work on, for error messages, such as {@code Delivery table}
     */
    public Sql(DataSource dataSource, String subject) {
        this.dataSource = dataSource;
        this.subject = subject;
    }

    /** Runs an INSERT, UPDATE or DELETE and returns the number of rows it changed. */
    public int update(String sql, Object... parameters) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(connection, statement, parameters);
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(subject + " update failed: " + e.getMessage(), e);
        }
    }

    /** Runs a query, or a statement with RETURNING, and maps every row. */
    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... parameters) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(connection, statement, parameters);
            List<T> rows = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    rows.add(mapper.map(result));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(subject + " query failed: " + e.getMessage(), e);
        }
    }

    /**
     * Takes a PostgreSQL advisory lock on {@code key} until the transaction ends, waiting while another
     * transaction holds it. {@code space} keeps the locks of different uses apart.
     */
    public void lockUntilTransactionEnds(int space, String key) {
        query("SELECT pg_advisory_xact_lock(hashtextextended(?, ?))", result -> null, key, space);
    }

    /**
     * Takes the advisory locks of {@link #lockUntilTransactionEnds} on every key in {@code keys}, in
     * ascending order of the lock ids, in one statement. Transactions that lock overlapping key sets
     * this way take the shared locks in the same order, so none waits for another in a cycle.
     */
    public void lockAllUntilTransactionEnds(int space, Collection<String> keys) {
        query("""
                SELECT pg_advisory_xact_lock(lock_id) FROM (SELECT DISTINCT hashtextextended(lock_key, ?) AS lock_id
                    FROM unnest(?) AS lock_key ORDER BY lock_id) AS ordered
                """, result -> null, space, keys.toArray(String[]::new));
    }

    /** Returns a timestamp column as an Instant, or null. */
    public static Instant instant(ResultSet result, int column) throws SQLException {
        Timestamp timestamp = result.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static void bind(Connection connection, PreparedStatement statement, Object[] parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            if (parameters[i] instanceof String[] array) {
                statement.setArray(i + 1, connection.createArrayOf("text", array));
            } else if (parameters[i] instanceof UUID[] array) {
                statement.setArray(i + 1, connection.createArrayOf("uuid", array));
            } else if (parameters[i] instanceof Integer[] array) {
                statement.setArray(i + 1, connection.createArrayOf("integer", array));
            } else {
                statement.setObject(i + 1, parameters[i]);
            }
        }
    }
}
