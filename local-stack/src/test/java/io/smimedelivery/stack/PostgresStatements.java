package io.smimedelivery.stack;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads pg_stat_statements of the embedded server for {@link BenchmarkIT}: calls per device of every
 * database and the statements with the most execution time and with the most calls. The server must have loaded the module
 * (shared_preload_libraries), and the statements carry parameters, never values.
 */
final class PostgresStatements {

    private static final int TOP_STATEMENTS = 40;

    private PostgresStatements() {
    }

    /** Creates the extension where it is missing and clears what it recorded so far. */
    static void reset(FaultStack stack) throws SQLException {
        try (Connection connection = stack.database(FaultStack.DEVICE); Statement statement = connection.createStatement()) {
            statement.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            statement.execute("SELECT pg_stat_statements_reset()");
        }
    }

    /** Writes the {@value #TOP_STATEMENTS} statements with the largest {@code column} into {@code top}. */
    private static void top(Statement statement, int devices, String column, ArrayNode top) throws SQLException {
        try (ResultSet rows = statement.executeQuery("SELECT d.datname, s.calls, s.total_exec_time, s.rows,"
                + " left(regexp_replace(s.query, '\\s+', ' ', 'g'), 200)"
                + " FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid"
                + " ORDER BY " + column + " DESC LIMIT " + TOP_STATEMENTS)) {
            while (rows.next()) {
                top.addObject().put("database", rows.getString(1)).put("callsPerDevice", rows.getLong(2) / (double) devices)
                        .put("totalMillis", rows.getDouble(3)).put("rows", rows.getLong(4)).put("query", rows.getString(5));
            }
        }
    }

    /** Writes calls per device by database and the top statements by execution time into {@code result}. */
    static void record(FaultStack stack, int devices, ObjectNode result) throws SQLException {
        try (Connection connection = stack.database(FaultStack.DEVICE); Statement statement = connection.createStatement()) {
            ObjectNode calls = result.putObject("callsPerDevice");
            try (ResultSet rows = statement.executeQuery("SELECT d.datname, sum(s.calls), sum(s.total_exec_time)"
                    + " FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid GROUP BY d.datname ORDER BY 1")) {
                while (rows.next()) {
                    calls.putObject(rows.getString(1)).put("calls", rows.getLong(2) / (double) devices)
                            .put("executionMillis", rows.getDouble(3) / devices);
                }
            }
            top(statement, devices, "s.total_exec_time", result.putArray("top"));
            top(statement, devices, "s.calls", result.putArray("topByCalls"));
        }
    }
}
