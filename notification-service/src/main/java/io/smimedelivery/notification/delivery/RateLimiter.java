package io.smimedelivery.notification.delivery;

import java.util.concurrent.locks.LockSupport;

/**
 * Spaces out sends so that no more than a configured number start per second, over all threads that
 * share the limiter. Each caller reserves the next free slot and sleeps until it comes.
 */
public final class RateLimiter {

    private final long intervalNanos;
    private long nextSlotNanos = System.nanoTime();

    /** @param permitsPerSecond sends per second; 0 or less means no limit */
    public RateLimiter(double permitsPerSecond) {
        this.intervalNanos = permitsPerSecond <= 0 ? 0 : (long) (1_000_000_000L / permitsPerSecond);
    }

    /** Waits for the next slot. Returns false when the thread was interrupted while waiting. */
    public boolean acquire() {
        if (intervalNanos == 0) {
            return true;
        }
        long slot;
        synchronized (this) {
            long now = System.nanoTime();
            slot = Math.max(now, nextSlotNanos);
            nextSlotNanos = slot + intervalNanos;
        }
        long wait;
        while ((wait = slot - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
            if (Thread.currentThread().isInterrupted()) {
                return false;
            }
        }
        return true;
    }
}
