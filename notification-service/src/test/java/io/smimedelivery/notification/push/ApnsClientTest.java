package io.smimedelivery.notification.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smimedelivery.infra.PushGateway.RecordedRequest;
import io.smimedelivery.infra.PushGateway;
import io.smimedelivery.infra.PushSigningKey;
import io.smimedelivery.notification.delivery.DeliveryOutcome.Status;
import io.smimedelivery.notification.delivery.DeliveryOutcome;
import io.vertx.core.http.HttpVersion;

class ApnsClientTest {

    private static final String DEVICE_TOKEN = "0123456789abcdef".repeat(4);
    private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path directory;

    private static PushGateway gateway;
    private static PushSigningKey signingKey;
    private static Path keyFile;

    private MutableClock clock;
    private TestPushConfig config;

    @BeforeAll
    static void startGateway() throws Exception {
        gateway = PushGateway.start(directory);
        signingKey = PushSigningKey.generateP256();
        keyFile = signingKey.writeTo(directory);
    }

    @AfterAll
    static void stopGateway() throws Exception {
        gateway.close();
    }

    @BeforeEach
    void resetGateway() {
        gateway.reset();
        clock = new MutableClock(NOW);
        config = TestPushConfig.forGateway(gateway, keyFile);
    }

    @Test
    void sendPostsAlertOverHttp2() throws Exception {
        ApnsClient client = new ApnsClient(config, clock);
        String apnsId = UUID.randomUUID().toString();
        ApnsNotification notification = new ApnsNotification("New e-mail certificate",
                "Open Company Portal to install it", "smime-package-42", "smime",
                Map.of("smimePackageId", "42", "landingUrl", "https://portal.example.it/packages/42"));

        DeliveryOutcome outcome = client.send(DEVICE_TOKEN, notification, apnsId);

        assertEquals(Status.SENT, outcome.status(), outcome.detail());
        assertTrue(outcome.detail().contains(apnsId), outcome.detail());
        assertNull(outcome.retryAfter());

        RecordedRequest request = onlyRequest();
        assertEquals(HttpVersion.HTTP_2, request.version());
        assertEquals("POST", request.method());
        assertEquals("/3/device/" + DEVICE_TOKEN, request.path());
        assertEquals(TestPushConfig.TOPIC, request.headers().get("apns-topic"));
        assertEquals("alert", request.headers().get("apns-push-type"));
        assertEquals("10", request.headers().get("apns-priority"));
        assertEquals(apnsId, request.headers().get("apns-id"));
        assertEquals("smime-package-42", request.headers().get("apns-collapse-id"));
        assertEquals(Long.toString(NOW.plus(Duration.ofDays(1)).getEpochSecond()),
                request.headers().get("apns-expiration"));
        assertEquals("application/json", request.headers().get("content-type"));

        String authorization = request.headers().get("authorization");
        assertTrue(authorization.startsWith("bearer "), authorization);
        assertValidProviderToken(authorization.substring("bearer ".length()), NOW);

        JsonNode expected = JSON.readTree("""
                {"aps":{"alert":{"title":"New e-mail certificate","body":"Open Company Portal to install it"},
                        "sound":"default","thread-id":"smime"},
                 "smimePackageId":"42","landingUrl":"https://portal.example.it/packages/42"}
                """);
        assertEquals(expected, JSON.readTree(request.body()));
    }

    @Test
    void sendOmitsUnsetCollapseId() throws Exception {
        ApnsClient client = new ApnsClient(config, clock);

        DeliveryOutcome outcome = client.send(DEVICE_TOKEN, new ApnsNotification("Title", "Body", null, null, null),
                UUID.randomUUID().toString());

        assertEquals(Status.SENT, outcome.status(), outcome.detail());
        RecordedRequest request = onlyRequest();
        assertFalse(request.headers().containsKey("apns-collapse-id"));
        JsonNode aps = JSON.readTree(request.body()).get("aps");
        assertFalse(aps.has("thread-id"));
    }

    @Test
    void sendNormalizesUpperCaseApnsId() {
        ApnsClient client = new ApnsClient(config, clock);
        String apnsId = UUID.randomUUID().toString();

        client.send(DEVICE_TOKEN, notification(), apnsId.toUpperCase());

        assertEquals(apnsId, onlyRequest().headers().get("apns-id"));
    }

    @Test
    void unregisteredTokenIsPermanentWithoutRetry() {
        gateway.respondWith(PushGateway.reject(410, "{\"reason\":\"Unregistered\",\"timestamp\":1764842400000}", Map.of()));
        ApnsClient client = new ApnsClient(config, clock);

        DeliveryOutcome outcome = client.send(DEVICE_TOKEN, notification(), UUID.randomUUID().toString());

        assertEquals(Status.PERMANENT_FAILURE, outcome.status(), outcome.detail());
        assertTrue(outcome.detail().contains("410 Unregistered"), outcome.detail());
        assertTrue(outcome.detail().contains(Instant.ofEpochMilli(1764842400000L).toString()), outcome.detail());
        assertNull(outcome.retryAfter());
        assertEquals(1, gateway.requests().size(), "the client sends once and leaves retries to its caller");
    }

    @ParameterizedTest
    @CsvSource({
            "400, BadDeviceToken",
            "400, DeviceTokenNotForTopic",
            "400, BadTopic",
            "403, BadCertificateEnvironment",
            "404, BadPath",
            "413, PayloadTooLarge" })
    void clientErrorIsPermanent(int status, String reason) {
        gateway.respondWith(PushGateway.reject(status, "{\"reason\":\"" + reason + "\"}", Map.of()));
        ApnsClient client = new ApnsClient(config, clock);

        DeliveryOutcome outcome = client.send(DEVICE_TOKEN, notification(), UUID.randomUUID().toString());

        assertEquals(Status.PERMANENT_FAILURE, outcome.status(), outcome.detail());
        assertTrue(outcome.detail().contains(status + " " + reason), outcome.detail());
        assertEquals(1, gateway.requests().size());
    }

    @Test
    void tooManyRequestsHonoursRetryAfterSeconds() {
        gateway.respondWith(PushGateway.reject(429, "{\"reason\":\"TooManyRequests\"}", Map.of("retry-after", "120")));
        ApnsClient client = new ApnsClient(config, clock);

        DeliveryOutcome outcome = client.send(DEVICE_TOKEN, notification(), UUID.randomUUID().toString());

        assertEquals(Status.TEMPORARY_FAILURE, outcome.status(), outcome.detail());
        assertTrue(outcome.detail().contains("429 TooManyRequests"), outcome.detail());
        assertEquals(Duration.ofSeconds(120), outcome.retryAfter());
        assertEquals(1, gateway.requests().size());
    }

    @Test
    void serviceUnavailableHonoursRetryAfterDate() {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.plusSeconds(90).atOffset(ZoneOffset.UTC));
        gateway.respondWith(PushGateway.reject(503, "{\"reason\":\"ServiceUnavailable\"}", Map.of("retry-after", date)));
        ApnsClient client = new ApnsClient(config, clock);

        DeliveryOutcome outcome = client.send(DEVICE_TOKEN, notification(), UUID.randomUUID().toString());

        assertEquals(Status.TEMPORARY_FAILURE, outcome.status(), outcome.detail());
        assertEquals(Duration.ofSeconds(90), outcome.retryAfter());
    }

    @ParameterizedTest
    @CsvSource({ "500, InternalServerError", "502, ''", "503, ServiceUnavailable" })
    void serverErrorIsTemporary(int status, String reason) {
        String body = reason.isEmpty() ? "<html>Bad Gateway</html>" : "{\"reason\":\"" + reason + "\"}";
        gateway.respondWith(PushGateway.reject(status, body, Map.of()));
        ApnsClient client = new ApnsClient(config, clock);

        DeliveryOutcome outcome = client.send(DEVICE_TOKEN, notification(), UUID.randomUUID().toString());

        assertEquals(Status.TEMPORARY_FAILURE, outcome.status(), outcome.detail());
        assertTrue(outcome.detail().contains("HTTP " + status), outcome.detail());
        assertNull(outcome.retryAfter());
        assertEquals(1, gateway.requests().size());
    }

    @ParameterizedTest
    @ValueSource(strings = { "ExpiredProviderToken", "InvalidProviderToken" })
    void rejectedProviderTokenIsReplaced(String reason) {
        gateway.respondWith(PushGateway.reject(403, "{\"reason\":\"" + reason + "\"}", Map.of()));
        ApnsClient client = new ApnsClient(config, clock);

        DeliveryOutcome rejected = client.send(DEVICE_TOKEN, notification(), UUID.randomUUID().toString());
        gateway.respondWith(PushGateway::accept);
        DeliveryOutcome accepted = client.send(DEVICE_TOKEN, notification(), UUID.randomUUID().toString());
        DeliveryOutcome acceptedAgain = client.send(DEVICE_TOKEN, notification(), UUID.randomUUID().toString());

        assertEquals(Status.TEMPORARY_FAILURE, rejected.status(), rejected.detail());
        assertTrue(rejected.detail().contains("403 " + reason), rejected.detail());
        assertEquals(Status.SENT, accepted.status(), accepted.detail());
        assertEquals(Status.SENT, acceptedAgain.status(), acceptedAgain.detail());
        List<String> tokens = gateway.requests().stream().map(request -> request.headers().get("authorization")).toList();
        // Plain booleans, so that a failure does not print provider tokens.
        assertFalse(tokens.get(0).equals(tokens.get(1)), "a new provider token after the rejection");
        assertTrue(tokens.get(1).equals(tokens.get(2)), "the new provider token is cached");
    }

    @Test
    void providerTokenReusedUntilFortyMinutes() throws Exception {
        ApnsClient client = new ApnsClient(config, clock);

        client.send(DEVICE_TOKEN, notification(), UUID.randomUUID().toString());
        clock.advance(Duration.ofMinutes(40).minusSeconds(1));
        client.send(DEVICE_TOKEN, notification(), UUID.randomUUID().toString());
        clock.advance(Duration.ofSeconds(1));
        client.send(DEVICE_TOKEN, notification(), UUID.randomUUID().toString());

        List<String> tokens = gateway.requests().stream()
                .map(request -> request.headers().get("authorization").substring("bearer ".length()))
                .toList();
        assertEquals(3, tokens.size());
        assertTrue(tokens.get(0).equals(tokens.get(1)), "reused before 40 minutes");
        assertFalse(tokens.get(1).equals(tokens.get(2)), "replaced at 40 minutes");
        assertValidProviderToken(tokens.get(0), NOW);
        assertValidProviderToken(tokens.get(2), NOW.plus(Duration.ofMinutes(40)));
    }

    @Test
    void unansweredRequestIsUncertain() {
        gateway.respondWith(request -> {
            // Sends no response, like a gateway that delivered the push and whose response was lost.
        });
        ApnsClient client = new ApnsClient(config.withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(500)), clock);

        long started = System.nanoTime();
        DeliveryOutcome outcome = client.send(DEVICE_TOKEN, notification(), UUID.randomUUID().toString());
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

        assertEquals(Status.UNCERTAIN, outcome.status(), outcome.detail());
        assertTrue(outcome.detail().contains("timed out after 500 ms"), outcome.detail());
        assertTrue(elapsed.compareTo(Duration.ofSeconds(3)) < 0, "returned after " + elapsed);
        assertEquals(1, gateway.requests().size(), "the gateway received the whole request");
    }

    @Test
    void streamResetAfterBodyIsUncertain() {
        gateway.respondWith(request -> request.response().reset());
        ApnsClient client = new ApnsClient(config, clock);

        DeliveryOutcome outcome = client.send(DEVICE_TOKEN, notification(), UUID.randomUUID().toString());

        assertEquals(Status.UNCERTAIN, outcome.status(), outcome.detail());
        assertEquals(1, gateway.requests().size());
    }

    @Test
    void connectionClosedAfterBodyIsUncertain() {
        gateway.respondWith(request -> request.connection().close());
        ApnsClient client = new ApnsClient(config, clock);

        DeliveryOutcome outcome = client.send(DEVICE_TOKEN, notification(), UUID.randomUUID().toString());

        assertEquals(Status.UNCERTAIN, outcome.status(), outcome.detail());
        assertEquals(1, gateway.requests().size());
    }

    @Test
    void closedPortIsTemporary() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        ApnsClient client = new ApnsClient(config.withGatewayUrl("https://127.0.0.1:" + port), clock);

        DeliveryOutcome outcome = client.send(DEVICE_TOKEN, notification(), UUID.randomUUID().toString());

        assertEquals(Status.TEMPORARY_FAILURE, outcome.status(), outcome.detail());
        assertTrue(outcome.detail().contains("Connecting to the APNs gateway failed"), outcome.detail());
    }

    @Test
    void silentTlsHandshakeIsTemporary() throws Exception {
        List<Socket> accepted = new ArrayList<>();
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(server.accept());
                    }
                } catch (Exception e) {
                    // The server socket was closed at the end of the test.
                }
            });
            acceptor.start();
            ApnsClient client = new ApnsClient(config.withGatewayUrl("https://127.0.0.1:" + server.getLocalPort())
                    .withTimeouts(Duration.ofMillis(300), Duration.ofMillis(600)), clock);

            long started = System.nanoTime();
            DeliveryOutcome outcome = client.send(DEVICE_TOKEN, notification(), UUID.randomUUID().toString());
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

            assertEquals(Status.TEMPORARY_FAILURE, outcome.status(), outcome.detail());
            // The HTTP client of JDK 17 counts the TLS handshake as part of connecting.
            assertTrue(outcome.detail().contains("Connecting to the APNs gateway timed out after 300 ms"),
                    outcome.detail());
            assertTrue(elapsed.compareTo(Duration.ofSeconds(3)) < 0, "returned after " + elapsed);
        } finally {
            for (Socket socket : accepted) {
                socket.close();
            }
        }
    }

    @Test
    void untrustedGatewayIsTemporary() {
        ApnsClient client = new ApnsClient(config.withTrustStore(Optional.empty(), Optional.empty()), clock);

        DeliveryOutcome outcome = client.send(DEVICE_TOKEN, notification(), UUID.randomUUID().toString());

        assertEquals(Status.TEMPORARY_FAILURE, outcome.status(), outcome.detail());
        assertTrue(gateway.requests().isEmpty());
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = { "", "abc", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde",
            "g123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef/../x",
            "0123456789abcdef0123456789abcdef 0123456789abcdef0123456789abcdef" })
    void invalidDeviceTokenIsPermanentWithoutRequest(String deviceToken) {
        ApnsClient client = new ApnsClient(config, clock);

        DeliveryOutcome outcome = client.send(deviceToken, notification(), UUID.randomUUID().toString());

        assertEquals(Status.PERMANENT_FAILURE, outcome.status(), outcome.detail());
        assertTrue(outcome.detail().contains("device token"), outcome.detail());
        assertTrue(gateway.requests().isEmpty());
    }

    @Test
    void deviceTokenLengthLimitsAreInclusive() {
        ApnsClient client = new ApnsClient(config, clock);

        DeliveryOutcome shortest = client.send("a".repeat(64), notification(), UUID.randomUUID().toString());
        DeliveryOutcome longest = client.send("B".repeat(200), notification(), UUID.randomUUID().toString());
        DeliveryOutcome tooLong = client.send("c".repeat(201), notification(), UUID.randomUUID().toString());

        assertEquals(Status.SENT, shortest.status(), shortest.detail());
        assertEquals(Status.SENT, longest.status(), longest.detail());
        assertEquals(Status.PERMANENT_FAILURE, tooLong.status(), tooLong.detail());
        assertEquals(2, gateway.requests().size());
    }

    @Test
    void oversizedPayloadIsPermanentWithoutRequest() {
        ApnsClient client = new ApnsClient(config, clock);
        ApnsNotification notification = new ApnsNotification("Title", "x".repeat(ApnsClient.MAX_PAYLOAD_BYTES), null,
                null, null);

        DeliveryOutcome outcome = client.send(DEVICE_TOKEN, notification, UUID.randomUUID().toString());

        assertEquals(Status.PERMANENT_FAILURE, outcome.status(), outcome.detail());
        assertTrue(outcome.detail().contains("payload"), outcome.detail());
        assertTrue(gateway.requests().isEmpty());
    }

    @Test
    void invalidApnsIdIsRejected() {
        ApnsClient client = new ApnsClient(config, clock);

        assertThrows(IllegalArgumentException.class, () -> client.send(DEVICE_TOKEN, notification(), "push-1"));
        assertThrows(IllegalArgumentException.class, () -> client.send(DEVICE_TOKEN, notification(), "1-1-1-1-1"));
        assertThrows(NullPointerException.class, () -> client.send(DEVICE_TOKEN, notification(), null));
        assertTrue(gateway.requests().isEmpty());
    }

    @Test
    void missingSettingsAreTemporaryAndNamed() {
        TestPushConfig incomplete = config.withCredentials(Optional.empty(), Optional.of(" "), Optional.empty(),
                Optional.empty());

        List<DeliveryOutcome> outcomes = new ArrayList<>();
        int warnings;
        try (LogCapture logs = new LogCapture()) {
            ApnsClient client = new ApnsClient(incomplete, clock);
            for (int i = 0; i < 3; i++) {
                outcomes.add(client.send(DEVICE_TOKEN, notification(), UUID.randomUUID().toString()));
            }
            warnings = logs.warnings().size();
        }

        for (DeliveryOutcome outcome : outcomes) {
            assertEquals(Status.TEMPORARY_FAILURE, outcome.status(), outcome.detail());
            assertTrue(outcome.detail().contains("smime.push.team-id"), outcome.detail());
            assertTrue(outcome.detail().contains("smime.push.key-id"), outcome.detail());
            assertTrue(outcome.detail().contains("smime.push.private-key-file or smime.push.private-key"),
                    outcome.detail());
        }
        assertEquals(1, warnings, "one warning for the client, none per send");
        assertTrue(gateway.requests().isEmpty());
    }

    @Test
    void unreadableKeyFileIsNamed() {
        Path missing = directory.resolve("missing.p8");
        ApnsClient client = new ApnsClient(config.withCredentials(Optional.of(TestPushConfig.TEAM_ID),
                Optional.of(TestPushConfig.KEY_ID), Optional.of(missing), Optional.empty()), clock);

        DeliveryOutcome outcome = client.send(DEVICE_TOKEN, notification(), UUID.randomUUID().toString());

        assertEquals(Status.TEMPORARY_FAILURE, outcome.status(), outcome.detail());
        assertTrue(outcome.detail().contains("smime.push.private-key-file " + missing + " cannot be read"),
                outcome.detail());
        assertFalse(outcome.detail().contains("smime.push.team-id"), outcome.detail());
        assertTrue(gateway.requests().isEmpty());
    }

    @Test
    void keyOnOtherCurveIsNamed() throws Exception {
        PushSigningKey p384 = PushSigningKey.generate("secp384r1");
        ApnsClient client = new ApnsClient(config.withCredentials(Optional.of(TestPushConfig.TEAM_ID),
                Optional.of(TestPushConfig.KEY_ID), Optional.empty(), Optional.of(p384.pem())), clock);

        DeliveryOutcome outcome = client.send(DEVICE_TOKEN, notification(), UUID.randomUUID().toString());

        assertEquals(Status.TEMPORARY_FAILURE, outcome.status(), outcome.detail());
        assertTrue(outcome.detail().contains("smime.push.private-key is unusable"), outcome.detail());
        assertTrue(outcome.detail().contains("must be an EC P-256 key"), outcome.detail());
        assertFalse(outcome.detail().contains(p384.base64Body().substring(0, 16)), outcome.detail());
    }

    @Test
    void bothKeySettingsAreRejected() {
        ApnsClient client = new ApnsClient(config.withCredentials(Optional.of(TestPushConfig.TEAM_ID),
                Optional.of(TestPushConfig.KEY_ID), Optional.of(keyFile), Optional.of(signingKey.pem())), clock);

        DeliveryOutcome outcome = client.send(DEVICE_TOKEN, notification(), UUID.randomUUID().toString());

        assertEquals(Status.TEMPORARY_FAILURE, outcome.status(), outcome.detail());
        assertTrue(outcome.detail().contains("Set only one of smime.push.private-key-file and smime.push.private-key"),
                outcome.detail());
    }

    @Test
    void inlineKeySigns() throws Exception {
        ApnsClient client = new ApnsClient(config.withCredentials(Optional.of(TestPushConfig.TEAM_ID),
                Optional.of(TestPushConfig.KEY_ID), Optional.empty(), Optional.of(signingKey.pem())), clock);

        DeliveryOutcome outcome = client.send(DEVICE_TOKEN, notification(), UUID.randomUUID().toString());

        assertEquals(Status.SENT, outcome.status(), outcome.detail());
        assertValidProviderToken(onlyRequest().headers().get("authorization").substring("bearer ".length()), NOW);
    }

    @ParameterizedTest
    @ValueSource(strings = { "http://127.0.0.1:8443", "127.0.0.1:8443", "https://", "https://127.0.0.1/?x=1" })
    void invalidGatewayUrlIsNamed(String url) {
        ApnsClient client = new ApnsClient(config.withGatewayUrl(url), clock);

        DeliveryOutcome outcome = client.send(DEVICE_TOKEN, notification(), UUID.randomUUID().toString());

        assertEquals(Status.TEMPORARY_FAILURE, outcome.status(), outcome.detail());
        assertTrue(outcome.detail().contains("smime.push.gateway-url must be an https URL"), outcome.detail());
    }

    @Test
    void gatewayUrlWithTrailingSlashWorks() {
        ApnsClient client = new ApnsClient(config.withGatewayUrl(gateway.url() + "/"), clock);

        DeliveryOutcome outcome = client.send(DEVICE_TOKEN, notification(), UUID.randomUUID().toString());

        assertEquals(Status.SENT, outcome.status(), outcome.detail());
        assertEquals("/3/device/" + DEVICE_TOKEN, onlyRequest().path());
    }

    @Test
    void trustStoreProblemsAreNamed() throws Exception {
        Path notPkcs12 = Files.writeString(directory.resolve("not-a-store.p12"), "text");
        ApnsClient wrongFile = new ApnsClient(config.withTrustStore(Optional.of(notPkcs12), Optional.of("x")), clock);
        ApnsClient wrongPassword = new ApnsClient(
                config.withTrustStore(Optional.of(gateway.trustStore()), Optional.of("wrong")), clock);

        DeliveryOutcome wrongFileOutcome = wrongFile.send(DEVICE_TOKEN, notification(), UUID.randomUUID().toString());
        DeliveryOutcome wrongPasswordOutcome = wrongPassword.send(DEVICE_TOKEN, notification(),
                UUID.randomUUID().toString());

        assertEquals(Status.TEMPORARY_FAILURE, wrongFileOutcome.status());
        assertTrue(wrongFileOutcome.detail().contains("smime.push.trust-store-file " + notPkcs12),
                wrongFileOutcome.detail());
        assertEquals(Status.TEMPORARY_FAILURE, wrongPasswordOutcome.status());
        assertTrue(wrongPasswordOutcome.detail().contains("smime.push.trust-store-file"), wrongPasswordOutcome.detail());
        assertTrue(gateway.requests().isEmpty());
    }

    @Test
    void nonPositiveTimeoutsAreNamed() {
        ApnsClient client = new ApnsClient(config.withTimeouts(Duration.ZERO, Duration.ofSeconds(-1)), clock);

        DeliveryOutcome outcome = client.send(DEVICE_TOKEN, notification(), UUID.randomUUID().toString());

        assertEquals(Status.TEMPORARY_FAILURE, outcome.status(), outcome.detail());
        assertTrue(outcome.detail().contains("smime.push.connect-timeout must be positive"), outcome.detail());
        assertTrue(outcome.detail().contains("smime.push.request-timeout must be positive"), outcome.detail());
    }

    @Test
    void disabledClientSendsNothing() {
        ApnsClient client = new ApnsClient(config.withEnabled(false), clock);

        DeliveryOutcome outcome = client.send(DEVICE_TOKEN, notification(), UUID.randomUUID().toString());

        assertEquals(Status.TEMPORARY_FAILURE, outcome.status(), outcome.detail());
        assertTrue(outcome.detail().contains("smime.push.enabled is false"), outcome.detail());
        assertTrue(gateway.requests().isEmpty());
    }

    @Test
    void logsAndDetailsContainNoSecrets() throws Exception {
        List<DeliveryOutcome> outcomes = new ArrayList<>();
        List<String> messages;
        try (LogCapture logs = new LogCapture()) {
            ApnsClient client = new ApnsClient(config.withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(300)), clock);
            List<PushGateway.Responder> responders = List.of(PushGateway::accept,
                    PushGateway.reject(410, "{\"reason\":\"Unregistered\"}", Map.of()),
                    PushGateway.reject(403, "{\"reason\":\"ExpiredProviderToken\"}", Map.of()),
                    PushGateway.reject(500, "{\"reason\":\"InternalServerError\"}", Map.of()),
                    request -> request.response().reset(),
                    request -> {
                    });
            for (PushGateway.Responder responder : responders) {
                gateway.respondWith(responder);
                outcomes.add(client.send(DEVICE_TOKEN, notification(), UUID.randomUUID().toString()));
            }
            ApnsClient closed = new ApnsClient(config.withGatewayUrl("https://127.0.0.1:1"), clock);
            outcomes.add(closed.send(DEVICE_TOKEN, notification(), UUID.randomUUID().toString()));
            messages = logs.messages();
        }

        Set<String> secrets = new HashSet<>();
        secrets.add(DEVICE_TOKEN);
        secrets.add(signingKey.base64Body().substring(0, 40));
        for (RecordedRequest request : gateway.requests()) {
            String jwt = request.headers().get("authorization").substring("bearer ".length());
            secrets.add(jwt);
            secrets.add(jwt.substring(jwt.lastIndexOf('.') + 1));
        }
        assertEquals(Set.of(Status.SENT, Status.PERMANENT_FAILURE, Status.TEMPORARY_FAILURE, Status.UNCERTAIN),
                Set.copyOf(outcomes.stream().map(DeliveryOutcome::status).toList()));
        assertFalse(messages.isEmpty());
        assertTrue(messages.stream().anyMatch(message -> message.contains(DEVICE_TOKEN.substring(0, 8) + "…")),
                String.join("\n", messages));
        for (String secret : secrets) {
            for (String message : messages) {
                assertFalse(message.contains(secret), "log line contains a secret: " + message.replace(secret, "<secret>"));
            }
            for (DeliveryOutcome outcome : outcomes) {
                assertFalse(outcome.detail().contains(secret),
                        "detail contains a secret: " + outcome.detail().replace(secret, "<secret>"));
            }
        }
    }

    private static ApnsNotification notification() {
        return new ApnsNotification("New e-mail certificate", "Open Company Portal", null, null,
                Map.of("smimePackageId", "42"));
    }

    private static RecordedRequest onlyRequest() {
        List<RecordedRequest> requests = gateway.requests();
        assertEquals(1, requests.size(), "requests received by the gateway");
        return requests.get(0);
    }

    /** Checks the ES256 signature with the test public key, and that header and claims are exactly APNs's. */
    private static void assertValidProviderToken(String token, Instant issuedAt) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setCompactSerialization(token);
        jws.setKey(signingKey.keyPair().getPublic());
        assertTrue(jws.verifySignature(), "ES256 signature verifies with the test public key");
        assertEquals("ES256", jws.getAlgorithmHeaderValue());
        assertEquals(TestPushConfig.KEY_ID, jws.getKeyIdHeaderValue());
        assertEquals(Set.of("alg", "kid"), fieldNames(JSON.readTree(jws.getHeaders().getFullHeaderAsJsonString())));

        JwtClaims claims = JwtClaims.parse(jws.getPayload());
        assertEquals(TestPushConfig.TEAM_ID, claims.getIssuer());
        assertEquals(issuedAt.getEpochSecond(), claims.getIssuedAt().getValue());
        assertEquals(Set.of("iss", "iat"), Set.copyOf(claims.getClaimNames()));
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
