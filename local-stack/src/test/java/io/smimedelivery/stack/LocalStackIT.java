package io.smimedelivery.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.smimedelivery.infra.FreePorts;

/**
 * Runs the README's run command, ./local-stack.sh, as a user would: all four services report ready, and
 * Ctrl-C (SIGINT) ends the launcher with status 0 and no process left behind.
 */
class LocalStackIT {

    private static final Path PROJECT_ROOT = Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();

    @TempDir
    Path dataDir;

    private final String databasePrefix = "smime_it" + HexFormat.of().formatHex(new SecureRandom().generateSeed(3));
    private Process launcher;

    @AfterEach
    void cleanUp() throws Exception {
        LauncherOutput.cleanUp(launcher, dataDir, databasePrefix);
    }

    @Test
    void stackStartsReadyAndStopsOnSigint() throws Exception {
        int firstServicePort = fourFreePorts();
        launcher = new ProcessBuilder(PROJECT_ROOT.resolve("local-stack.sh").toString(),
                "--data-dir", dataDir.toString(),
                "--database-prefix", databasePrefix,
                "--kafka-port", Integer.toString(FreePorts.find()),
                "--kafka-controller-port", Integer.toString(FreePorts.find()),
                "--smtp-port", Integer.toString(FreePorts.find()),
                "--imap-port", Integer.toString(FreePorts.find()),
                "--first-service-port", Integer.toString(firstServicePort))
                .directory(PROJECT_ROOT.toFile())
                .redirectErrorStream(true)
                .start();
        StringBuilder output = new StringBuilder();
        CompletableFuture<Boolean> ready = CompletableFuture.supplyAsync(
                () -> LauncherOutput.readUntil(launcher, output, line -> line.equals(LocalStack.READY_LINE)));

        assertTrue(ready.get(300, TimeUnit.SECONDS), "launcher printed the ready line; output:\n" + output);

        HttpClient client = HttpClient.newHttpClient();
        for (int offset = 0; offset < 4; offset++) {
            URI readiness = URI.create("http://127.0.0.1:" + (firstServicePort + offset) + "/q/health/ready");
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(readiness).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), readiness + " answered " + response.body());
            assertTrue(response.body().contains("\"UP\""), readiness + " answered " + response.body());
        }
        assertTrue(output.toString().contains("http://127.0.0.1:" + firstServicePort + "/q/swagger-ui"),
                "addresses printed");

        Path kek = dataDir.resolve("key-encryption-key.b64");
        assertTrue(java.nio.file.Files.exists(kek), "the launcher made a key-encryption key for certificate-service");
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                java.nio.file.Files.getPosixFilePermissions(kek)));

        List<ProcessHandle> children = launcher.descendants().toList();
        assertEquals(5, children.stream().filter(child -> child.info().command().orElse("").endsWith("java")).count(),
                "a broker and four services run as separate JVMs: " + children);

        new ProcessBuilder("kill", "-INT", Long.toString(launcher.pid())).start().waitFor();

        assertTrue(launcher.waitFor(90, TimeUnit.SECONDS), "launcher exited after SIGINT; output:\n" + output);
        assertEquals(0, launcher.exitValue(), "exit status after SIGINT; output:\n" + output);
        for (ProcessHandle child : children) {
            child.onExit().get(30, TimeUnit.SECONDS);
            assertFalse(child.isAlive(), "process " + child.pid() + " ended with the launcher");
        }
    }



    static int fourFreePorts() {
        for (int attempt = 0; attempt < 50; attempt++) {
            int first = 20000 + new SecureRandom().nextInt(20000);
            if (FreePorts.isFree(first) && FreePorts.isFree(first + 1) && FreePorts.isFree(first + 2)
                    && FreePorts.isFree(first + 3)) {
                return first;
            }
        }
        throw new IllegalStateException("no four consecutive free ports found");
    }
}
