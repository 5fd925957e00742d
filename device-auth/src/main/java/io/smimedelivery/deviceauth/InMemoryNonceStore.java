package io.smimedelivery.deviceauth;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * Nonce store in the memory of one process, for a service that runs as a single instance, and for
 * tests. Several instances of a service need a shared store, such as a database table, because
 * each instance would otherwise accept a token that another instance has already seen.
 *
 * <p>Each call first drops the entries whose expiry has passed. The store keeps at most
 * {@code capacity} unexpired nonces. It never evicts an unexpired nonce, because that would let
 * its token be replayed, so a full store throws {@link IllegalStateException}. Thread-safe.
 */
public final class InMemoryNonceStore implements NonceStore {

    /**
     * Capacity of {@link #InMemoryNonceStore()}. With the verifier's default lifetime of 5 minutes
     * plus 30 seconds of skew, it has room for about 300 new tokens per second.
     */
    public static final int DEFAULT_CAPACITY = 100_000;

    private record Entry(String deviceId, String nonce) {
    }

    private record Expiry(Entry entry, Instant expiresAt) {
    }

    private final Clock clock;
    private final int capacity;
    private final Map<Entry, Instant> expiries = new HashMap<>();
    private final PriorityQueue<Expiry> byExpiry = new PriorityQueue<>(Comparator.comparing(Expiry::expiresAt));

    /** Creates a store on the system clock with {@link #DEFAULT_CAPACITY}. */
    public InMemoryNonceStore() {
        this(Clock.systemUTC(), DEFAULT_CAPACITY);
    }

    /**
     * Creates a store.
     *
     * @param clock decides when entries have expired
     * @param capacity maximum number of unexpired nonces, which must be positive
     */
    public InMemoryNonceStore(Clock clock, int capacity) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (capacity < 1) {
            throw new IllegalArgumentException("Nonce store capacity must be positive, got " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * {@inheritDoc}
     *
     * <p>A nonce whose expiry has already passed is not recorded, and the call returns true unless
     * the same nonce is still recorded from an earlier call.
     *
     * @throws IllegalStateException if the store already contains {@code capacity} unexpired nonces
     */
    @Override
    public synchronized boolean firstUse(String deviceId, String nonce, Instant expiresAt) {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(expiresAt, "expiresAt");

        Instant now = clock.instant();
        purgeExpired(now);

        Entry entry = new Entry(deviceId, nonce);
        if (expiries.containsKey(entry)) {
            return false;
        }
        if (!expiresAt.isAfter(now)) {
            return true;
        }
        if (expiries.size() >= capacity) {
            throw new IllegalStateException("Nonce store is full with " + capacity
                    + " unexpired nonces. Raise its capacity or use a shared nonce store");
        }
        expiries.put(entry, expiresAt);
        byExpiry.add(new Expiry(entry, expiresAt));
        return true;
    }

    /** Returns the number of recorded nonces, including any that expired since the last call of {@link #firstUse}. */
    public synchronized int size() {
        return expiries.size();
    }

    private void purgeExpired(Instant now) {
        while (!byExpiry.isEmpty() && !byExpiry.peek().expiresAt().isAfter(now)) {
            expiries.remove(byExpiry.poll().entry());
        }
    }
}
