package io.smimedelivery.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresServersTest {

    @TempDir
    Path dataDir;

    @AfterEach
    void clearSettings() {
        System.clearProperty(InfrastructureSettings.POSTGRES_URL);
        System.clearProperty(InfrastructureSettings.USE_DOCKER);
    }

    @Test
    void embeddedServerCreatesUsableDatabase() throws Exception {
        try (PostgresServer server = PostgresServers.startEmbedded(dataDir)) {
            assertEquals(PostgresServer.Source.EMBEDDED, server.source());

            assertTrue(server.createDatabaseIfMissing("embedded_check"));
            assertFalse(server.createDatabaseIfMissing("embedded_check"), "second create is a no-op");
            try (Connection connection = DriverManager.getConnection(server.jdbcUrl("embedded_check"),
                    server.username(), server.password()); Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE t (v TEXT)");
                statement.execute("INSERT INTO t VALUES ('è ok')");
                try (ResultSet result = statement.executeQuery("SELECT v FROM t")) {
                    assertTrue(result.next());
                    assertEquals("è ok", result.getString(1));
                }
            }

            server.dropDatabaseIfExists("embedded_check");
            assertFalse(server.databaseExists("embedded_check"));
        }
    }

    @Test
    void explicitUrlWinsOverEverythingElse() throws Exception {
        try (PostgresServer embedded = PostgresServers.startEmbedded(dataDir)) {
            System.setProperty(InfrastructureSettings.POSTGRES_URL,
                    "jdbc:postgresql://localhost:" + embedded.port() + "/postgres");

            PostgresServer located = PostgresServers.locate(dataDir.resolve("unused"));

            assertEquals(PostgresServer.Source.EXPLICIT, located.source());
            assertEquals(embedded.port(), located.port());
            assertTrue(located.databaseExists("postgres"));
        }
    }

    @Test
    void invalidExplicitUrlIsRejected() {
        System.setProperty(InfrastructureSettings.POSTGRES_URL, "postgres://db:5432/postgres");

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> PostgresServers.locate(dataDir));

        assertTrue(error.getMessage().contains("jdbc:postgresql://HOST:PORT/DATABASE"));
    }

    @Test
    void invalidDatabaseNameIsRejected() throws Exception {
        try (PostgresServer server = PostgresServers.startEmbedded(dataDir)) {
            assertThrows(IllegalArgumentException.class, () -> server.createDatabaseIfMissing("x; DROP DATABASE postgres"));
        }
    }
}
