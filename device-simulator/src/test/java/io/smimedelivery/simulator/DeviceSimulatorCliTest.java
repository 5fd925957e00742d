package io.smimedelivery.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.smimedelivery.deviceauth.DeviceAuthorization;
import io.smimedelivery.deviceauth.DevicePublicKeys;
import io.smimedelivery.deviceauth.DeviceTokenException;
import io.smimedelivery.deviceauth.DeviceTokenVerifier;
import io.smimedelivery.deviceauth.InMemoryNonceStore;
import io.smimedelivery.deviceauth.NonceStore;
import io.smimedelivery.events.EventJson;
import io.smimedelivery.simulator.TestPackages.Encoding;
import io.smimedelivery.simulator.TestPackages.Material;

/**
 * Runs the commands against three HTTP servers on 127.0.0.1 that play device-service,
 * certificate-service and notification-service for one device with one package.
 */
class DeviceSimulatorCliTest {

    private static final String DEVICE_ID = "iphone-mario-1";
    private static final String USER_ID = "u-1001";
    private static final String POLICY_ID = "pol-1";
    private static final String PACKAGE_ID = "0b6e4f0e-9a43-4f58-8d57-6a2f1d0c9e11";
    private static final Pattern PUSH_TOKEN = Pattern.compile("[0-9a-f]{128}");

    private static Material material;

    private final ObjectMapper json = EventJson.mapper();
    private final DeviceTokenVerifier verifier = DeviceTokenVerifier.withDefaults();
    private final NonceStore nonces = new InMemoryNonceStore();
    private final List<String> serverErrors = Collections.synchronizedList(new ArrayList<>());
    private final List<String> verifiedAudiences = Collections.synchronizedList(new ArrayList<>());
    private final List<HttpServer> servers = new ArrayList<>();

    private volatile JsonNode enrollment;
    private volatile PublicKey enrolledKey;
    private volatile JsonNode installationReport;
    private volatile boolean downloadFails;

    private String deviceServiceUrl;
    private String certificateServiceUrl;
    private String notificationServiceUrl;

    @TempDir
    Path stateDir;

    @BeforeAll
    static void createCertificates() throws Exception {
        material = TestPackages.material();
    }

    @BeforeEach
    void startServers() throws IOException {
        HttpServer devices = server();
        devices.createContext("/api/devices", this::deviceService);
        devices.createContext("/landing", exchange -> respond(exchange, 200, "text/html", "<html></html>"));
        deviceServiceUrl = url(devices);

        HttpServer certificates = server();
        certificates.createContext("/api/devices", this::certificateService);
        certificateServiceUrl = url(certificates);

        HttpServer notifications = server();
        notifications.createContext("/api/devices", this::notificationService);
        notificationServiceUrl = url(notifications);
    }

    @AfterEach
    void stopServers() {
        servers.forEach(server -> server.stop(0));
    }

    @Test
    void enrollAndSyncInstallPackage() throws Exception {
        Result enrolled = run("enroll", "--device-id", DEVICE_ID, "--user-id", USER_ID, "--state-dir", stateDir.toString(),
                "--device-service", deviceServiceUrl);
        assertEquals(0, enrolled.status(), enrolled.toString());

        assertNotNull(enrollment, "device-service received no enrollment");
        assertEquals(DEVICE_ID, enrollment.path("deviceId").asText());
        assertEquals(USER_ID, enrollment.path("userId").asText());
        assertEquals("iOS", enrollment.path("platform").asText());
        assertEquals("iPhone16,2", enrollment.path("model").asText());
        String pushToken = enrollment.path("pushToken").asText();
        assertTrue(PUSH_TOKEN.matcher(pushToken).matches(), "push token is not 64 bytes in hex");
        assertFalse(enrolled.output().contains(pushToken), "the output contains the whole push token");
        Path keyFile = stateDir.resolve(DEVICE_ID).resolve("device-key.pem");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
        assertEquals(2048, ((java.security.interfaces.RSAPublicKey) enrolledKey).getModulus().bitLength());

        Result synced = sync();
        assertEquals(0, synced.status(), synced.toString());
        assertTrue(synced.output().contains("state INSTALLED"), synced.output());
        assertTrue(synced.output().contains("Landing page: " + deviceServiceUrl + "/landing/" + DEVICE_ID), synced.output());
        assertTrue(synced.output().contains("Certificati pronti"), synced.output());

        assertEquals(List.of(), serverErrors);
        assertEquals(Set.of("notification-service", "certificate-service", "device-service"), new HashSet<>(verifiedAudiences));
        assertNotNull(installationReport, "device-service received no installation report");
        assertEquals(PACKAGE_ID, installationReport.path("packageId").asText());
        Set<String> reported = new HashSet<>();
        installationReport.path("thumbprints").forEach(thumbprint -> reported.add(thumbprint.asText()));
        assertEquals(new HashSet<>(material.thumbprints()), reported);

        Path installed = stateDir.resolve(DEVICE_ID).resolve("installed").resolve(POLICY_ID);
        assertTrue(Files.isRegularFile(installed.resolve("manifest.json")));
        assertTrue(Files.isRegularFile(installed.resolve("app-config.json")));
        String encryptionThumbprint = PackageOpener.thumbprint(material.credentials().get(0).certificate());
        Path encryptionKey = installed.resolve("encryption-" + encryptionThumbprint.substring(0, 8) + ".key.pem");
        PackageOpenerTest.openssl("pkey", "-in", encryptionKey.toString(), "-noout");
    }

    @Test
    void syncReportsProblemOfFailedDownload() throws Exception {
        assertEquals(0, run("enroll", "--device-id", DEVICE_ID, "--user-id", USER_ID, "--state-dir", stateDir.toString(),
                "--device-service", deviceServiceUrl).status());
        downloadFails = true;

        Result synced = sync();

        assertEquals(1, synced.status(), synced.toString());
        assertTrue(synced.output().contains("HTTP 409"), synced.output());
        assertTrue(synced.output().contains("Package not built: No package could be built (NO_SIGNING_CERTIFICATE)"),
                synced.output());
        assertTrue(synced.errors().contains("sync did not install and confirm every package (1 problem)"), synced.errors());
        assertEquals(null, installationReport);
    }

    @Test
    void syncWithoutEnrollmentFails() {
        Result synced = sync();

        assertEquals(1, synced.status(), synced.toString());
        assertTrue(synced.errors().contains("Enroll it first"), synced.errors());
    }

    @Test
    void statusPrintsPolicies() {
        Result status = run("status", "--device-id", DEVICE_ID, "--device-service", deviceServiceUrl);

        assertEquals(0, status.status(), status.toString());
        assertTrue(status.output().contains("policy pol-1 version 2: READY, package " + PACKAGE_ID), status.output());
    }

    @Test
    void invalidArgumentsExitWithUsageStatus() {
        assertEquals(2, run().status());
        assertEquals(2, run("install").status());
        assertEquals(2, run("sync").status());
        assertEquals(2, run("sync", "--device-id").status());
        assertEquals(2, run("sync", "--device-id", "../etc").status());
        assertEquals(2, run("enroll", "--device-id", DEVICE_ID).status());
        assertEquals(2, run("status", "--device-id", DEVICE_ID, "--colour", "red").status());
        assertEquals(2, run("status", "--device-id", DEVICE_ID, "--device-service", "ftp://127.0.0.1").status());

        Result unknown = run("status", "--device-id", DEVICE_ID, "--colour", "red");
        assertTrue(unknown.errors().contains("Unknown option --colour"), unknown.errors());
    }

    @Test
    void helpExitsWithSuccess() {
        for (String command : List.of("enroll", "sync", "status")) {
            Result help = run(command, "--help");
            assertEquals(0, help.status(), command);
            assertTrue(help.output().startsWith("Usage: device-simulator " + command), help.output());
        }
        assertEquals(0, run("--help").status());
    }

    private Result sync() {
        return run("sync", "--device-id", DEVICE_ID, "--state-dir", stateDir.toString(),
                "--device-service", deviceServiceUrl, "--certificate-service", certificateServiceUrl,
                "--notification-service", notificationServiceUrl);
    }

    private void deviceService(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        if (method.equals("POST") && path.equals("/api/devices")) {
            JsonNode request = json.readTree(exchange.getRequestBody());
            try {
                enrolledKey = DevicePublicKeys.fromPem(request.path("devicePublicKeyPem").asText());
            } catch (IllegalArgumentException e) {
                serverErrors.add("enrollment key: " + e.getMessage());
                problem(exchange, 400, "Invalid field", e.getMessage());
                return;
            }
            enrollment = request;
            respond(exchange, 201, "application/json", json.createObjectNode()
                    .put("deviceId", request.path("deviceId").asText())
                    .put("platform", request.path("platform").asText())
                    .put("osVersion", request.path("osVersion").asText())
                    .put("model", request.path("model").asText())
                    .put("managementState", "MANAGED")
                    .put("pushTokenPresent", true).toString());
        } else if (method.equals("POST") && path.equals("/api/devices/" + DEVICE_ID + "/installations")) {
            if (authenticated(exchange, "device-service")) {
                installationReport = json.readTree(exchange.getRequestBody());
                respond(exchange, 200, "application/json", storedStatus("INSTALLED").toString());
            }
        } else if (method.equals("GET") && path.equals("/api/devices/" + DEVICE_ID + "/status")) {
            String state = installationReport == null ? "READY" : "INSTALLED";
            var status = json.createObjectNode().put("deviceId", DEVICE_ID);
            status.putArray("policies").add(storedStatus(state));
            status.putArray("transitions").addObject().put("policyId", POLICY_ID).put("policyVersion", 2)
                    .put("fromState", "PENDING").put("toState", "READY").put("changedAt", "2026-01-01T10:00:00Z");
            respond(exchange, 200, "application/json", status.toString());
        } else {
            problem(exchange, 404, "Not Found", "No route for " + method + " " + path);
        }
    }

    private void certificateService(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String packages = "/api/devices/" + DEVICE_ID + "/packages";
        if (!authenticated(exchange, "certificate-service")) {
            return;
        }
        if (path.equals(packages)) {
            var list = json.createArrayNode();
            list.addObject().put("packageId", PACKAGE_ID).put("policyId", POLICY_ID).put("policyVersion", 2)
                    .put("status", "READY").put("downloadPath", packages + "/" + PACKAGE_ID);
            respond(exchange, 200, "application/json", list.toString());
        } else if (path.equals(packages + "/" + PACKAGE_ID)) {
            if (downloadFails) {
                problem(exchange, 409, "Package not built",
                        "No package could be built (NO_SIGNING_CERTIFICATE): no valid signing certificate");
                return;
            }
            try {
                byte[] envelope = TestPackages.envelope(
                        TestPackages.document(material, Encoding.AES256, PACKAGE_ID, DEVICE_ID, POLICY_ID), enrolledKey);
                exchange.getResponseHeaders().set("Content-Type", "application/pkcs7-mime; smime-type=enveloped-data");
                exchange.sendResponseHeaders(200, envelope.length);
                exchange.getResponseBody().write(envelope);
                exchange.close();
            } catch (Exception e) {
                serverErrors.add("building the package: " + e);
                problem(exchange, 500, "Internal Server Error", e.toString());
            }
        } else {
            problem(exchange, 404, "Not Found", "No route for " + path);
        }
    }

    private void notificationService(HttpExchange exchange) throws IOException {
        if (!authenticated(exchange, "notification-service")) {
            return;
        }
        var entries = json.createArrayNode();
        entries.addObject().put("id", "5e0b9a8c-1d2e-4f3a-8b7c-6d5e4f3a2b1c").put("title", "Certificati pronti")
                .put("body", "Apri Company Portal").put("createdAt", "2026-01-01T10:00:00Z").put("read", false);
        respond(exchange, 200, "application/json", entries.toString());
    }

    /** Verifies the device token; on failure records the reason and responds with 401. */
    private boolean authenticated(HttpExchange exchange, String audience) throws IOException {
        Optional<String> token = DeviceAuthorization.token(exchange.getRequestHeaders().getFirst("Authorization"));
        if (token.isEmpty()) {
            serverErrors.add(audience + ": request without a device token");
            problem(exchange, 401, "Unauthorized", "Send Authorization: Device <token>");
            return false;
        }
        try {
            verifier.verify(token.get(), audience,
                    deviceId -> DEVICE_ID.equals(deviceId) ? Optional.ofNullable(enrolledKey) : Optional.empty(), nonces);
            verifiedAudiences.add(audience);
            return true;
        } catch (DeviceTokenException e) {
            serverErrors.add(audience + ": " + e.reason() + " " + e.getMessage());
            problem(exchange, 401, "Unauthorized", e.getMessage());
            return false;
        }
    }

    private JsonNode storedStatus(String state) {
        return json.createObjectNode().put("deviceId", DEVICE_ID).put("policyId", POLICY_ID).put("state", state)
                .put("policyVersion", 2).put("packageId", PACKAGE_ID);
    }

    private HttpServer server() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.start();
        servers.add(server);
        return server;
    }

    private static String url(HttpServer server) {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static void problem(HttpExchange exchange, int status, String title, String detail) throws IOException {
        String body = EventJson.mapper().createObjectNode().put("type", "about:blank").put("title", title)
                .put("status", status).put("detail", detail).toString();
        respond(exchange, status, "application/problem+json", body);
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new DeviceSimulator(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private record Result(int status, String output, String errors) {
    }
}
