package io.smimedelivery.common.concurrent;

import java.time.Duration;

/**
 * The thread of a background worker such as the outbox relay: started and stopped once, with a loop
 * body that checks {@link #running()} and sleeps with {@link #awaitWake} between rounds.
 */
public final class BackgroundLoop {

    private final String threadName;
    private final WakeSignal signal = new WakeSignal();
    private volatile boolean running;
    private Thread thread;

    public BackgroundLoop(String threadName) {
        this.threadName = threadName;
    }

    /** Starts {@code body} on a daemon thread. Returns false when the loop runs already. */
    public synchronized boolean start(Runnable body) {
        if (running) {
            return false;
        }
        running = true;
        thread = new Thread(body, threadName);
        thread.setDaemon(true);
        thread.start();
        return true;
    }

    /**
     * Asks the loop to end and waits up to {@code timeout} for its current round to finish. Returns
     * false when it was not running.
     */
    public synchronized boolean stop(Duration timeout) {
        if (!running) {
            return false;
        }
        running = false;
        signal.wake();
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return true;
    }

    /** Returns whether the loop should go on; the loop body checks it before every round. */
    public boolean running() {
        return running;
    }

    /** Returns whether the loop should run and its thread is alive. */
    public boolean isAlive() {
        return running && thread != null && thread.isAlive();
    }

    /** Ends the current or next {@link #awaitWake}. */
    public void wake() {
        signal.wake();
    }

    /** Sleeps up to {@code timeout}, or until {@link #wake} or {@link #stop}. */
    public void awaitWake(Duration timeout) {
        signal.await(timeout, () -> running);
    }
}
