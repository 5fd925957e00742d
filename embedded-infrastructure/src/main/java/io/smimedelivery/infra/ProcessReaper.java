package io.smimedelivery.infra;

import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Entry point of a small JVM that stops another process when it exits itself. It runs under
 * {@link ParentWatchdog}, so it exits when its parent ends in any way, and its shutdown hook then sends
 * SIGINT to the watched process. This covers servers that detach from the JVM that started them, such
 * as the embedded PostgreSQL, whose postmaster would otherwise outlive a killed test JVM.
 *
 * <p>Usage: {@code ProcessReaper <pid> <start instant>}. The start instant guards against a reused pid:
 * a process with the same pid but another start time is left alone.
 */
public final class ProcessReaper {

    /** Printed once the shutdown hook is registered; until then the reaper would not stop the process. */
    static final String READY = "process-reaper ready";

    private ProcessReaper() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 2) {
            System.err.println("Usage: ProcessReaper <pid> <start instant>");
            System.exit(2);
        }
        long pid = Long.parseLong(args[0]);
        Instant started = Instant.parse(args[1]);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> interrupt(pid, started), "process-reaper"));
        System.out.println(READY);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    private static void interrupt(long pid, Instant started) {
        boolean same = ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .flatMap(process -> process.info().startInstant())
                .map(started::equals)
                .orElse(false);
        if (!same) {
            return;
        }
        System.err.println("Sending SIGINT to process " + pid);
        try {
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(pid)).inheritIO().start();
            kill.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            System.err.println("Failed to signal process " + pid + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
