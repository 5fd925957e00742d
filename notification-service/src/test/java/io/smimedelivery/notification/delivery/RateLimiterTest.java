package io.smimedelivery.notification.delivery;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RateLimiterTest {

    @Test
    void spacesPermitsByTheRate() {
        RateLimiter limiter = new RateLimiter(20);
        long start = System.nanoTime();
        for (int i = 0; i < 11; i++) {
            assertTrue(limiter.acquire());
        }
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(elapsedMillis >= 450, "11 permits at 20 per second need at least 500 ms, took " + elapsedMillis);
    }

    @Test
    void zeroRateMeansNoLimit() {
        RateLimiter limiter = new RateLimiter(0);
        for (int i = 0; i < 1000; i++) {
            assertTrue(limiter.acquire());
        }
    }
}
