package io.smimedelivery.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.jboss.logging.Logger;

/**
 * The infrastructure of one test JVM: a Kafka cluster, a PostgreSQL server and an SMTP server, each
 * started on first use and stopped when the JVM exits. Every test run gets databases of its own, named
 * with a random suffix, so runs never see each other's rows.
 */
public final class TestInfrastructure {

    private static final Logger LOG = Logger.getLogger(TestInfrastructure.class);
    /** Partitions of topics created by tests: more than one, so per-key ordering is exercised. */
    private static final int TEST_PARTITIONS = 3;
    private static final TestInfrastructure SHARED = new TestInfrastructure();

    private final String runId = HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
    private Path workDir;
    private KafkaCluster kafka;
    private PostgresServer postgres;
    private SmtpServer smtp;
    private final List<String> databases = new ArrayList<>();

    private TestInfrastructure() {
    }

    public static TestInfrastructure shared() {
        return SHARED;
    }

    public synchronized KafkaCluster kafka() {
        if (kafka == null) {
            kafka = KafkaCluster.locate(workDir().resolve("kafka"), TEST_PARTITIONS);
        }
        return kafka;
    }

    public synchronized PostgresServer postgres() {
        if (postgres == null) {
            postgres = PostgresServers.locate(workDir().resolve("postgres"));
        }
        return postgres;
    }

    public synchronized SmtpServer smtp() {
        if (smtp == null) {
            smtp = SmtpServer.start(0, 0);
        }
        return smtp;
    }

    /**
     * Creates a database for this run, named {@code <prefix>_t<run id>}, and drops it when the JVM exits.
     * Returns its name.
     */
    public synchronized String createDatabase(String prefix) {
        String name = prefix + "_t" + runId;
        PostgresServer server = postgres();
        server.dropDatabaseIfExists(name);
        server.createDatabaseIfMissing(name);
        databases.add(name);
        return name;
    }

    /** Drops a database made by {@link #createDatabase}. */
    public synchronized void dropDatabase(String name) {
        if (databases.remove(name)) {
            dropQuietly(postgres, name);
        }
    }

    private synchronized Path workDir() {
        if (workDir == null) {
            try {
                workDir = Files.createTempDirectory("smime-test-infra-");
            } catch (IOException e) {
                throw new UncheckedIOException("Failed to create a temporary folder for test infrastructure", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(this::shutdown, "test-infrastructure-shutdown"));
        }
        return workDir;
    }

    private synchronized void shutdown() {
        for (String database : List.copyOf(databases)) {
            dropDatabase(database);
        }
        closeQuietly(smtp);
        closeQuietly(kafka);
        closeQuietly(postgres);
        deleteRecursively(workDir);
    }

    private static void dropQuietly(PostgresServer server, String database) {
        try {
            server.dropDatabaseIfExists(database);
        } catch (RuntimeException e) {
            LOG.warnf("Failed to drop test database %s: %s", database, e.getMessage());
        }
    }

    private static void closeQuietly(AutoCloseable resource) {
        if (resource == null) {
            return;
        }
        try {
            resource.close();
        } catch (Exception e) {
            LOG.warnf("Failed to stop %s: %s", resource, e.getMessage());
        }
    }

    static void deleteRecursively(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.warnf("Failed to delete %s: %s", root, e.getMessage());
        }
    }
}
