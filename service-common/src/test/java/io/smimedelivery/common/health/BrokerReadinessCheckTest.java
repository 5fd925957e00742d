package io.smimedelivery.common.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.time.Duration;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

class BrokerReadinessCheckTest {

    @Test
    void absentBrokerIsDownWithinTheTimeout() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        BrokerReadinessCheck check = new BrokerReadinessCheck("127.0.0.1:" + port, Duration.ofSeconds(1));
        try {
            for (int i = 0; i < 3; i++) {
                long started = System.nanoTime();
                HealthCheckResponse response = check.call();
                Duration took = Duration.ofNanos(System.nanoTime() - started);
                assertEquals(HealthCheckResponse.Status.DOWN, response.getStatus());
                assertTrue(took.compareTo(Duration.ofSeconds(3)) < 0, "answered after " + took);
                assertTrue(response.getData().orElseThrow().get("reason").toString().startsWith("no answer within PT1S"),
                        response.getData().toString());
            }
        } finally {
            check.close();
        }
    }
}
