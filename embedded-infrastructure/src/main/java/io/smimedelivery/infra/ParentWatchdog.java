package io.smimedelivery.infra;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Entry point of every child JVM that {@link ChildProcess} starts. It runs the real main class and exits
 * the JVM when its standard input reaches end of file. The parent keeps that pipe open for its whole
 * life, and the operating system closes it when the parent ends in any way, SIGKILL included, so no
 * child outlives its parent. {@code System.exit} runs the child's own shutdown hooks, so a Kafka broker
 * or a Quarkus service still stops cleanly.
 *
 * <p>Usage: {@code java -cp ... io.smimedelivery.infra.ParentWatchdog <main class> [arguments]}. This
 * class uses only the JDK because it runs on classpaths that hold nothing else of this project.
 */
public final class ParentWatchdog {

    private ParentWatchdog() {
    }

    public static void main(String[] args) throws Throwable {
        if (args.length == 0) {
            System.err.println("Missing main class: usage is ParentWatchdog <main class> [arguments]");
            System.exit(2);
        }
        Thread watcher = new Thread(ParentWatchdog::exitWhenParentEnds, "parent-watchdog");
        watcher.setDaemon(true);
        watcher.start();

        Method main = Class.forName(args[0]).getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void exitWhenParentEnds() {
        InputStream in = System.in;
        byte[] buffer = new byte[256];
        try {
            while (in.read(buffer) >= 0) {
                // The parent never writes; any bytes are discarded.
            }
        } catch (IOException e) {
            // A broken pipe means the parent is gone, the same as end of file.
        }
        System.err.println("Parent process ended; stopping this process");
        System.exit(0);
    }
}
