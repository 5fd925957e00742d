package io.smimedelivery.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.smimedelivery.infra.FreePorts;

/**
 * Runs the main job end to end as the README shows it: {@code ./local-stack.sh --scenario} starts the
 * broker, PostgreSQL, the mail server and the four services as separate processes, and the device
 * simulator's scenario delivers to simulated iPhones and iPads, changes the setup and proves the result
 * with openssl. A second run is stopped with SIGINT in the middle and must leave no process behind.
 */
class ScenarioIT {

    private static final Path PROJECT_ROOT = Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();

    @TempDir
    Path dataDir;

    private final String databasePrefix = "smime_e2e" + HexFormat.of().formatHex(new SecureRandom().generateSeed(3));
    private Process launcher;

    @AfterEach
    void cleanUp() throws Exception {
        LauncherOutput.cleanUp(launcher, dataDir, databasePrefix);
    }

    @Test
    void scenarioDeliversAndProvesEveryDevice() throws Exception {
        StringBuilder output = new StringBuilder();
        launcher = startScenario(output);
        CompletableFuture<Boolean> started = CompletableFuture.supplyAsync(
                () -> LauncherOutput.readUntil(launcher, output, line -> line.startsWith("== Directory, groups")));
        assertTrue(started.get(300, TimeUnit.SECONDS), "the scenario started on a ready stack; output:\n" + output);
        assertContains(LauncherOutput.textOf(output), LocalStack.READY_LINE);
        List<ProcessHandle> children = launcher.descendants().toList();

        assertTrue(launcher.waitFor(600, TimeUnit.SECONDS), "the scenario ended; output:\n" + output);
        String text = LauncherOutput.textOf(output);
        assertEquals(0, launcher.exitValue(), "exit status of a passed scenario; output:\n" + text);
        assertTrue(text.contains("Scenario PASSED."), text);
        assertFalse(text.contains("\nFAIL "), text);

        // The first delivery: 5 devices installed, anna.neri's 2 devices failed with the reason.
        assertContains(text, "PASS iphone-mario-1: expected INSTALLED, got INSTALLED");
        assertContains(text, "PASS iphone-luca-2: expected INSTALLED, got INSTALLED");
        assertContains(text, "PASS iphone-anna-1: expected FAILED NO_ENCRYPTION_CERTIFICATE, got FAILED NO_ENCRYPTION_CERTIFICATE");
        // The changes: a late group member, a retired device and a renewed encryption certificate.
        assertContains(text, "PASS iphone-sara-1: state INSTALLED");
        assertContains(text, "PASS sara.galli@example.it, who joined late: 1 Company Portal notification(s)");
        assertContains(text, "PASS ipad-mario-2: state REMOVED DEVICE_RETIRED");
        assertContains(text, "PASS ipad-mario-2: downloading its package");
        assertContains(text, "PASS iphone-giulia-1: the renewed encryption certificate");
        assertContains(text, "PASS iphone-giulia-1: the earlier encryption certificate");
        assertContains(text, "PASS giulia.bianchi@example.it: 2 READY notifications sent");
        // The openssl proofs of every installed device, EC P-256 and P-384 device keys included.
        // A device of the SCEP policy made its own signing key and got its certificate from the SCEP CA.
        assertContains(text, "PASS iphone-paolo-1: expected INSTALLED, got INSTALLED");
        assertContains(text, "PASS iphone-paolo-1: openssl verify accepts the SCEP signing certificate");
        for (String device : List.of("iphone-mario-1", "iphone-giulia-1", "iphone-luca-1", "iphone-luca-2", "iphone-sara-1",
                "iphone-paolo-1")) {
            assertContains(text, "PASS " + device + ": openssl cms -decrypt opens the package with the device key");
            assertContains(text, "PASS " + device + ": old-mail-");
            assertContains(text, "PASS " + device + ": new mail signed with");
        }
        assertContains(text, "Local stack stopped");
        assertNoneAlive(children);
        assertTrue(children.size() >= 6, "the broker, four services and the scenario ran as child processes: " + children);

        // No secret the run handled reached a log, the launcher's output or a record on any topic.
        SecretScan scan = SecretScan.of(dataDir, dataDir.resolve("scenario-state"), ledger())
                .scanFiles(dataDir.resolve("logs"), ".log")
                .scanFiles(dataDir.resolve("kafka"), ".log")
                .scanText("launcher output", text);
        assertTrue(scan.findings().isEmpty(), "secrets found: " + scan.findings());
        assertTrue(scan.secretCount() > 50, "the ledger and the PKI gave secrets to look for: " + scan.secretCount());
        assertTrue(scan.filesScanned() > 10, "service logs and topic segments were scanned: " + scan.filesScanned());
    }

    private Path ledger() {
        return dataDir.resolve("secret-ledger.txt");
    }

    @Test
    void sigintDuringScenarioLeavesNothingRunning() throws Exception {
        StringBuilder output = new StringBuilder();
        launcher = startScenario(output);
        CompletableFuture<Boolean> midRun = CompletableFuture.supplyAsync(
                () -> LauncherOutput.readUntil(launcher, output, line -> line.startsWith("== Devices at")));
        assertTrue(midRun.get(300, TimeUnit.SECONDS), "the scenario reached its devices; output:\n" + output);
        List<ProcessHandle> children = launcher.descendants().toList();
        assertTrue(children.stream().anyMatch(child -> child.info().commandLine().orElse("").contains("device-simulator.jar")),
                "the scenario runs as a child process: " + children);

        new ProcessBuilder("kill", "-INT", Long.toString(launcher.pid())).start().waitFor();

        assertTrue(launcher.waitFor(120, TimeUnit.SECONDS), "launcher exited after SIGINT; output:\n"
                + LauncherOutput.textOf(output));
        assertEquals(130, launcher.exitValue(), "an interrupted scenario did not pass; output:\n"
                + LauncherOutput.textOf(output));
        assertNoneAlive(children);
    }

    private Process startScenario(StringBuilder output) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(PROJECT_ROOT.resolve("local-stack.sh").toString(),
                "--scenario",
                "--scenario-state-dir", dataDir.resolve("scenario-state").toString(),
                "--data-dir", dataDir.toString(),
                "--database-prefix", databasePrefix,
                "--kafka-port", Integer.toString(FreePorts.find()),
                "--kafka-controller-port", Integer.toString(FreePorts.find()),
                "--smtp-port", Integer.toString(FreePorts.find()),
                "--imap-port", Integer.toString(FreePorts.find()),
                "--first-service-port", Integer.toString(LocalStackIT.fourFreePorts()))
                .directory(PROJECT_ROOT.toFile())
                .redirectErrorStream(true);
        builder.environment().put("SMIME_SIMULATOR_SECRET_LEDGER", ledger().toString());
        return builder.start();
    }




    private static void assertContains(String text, String expected) {
        assertTrue(text.contains(expected), "output lacks \"" + expected + "\":\n" + text);
    }

    private static void assertNoneAlive(List<ProcessHandle> children) throws Exception {
        List<ProcessHandle> alive = new ArrayList<>();
        for (ProcessHandle child : children) {
            try {
                child.onExit().get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                alive.add(child);
            }
        }
        assertTrue(alive.isEmpty(), "processes left running: " + alive);
    }
}
