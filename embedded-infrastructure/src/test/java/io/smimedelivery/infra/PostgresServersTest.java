package io.smimedelivery.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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

    static long awaitPid(Path parentLog, String prefix) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(parentLog)) {
                Optional<String> line = Files.readAllLines(parentLog).stream()
                        .filter(text -> text.startsWith(prefix))
                        .findFirst();
                if (line.isPresent()) {
                    return Long.parseLong(line.get().substring(prefix.length()).trim());
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the parent process did not report a process id in " + parentLog);
    }

    /** Starts an embedded PostgreSQL and then waits; the test kills this process with SIGKILL. */
    public static final class PostgresParentMain {
        static final String PID_PREFIX = "postmaster pid: ";

        public static void main(String[] args) throws Exception {
            Path dir = Path.of(args[0]);
            PostgresServers.startEmbedded(dir);
            System.out.println(PID_PREFIX + PostgresServers.embeddedPostmasterPid(dir));
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
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
    void embeddedServerEndsWhenParentIsKilled() throws Exception {
        Path log = dataDir.resolve("parent.log");
        List<String> classpath = List.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator));
        try (ChildProcess parent = ChildProcess.start("postgres-parent", classpath, List.of("-Xmx128m"),
                PostgresParentMain.class.getName(), List.of(dataDir.resolve("pg").toString()), Map.of(), log)) {
            long postmasterPid = awaitPid(log, PostgresParentMain.PID_PREFIX);
            ProcessHandle postmaster = ProcessHandle.of(postmasterPid).orElseThrow();

            ProcessHandle.of(parent.pid()).orElseThrow().destroyForcibly();

            postmaster.onExit().get(60, TimeUnit.SECONDS);
            assertFalse(postmaster.isAlive(), "postmaster ended after its parent was killed with SIGKILL");
        }
    }

    @Test
    void invalidDatabaseNameIsRejected() throws Exception {
        try (PostgresServer server = PostgresServers.startEmbedded(dataDir)) {
            assertThrows(IllegalArgumentException.class, () -> server.createDatabaseIfMissing("x; DROP DATABASE postgres"));
        }
    }
}
