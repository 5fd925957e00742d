package io.smimedelivery.notification.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class SendLeaseTest {

    private static final Duration PUSH_CONNECT = Duration.ofSeconds(5);
    private static final Duration PUSH_REQUEST = Duration.ofSeconds(10);

    @Test
    void defaultTimeoutsFitDefaultLease() {
        assertNull(DeliveryWorker.leaseProblem(Duration.ofMinutes(5), Duration.ofSeconds(30), PUSH_CONNECT, PUSH_REQUEST));
    }

    @Test
    void mailTimeoutAtLeastLease() {
        assertEquals("smime.notification.send-lease PT15S must be longer than the longest e-mail send, "
                + "quarkus.mailer.timeout PT30S; raise the lease or lower the timeout",
                DeliveryWorker.leaseProblem(Duration.ofSeconds(15), Duration.ofSeconds(30), PUSH_CONNECT, PUSH_REQUEST));
    }

    @Test
    void pushTimeoutsAtLeastLease() {
        assertEquals("smime.notification.send-lease PT15S must be longer than the longest push send, "
                + "smime.push.connect-timeout PT5S plus smime.push.request-timeout PT10S; raise the lease or lower "
                + "the timeouts",
                DeliveryWorker.leaseProblem(Duration.ofSeconds(15), Duration.ofSeconds(10), PUSH_CONNECT, PUSH_REQUEST));
    }
}
