package io.smimedelivery.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Reads CPU time and resident memory of processes from Linux's /proc, and samples the summed memory of
 * process groups such as a PostgreSQL postmaster and its backends.
 *
 * <p>CPU time is utime + stime of /proc/&lt;pid&gt;/stat in clock ticks of 1/100 s, the USER_HZ of Linux
 * on x86-64 and arm64. A group's CPU time also counts cutime + cstime of its root, which is the time of
 * children that have ended and been reaped, so backends that end during a run still count.
 */
final class ProcessStats {

    private static final double TICKS_PER_SECOND = 100.0;

    private ProcessStats() {
    }

    /** CPU time of one process in seconds, with its ended children when {@code withReapedChildren}. */
    static double cpuSeconds(long pid, boolean withReapedChildren) {
        String[] fields = statFields(pid).orElse(null);
        if (fields == null) {
            return 0;
        }
        long ticks = cpuTicks(fields);
        if (withReapedChildren) {
            // cutime and cstime, fields 16 and 17 of proc(5)
            ticks += Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
        }
        return ticks / TICKS_PER_SECOND;
    }

    /**
     * Returns the CPU time in seconds of the live threads of a JVM whose name starts with one of
     * {@code prefixes}, such as {@code C2 CompilerThre} (Linux keeps the first 15 characters of a thread
     * name) or {@code VM Thread}. A thread that has ended no longer counts.
     */
    static double threadCpuSeconds(long pid, String... prefixes) {
        long ticks = 0;
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String name;
                try {
                    name = Files.readString(task.resolve("comm")).strip();
                } catch (IOException e) {
                    continue; // the thread ended between listing and reading
                }
                if (Arrays.stream(prefixes).anyMatch(name::startsWith)) {
                    ticks += statFields(task.resolve("stat")).map(ProcessStats::cpuTicks).orElse(0L);
                }
            }
        } catch (IOException e) {
            return 0; // the process has ended
        }
        return ticks / TICKS_PER_SECOND;
    }

    /** Busy and idle CPU time of the whole machine, summed over its cores, from the first line of /proc/stat. */
    record MachineCpu(double busySeconds, double idleSeconds) {

        MachineCpu minus(MachineCpu earlier) {
            return new MachineCpu(busySeconds - earlier.busySeconds, idleSeconds - earlier.idleSeconds);
        }
    }

    /**
     * Returns the machine's CPU time since boot. Idle time is the idle and iowait columns of proc(5), and busy
     * time is user, nice, system, irq, softirq and steal. Guest time is already part of user and nice.
     */
    static MachineCpu machineCpu() {
        try {
            String first = Files.readAllLines(Path.of("/proc/stat")).get(0);
            return machineCpu(first);
        } catch (IOException | RuntimeException e) {
            return new MachineCpu(0, 0);
        }
    }

    /** Parses the "cpu" line of /proc/stat. */
    static MachineCpu machineCpu(String cpuLine) {
        String[] fields = cpuLine.trim().split("\\s+");
        if (!fields[0].equals("cpu")) {
            throw new IllegalArgumentException("Invalid /proc/stat line, expected the summary line that starts with"
                    + " \"cpu \": " + cpuLine);
        }
        long busy = 0;
        long idle = 0;
        for (int column = 1; column < fields.length && column <= 8; column++) {
            long ticks = Long.parseLong(fields[column]);
            if (column == 4 || column == 5) {
                idle += ticks;
            } else {
                busy += ticks;
            }
        }
        return new MachineCpu(busy / TICKS_PER_SECOND, idle / TICKS_PER_SECOND);
    }

    /** Peak resident set size (VmHWM) of a process in bytes, or 0 when it has ended. */
    static long peakResidentBytes(long pid) {
        return statusValueKiB(pid, "VmHWM") * 1024;
    }

    /** Current proportional set size (Pss) of a process in bytes, so shared pages count once per group. */
    static long proportionalBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps_rollup"))) {
                if (line.startsWith("Pss:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // The process ended between listing and reading.
        }
        return 0;
    }

    /** Returns the process ids whose parent is {@code parent}. */
    static List<Long> children(long parent) {
        List<Long> children = new ArrayList<>();
        try (var entries = Files.list(Path.of("/proc"))) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                String name = entry.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                long pid = Long.parseLong(name);
                statFields(pid).filter(fields -> Long.parseLong(fields[1]) == parent).ifPresent(fields -> children.add(pid));
            }
        } catch (IOException e) {
            throw new IllegalStateException("Listing /proc failed: " + e.getMessage(), e);
        }
        return children;
    }

    /** CPU seconds of a group: its root with reaped children, plus every live child. */
    static double groupCpuSeconds(long root) {
        double seconds = cpuSeconds(root, true);
        for (long child : children(root)) {
            seconds += cpuSeconds(child, false);
        }
        return seconds;
    }

    /** Summed Pss of a group's root and live children in bytes. */
    static long groupProportionalBytes(long root) {
        long bytes = proportionalBytes(root);
        for (long child : children(root)) {
            bytes += proportionalBytes(child);
        }
        return bytes;
    }

    /** Returns utime + stime of a process's or thread's stat fields, in clock ticks. */
    private static long cpuTicks(String[] fields) {
        // fields[0] is the state (field 3 of proc(5)), so field n of proc(5) is fields[n - 3].
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    private static Optional<String[]> statFields(long pid) {
        return statFields(Path.of("/proc", Long.toString(pid), "stat"));
    }

    /** Returns the fields of a proc(5) stat file from field 3 (the state) on, or empty when it is gone. */
    private static Optional<String[]> statFields(Path statFile) {
        try {
            String stat = Files.readString(statFile);
            // The command name in field 2 may contain spaces and parentheses, so split after its last ')'.
            return Optional.of(stat.substring(stat.lastIndexOf(')') + 2).trim().split(" "));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static long statusValueKiB(long pid, String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(key + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // The process has ended.
        }
        return 0;
    }

    /**
     * Samples the summed memory of process groups on a daemon thread and keeps each group's maximum. A
     * group is a root process id, found again at each sample, so a restarted server is followed.
     */
    static final class GroupSampler implements AutoCloseable {
        private final Map<String, Supplier<Long>> roots;
        private final Map<String, Long> peaks = new ConcurrentHashMap<>();
        private final Thread thread;
        private volatile boolean running = true;

        GroupSampler(Map<String, Supplier<Long>> roots, long intervalMillis) {
            this.roots = new LinkedHashMap<>(roots);
            this.thread = new Thread(() -> {
                while (running) {
                    sample();
                    try {
                        Thread.sleep(intervalMillis);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "process-group-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        private void sample() {
            roots.forEach((name, root) -> {
                Long pid = root.get();
                if (pid != null) {
                    peaks.merge(name, groupProportionalBytes(pid), Math::max);
                }
            });
        }

        /** Returns the largest summed Pss seen for the group, in bytes. */
        long peakBytes(String name) {
            return peaks.getOrDefault(name, 0L);
        }

        @Override
        public void close() {
            running = false;
            thread.interrupt();
        }
    }
}
