package io.smimedelivery.notification.push;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smimedelivery.infra.PushGateway;
import io.smimedelivery.infra.PushSigningKey;

/**
 * Starts a local APNs-like gateway for a Quarkus test and points the push client at it, with a provider
 * signing key and a trust store made for the run.
 */
public class PushGatewayTestResource implements QuarkusTestResourceLifecycleManager {

    /** Team id the provider tokens carry. */
    public static final String TEAM_ID = "TEAM123456";
    /** Key id the provider tokens carry. */
    public static final String KEY_ID = "KEY1234567";

    private static PushGateway gateway;
    private Path directory;

    @Override
    public Map<String, String> start() {
        try {
            directory = Files.createTempDirectory("push-gateway");
            gateway = PushGateway.start(directory);
            Path key = PushSigningKey.generateP256().writeTo(directory);
            return Map.of(
                    "smime.push.gateway-url", gateway.url(),
                    "smime.push.trust-store-file", gateway.trustStore().toString(),
                    "smime.push.trust-store-password", PushGateway.TRUST_STORE_PASSWORD,
                    "smime.push.team-id", TEAM_ID,
                    "smime.push.key-id", KEY_ID,
                    "smime.push.private-key-file", key.toString(),
                    "smime.push.request-timeout", "PT3S");
        } catch (Exception e) {
            throw new IllegalStateException("The test push gateway did not start", e);
        }
    }

    @Override
    public void stop() {
        try {
            if (gateway != null) {
                gateway.close();
            }
        } catch (Exception e) {
            throw new IllegalStateException("The test push gateway did not stop", e);
        }
    }

    /** A request the gateway received: path, lower-case headers and body. */
    public record Push(String path, Map<String, String> headers, String body) {
    }

    /** Returns every push the gateway received, in order. */
    public static List<Push> pushes() {
        return gateway.requests().stream().map(request -> new Push(request.path(), request.headers(), request.body()))
                .toList();
    }

    /** Makes the gateway accept every push after {@code delay}, or at once again when {@code delay} is zero. */
    public static void delayResponses(Duration delay) {
        if (delay.isZero()) {
            gateway.respondWith(PushGateway::accept);
            return;
        }
        Executor later = CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS);
        gateway.respondWith(request -> later.execute(() -> PushGateway.accept(request)));
    }

    /** Makes the gateway respond with 410 Unregistered from now on, or 200 again when {@code unregistered} is false. */
    public static void unregisterTokens(boolean unregistered) {
        gateway.respondWith(unregistered ? PushGateway.reject(410, "{\"reason\":\"Unregistered\"}", Map.of())
                : PushGateway::accept);
    }
}
