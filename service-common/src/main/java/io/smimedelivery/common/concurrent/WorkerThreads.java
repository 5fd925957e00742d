package io.smimedelivery.common.concurrent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A fixed number of {@link BackgroundLoop} threads that run the same loop body, started and stopped
 * together and woken together when new work arrives.
 */
public final class WorkerThreads {

    private final String namePrefix;
    private final List<BackgroundLoop> loops = new ArrayList<>();

    /** @param namePrefix thread name prefix; threads are named prefix-1, prefix-2 and so on */
    public WorkerThreads(String namePrefix) {
        this.namePrefix = namePrefix;
    }

    /**
     * Starts {@code count} threads (at least one) that each run {@code body} with their own loop. Returns
     * false when the threads run already.
     */
    public synchronized boolean start(int count, Consumer<BackgroundLoop> body) {
        if (!loops.isEmpty()) {
            return false;
        }
        for (int i = 1; i <= Math.max(1, count); i++) {
            BackgroundLoop loop = new BackgroundLoop(namePrefix + "-" + i);
            loops.add(loop);
            loop.start(() -> body.accept(loop));
        }
        return true;
    }

    /** Stops every thread, waiting up to {@code timeout} for each. Returns false when none ran. */
    public synchronized boolean stop(Duration timeout) {
        if (loops.isEmpty()) {
            return false;
        }
        loops.forEach(loop -> loop.stop(timeout));
        loops.clear();
        return true;
    }

    /** Returns the number of running threads. */
    public synchronized int size() {
        return loops.size();
    }

    /** Wakes every thread from its wait. */
    public void wake() {
        List<BackgroundLoop> current;
        synchronized (this) {
            current = List.copyOf(loops);
        }
        current.forEach(BackgroundLoop::wake);
    }
}
