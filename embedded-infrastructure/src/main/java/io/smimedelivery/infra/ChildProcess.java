package io.smimedelivery.infra;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

/**
 * A Java program started as a separate JVM under {@link ParentWatchdog}, with its output appended to a
 * log file. The child ends when {@link #stop} is called, when this JVM exits normally or by a signal
 * (through {@link #stopAll} in a shutdown hook), and when this JVM is killed (through the watchdog's
 * closed pipe).
 */
public final class ChildProcess implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ChildProcess.class);

    /** Children still running, in start order; a single shutdown hook stops them newest first. */
    private static final Deque<ChildProcess> RUNNING = new ArrayDeque<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ChildProcess::stopAll, "stop-child-processes"));
    }

    private final String name;
    private final Process process;
    private final Path logFile;

    private ChildProcess(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        synchronized (RUNNING) {
            RUNNING.addLast(this);
        }
    }

    /**
     * Stops every running child, the most recently started first, so services stop before the broker
     * they use. The JVM's shutdown hook calls this too; a second call finds nothing to stop.
     */
    public static void stopAll() {
        while (true) {
            ChildProcess newest;
            synchronized (RUNNING) {
                newest = RUNNING.pollLast();
            }
            if (newest == null) {
                return;
            }
            newest.stop(Duration.ofSeconds(20));
        }
    }

    /**
     * Starts {@code mainClass} in a new JVM.
     *
     * @param name       short name for logs and thread names
     * @param classpath  classpath entries of the child, without this library, which is added
     * @param jvmOptions options placed before the main class, such as {@code -Xmx256m}
     * @param mainClass  the class whose {@code main} the child runs
     * @param arguments  arguments of that {@code main}
     * @param environment extra environment variables
     * @param logFile    file that receives the child's standard output and standard error
     */
    public static ChildProcess start(String name, List<String> classpath, List<String> jvmOptions,
            String mainClass, List<String> arguments, Map<String, String> environment, Path logFile) {
        return start(name, classpath, jvmOptions, mainClass, arguments, environment, logFile,
                ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    }

    /**
     * Starts {@code mainClass} in a new JVM whose standard output and standard error are those of this
     * process, for a child whose output the user reads as it runs. Its {@link #logFile()} is null.
     */
    public static ChildProcess startAttached(String name, List<String> classpath, List<String> jvmOptions,
            String mainClass, List<String> arguments, Map<String, String> environment) {
        return start(name, classpath, jvmOptions, mainClass, arguments, environment, null, ProcessBuilder.Redirect.INHERIT);
    }

    private static ChildProcess start(String name, List<String> classpath, List<String> jvmOptions, String mainClass,
            List<String> arguments, Map<String, String> environment, Path logFile, ProcessBuilder.Redirect output) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(jvmOptions);
        command.add("-cp");
        List<String> fullClasspath = new ArrayList<>();
        fullClasspath.add(ownLocation());
        fullClasspath.addAll(classpath);
        command.add(String.join(File.pathSeparator, fullClasspath));
        command.add(ParentWatchdog.class.getName());
        command.add(mainClass);
        command.addAll(arguments);

        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output)
                .redirectInput(ProcessBuilder.Redirect.PIPE);
        builder.environment().putAll(environment);
        try {
            Process process = builder.start();
            if (logFile == null) {
                LOG.infof("Started %s as process %d", name, process.pid());
            } else {
                LOG.infof("Started %s as process %d, log %s", name, process.pid(), logFile);
            }
            return new ChildProcess(name, process, logFile);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to start " + name + " with " + command.get(0), e);
        }
    }

    /** Runs {@code mainClass} in a new JVM and waits for it to exit; fails unless it exits with 0. */
    public static void run(String name, List<String> classpath, String mainClass, List<String> arguments,
            Path logFile, Duration timeout) {
        try (ChildProcess child = start(name, classpath, List.of("-Xmx256m"), mainClass, arguments, Map.of(), logFile)) {
            if (!child.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(name + " did not finish within " + timeout + "; see " + logFile);
            }
            if (child.process.exitValue() != 0) {
                throw new IllegalStateException(name + " failed with exit code " + child.process.exitValue()
                        + "; see " + logFile);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for " + name, e);
        }
    }

    /** Waits until the child ends and returns its exit status. */
    public int waitFor() throws InterruptedException {
        return process.waitFor();
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path logFile() {
        return logFile;
    }

    /**
     * Asks the child to stop with SIGTERM, waits up to {@code grace}, then kills it. Returns once the
     * process has ended.
     */
    public void stop(Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        LOG.debugf("Stopping %s (process %d)", name, process.pid());
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warnf("%s (process %d) did not stop within %s; killing it", name, process.pid(), grace);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(20));
        synchronized (RUNNING) {
            RUNNING.remove(this);
        }
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Returns the jar or class folder of this library, which contains {@link ParentWatchdog}. */
    static String ownLocation() {
        try {
            return Path.of(ParentWatchdog.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("Cannot locate the embedded-infrastructure classes", e);
        }
    }
}
