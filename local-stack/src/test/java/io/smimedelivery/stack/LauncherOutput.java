package io.smimedelivery.stack;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

import io.smimedelivery.infra.PostgresServer;
import io.smimedelivery.infra.PostgresServers;

/** Reads the output of a ./local-stack.sh process that a test started, and cleans up after it. */
final class LauncherOutput {

    private LauncherOutput() {
    }

    /** Reads the launcher's output until a line matches, then keeps draining it in the background. */
    static boolean readUntil(Process process, StringBuilder output, Predicate<String> stop) {
        BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        try {
            String line;
            while ((line = reader.readLine()) != null) {
                synchronized (output) {
                    output.append(line).append('\n');
                }
                if (stop.test(line)) {
                    CompletableFuture.runAsync(() -> drain(reader, output));
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    /** Returns the output read so far, after a moment for the drain thread to read the last lines. */
    static String textOf(StringBuilder output) throws InterruptedException {
        Thread.sleep(500);
        synchronized (output) {
            return output.toString();
        }
    }

    /** Kills a launcher that is still running, with its children, and drops the databases of the prefix. */
    static void cleanUp(Process launcher, Path dataDir, String databasePrefix) throws Exception {
        if (launcher != null && launcher.isAlive()) {
            launcher.descendants().forEach(ProcessHandle::destroyForcibly);
            launcher.destroyForcibly();
        }
        try (PostgresServer postgres = PostgresServers.locate(dataDir.resolve("postgres"))) {
            for (ServiceDefinition service : ServiceDefinition.ALL) {
                postgres.dropDatabaseIfExists(service.database(databasePrefix));
            }
        }
    }

    private static void drain(BufferedReader reader, StringBuilder output) {
        try {
            String line;
            while ((line = reader.readLine()) != null) {
                synchronized (output) {
                    output.append(line).append('\n');
                }
            }
        } catch (IOException e) {
            // The launcher ended.
        }
    }
}
