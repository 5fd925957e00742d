package io.smimedelivery.common.concurrent;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Lets a background worker sleep until its poll interval ends or another thread has new work for it,
 * whichever comes first. A wake-up that arrives while the worker is busy is kept for its next wait.
 */
public final class WakeSignal {

    private final Object lock = new Object();
    private boolean wakeRequested;

    /** Ends the current or next wait. */
    public void wake() {
        synchronized (lock) {
            wakeRequested = true;
            lock.notifyAll();
        }
    }

    /**
     * Waits up to {@code timeout}, returning early after {@link #wake} or once {@code running} is false,
     * and clears the wake-up. An interrupt ends the wait and stays set on the thread.
     */
    public void await(Duration timeout, BooleanSupplier running) {
        synchronized (lock) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!wakeRequested && running.getAsBoolean()) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    break;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, remaining);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            wakeRequested = false;
        }
    }
}
