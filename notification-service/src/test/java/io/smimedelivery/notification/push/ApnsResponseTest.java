package io.smimedelivery.notification.push;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class ApnsResponseTest {

    private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");

    @Test
    void retryAfterAcceptsSecondsAndDates() {
        assertEquals(Optional.of(Duration.ofSeconds(30)), ApnsResponse.parseRetryAfter(" 30 ", NOW));
        assertEquals(Optional.of(Duration.ZERO), ApnsResponse.parseRetryAfter("0", NOW));
        assertEquals(Optional.of(Duration.ofMinutes(5)),
                ApnsResponse.parseRetryAfter("Fri, 04 Dec 2026 10:05:00 GMT", NOW));
    }

    @Test
    void retryAfterInPastIsZero() {
        assertEquals(Optional.of(Duration.ZERO), ApnsResponse.parseRetryAfter("Fri, 04 Dec 2026 09:00:00 GMT", NOW));
    }

    @Test
    void invalidRetryAfterIsIgnored() {
        assertEquals(Optional.empty(), ApnsResponse.parseRetryAfter("-5", NOW));
        assertEquals(Optional.empty(), ApnsResponse.parseRetryAfter("soon", NOW));
        assertEquals(Optional.empty(), ApnsResponse.parseRetryAfter("99999999999", NOW));
    }
}
