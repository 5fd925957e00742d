package io.smimedelivery.deviceauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

class InMemoryNonceStoreTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void secondUseIsReplay() {
        InMemoryNonceStore store = new InMemoryNonceStore(new MutableClock(T0), 10);

        assertTrue(store.firstUse("device-1", "n1", T0.plusSeconds(60)));
        assertFalse(store.firstUse("device-1", "n1", T0.plusSeconds(60)));
    }

    @Test
    void nonceIsPerDevice() {
        InMemoryNonceStore store = new InMemoryNonceStore(new MutableClock(T0), 10);

        assertTrue(store.firstUse("device-1", "n1", T0.plusSeconds(60)));
        assertTrue(store.firstUse("device-2", "n1", T0.plusSeconds(60)));
        assertTrue(store.firstUse("device-1", "n2", T0.plusSeconds(60)));
    }

    @Test
    void forgetsNonceAtExpiry() {
        MutableClock clock = new MutableClock(T0);
        InMemoryNonceStore store = new InMemoryNonceStore(clock, 10);
        store.firstUse("device-1", "n1", T0.plusSeconds(60));

        clock.set(T0.plusSeconds(60).minusMillis(1));
        assertFalse(store.firstUse("device-1", "n1", T0.plusSeconds(60)));

        clock.set(T0.plusSeconds(60));
        assertTrue(store.firstUse("device-1", "n1", T0.plusSeconds(120)));
    }

    @Test
    void purgesExpiredEntries() {
        MutableClock clock = new MutableClock(T0);
        InMemoryNonceStore store = new InMemoryNonceStore(clock, 10);
        for (int i = 0; i < 5; i++) {
            store.firstUse("device-1", "n" + i, T0.plusSeconds(10 + i));
        }

        clock.set(T0.plusSeconds(12));
        store.firstUse("device-2", "x", T0.plusSeconds(100));

        assertEquals(3, store.size());
    }

    @Test
    void doesNotRecordAlreadyExpiredNonce() {
        InMemoryNonceStore store = new InMemoryNonceStore(new MutableClock(T0), 10);

        assertTrue(store.firstUse("device-1", "n1", T0));
        assertEquals(0, store.size());
    }

    @Test
    void fullStoreThrowsInsteadOfEvicting() {
        MutableClock clock = new MutableClock(T0);
        InMemoryNonceStore store = new InMemoryNonceStore(clock, 2);
        store.firstUse("device-1", "n1", T0.plusSeconds(10));
        store.firstUse("device-1", "n2", T0.plusSeconds(20));

        assertThrows(IllegalStateException.class, () -> store.firstUse("device-1", "n3", T0.plusSeconds(30)));
        assertFalse(store.firstUse("device-1", "n1", T0.plusSeconds(10)));

        clock.set(T0.plusSeconds(10));
        assertTrue(store.firstUse("device-1", "n3", T0.plusSeconds(30)));
    }

    @Test
    void concurrentUsesAcceptOnce() throws Exception {
        InMemoryNonceStore store = new InMemoryNonceStore(new MutableClock(T0), 100);
        ExecutorService executor = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Boolean>> calls = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                calls.add(() -> store.firstUse("device-1", "same", T0.plusSeconds(60)));
            }
            long accepted = 0;
            for (Future<Boolean> result : executor.invokeAll(calls)) {
                accepted += result.get() ? 1 : 0;
            }

            assertEquals(1, accepted);
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void rejectsInvalidCapacity() {
        assertThrows(IllegalArgumentException.class, () -> new InMemoryNonceStore(Clock.systemUTC(), 0));
    }

    /** Clock that a test moves by hand. */
    static final class MutableClock extends Clock {

        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
