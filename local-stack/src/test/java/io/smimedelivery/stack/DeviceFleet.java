package io.smimedelivery.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smimedelivery.certificate.packaging.PackageEnvelope;
import io.smimedelivery.deviceauth.DeviceAuthorization;
import io.smimedelivery.deviceauth.DeviceTokenSigner;
import io.smimedelivery.events.EventJson;

/**
 * Simulated devices that act as Company Portal does once the user was notified. Each lists its packages at
 * certificate-service and downloads the READY package of the policy. It decrypts the envelope with its
 * enrollment key and reports the manifest's thumbprints to device-service as installed. A poller finds
 * notified devices in device-service's {@code device_status} table every 500 ms.
 *
 * <p>The devices do not decrypt the PKCS#12 inside the package: a real device does that on its own CPU, and
 * here it would take the cores that the services are measured on.
 */
final class DeviceFleet implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DeviceFleet.class);
    private static final String PACKAGE_MEDIA_TYPE = "application/pkcs7-mime; smime-type=enveloped-data";
    private static final Duration POLL_INTERVAL = Duration.ofMillis(500);

    private final FaultStack stack;
    private final String policyId;
    private final Function<String, KeyPair> keys;
    private final ExecutorService pool;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = EventJson.mapper();
    private final Set<String> started = ConcurrentHashMap.newKeySet();
    private final Map<String, String> failures = new ConcurrentHashMap<>();
    private final AtomicInteger confirmed = new AtomicInteger();
    private final Thread poller;
    private volatile boolean running = true;

    /** A downloaded and decrypted package. */
    record OpenedPackage(String packageId, JsonNode document) {
    }

    /**
     * @param installNotified whether the devices install their packages once notified; without it, the fleet
     *     only downloads packages on request with {@link #open(String)}
     */
    DeviceFleet(FaultStack stack, String policyId, Function<String, KeyPair> keys, int threads, boolean installNotified) {
        this.stack = stack;
        this.policyId = policyId;
        this.keys = keys;
        this.pool = Executors.newFixedThreadPool(threads);
        this.poller = new Thread(this::poll, "device-fleet-poller");
        poller.setDaemon(true);
        if (installNotified) {
            poller.start();
        }
    }

    int confirmed() {
        return confirmed.get();
    }

    /** Device ids whose download or confirmation failed, with the error. */
    Map<String, String> failures() {
        return Map.copyOf(failures);
    }

    private void poll() {
        while (running) {
            try {
                for (String deviceId : notifiedDevices()) {
                    if (started.add(deviceId)) {
                        pool.submit(() -> install(deviceId));
                    }
                }
            } catch (SQLException | RuntimeException e) {
                LOG.warnf("Polling device-service for notified devices failed: %s", e.getMessage());
            }
            try {
                Thread.sleep(POLL_INTERVAL.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private List<String> notifiedDevices() throws SQLException {
        List<String> devices = new ArrayList<>();
        try (Connection connection = stack.database(FaultStack.DEVICE);
                PreparedStatement query = connection.prepareStatement(
                        "SELECT device_id FROM device_status WHERE policy_id = ? AND state = 'NOTIFIED'")) {
            query.setString(1, policyId);
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    devices.add(result.getString(1));
                }
            }
        }
        return devices;
    }

    /** Lists the device's packages, downloads the READY package of the fleet's policy and decrypts it. */
    OpenedPackage open(String deviceId) throws IOException, InterruptedException {
        DeviceTokenSigner signer = new DeviceTokenSigner(deviceId, keys.apply(deviceId).getPrivate());
        URI certificateService = stack.url(FaultStack.CERTIFICATE);
        JsonNode packages = json.readTree(get(certificateService + "/api/devices/" + deviceId + "/packages",
                "application/json", signer.sign(FaultStack.CERTIFICATE)));
        String packageId = null;
        for (JsonNode view : packages) {
            if (policyId.equals(view.path("policyId").asText()) && "READY".equals(view.path("status").asText())) {
                packageId = view.path("packageId").asText();
            }
        }
        if (packageId == null) {
            throw new IllegalStateException("no READY package of policy " + policyId + " in " + packages.size() + " listed");
        }
        byte[] envelope = get(certificateService + "/api/devices/" + deviceId + "/packages/" + packageId,
                PACKAGE_MEDIA_TYPE, signer.sign(FaultStack.CERTIFICATE));
        return new OpenedPackage(packageId, json.readTree(PackageEnvelope.open(envelope, keys.apply(deviceId).getPrivate())));
    }

    private void install(String deviceId) {
        try {
            DeviceTokenSigner signer = new DeviceTokenSigner(deviceId, keys.apply(deviceId).getPrivate());
            OpenedPackage opened = open(deviceId);
            String packageId = opened.packageId();
            JsonNode document = opened.document();
            Set<String> thumbprints = new LinkedHashSet<>();
            for (JsonNode certificate : document.path("certificates")) {
                thumbprints.add(certificate.path("thumbprintSha256").asText());
            }
            byte[] report = json.writeValueAsBytes(Map.of("packageId", packageId, "thumbprints", List.copyOf(thumbprints)));
            HttpRequest confirm = HttpRequest.newBuilder(URI.create(stack.url(FaultStack.DEVICE) + "/api/devices/" + deviceId
                    + "/installations")).timeout(Duration.ofSeconds(60))
                    .header("Authorization", DeviceAuthorization.header(signer.sign(FaultStack.DEVICE)))
                    .header("Content-Type", "application/json").header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(report)).build();
            HttpResponse<byte[]> response = http.send(confirm, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() >= 400) {
                throw new IllegalStateException("installation report returned HTTP " + response.statusCode() + ": "
                        + new String(response.body(), StandardCharsets.UTF_8));
            }
            confirmed.incrementAndGet();
        } catch (IOException | RuntimeException e) {
            failures.put(deviceId, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            LOG.warnf("Simulated device %s failed to install its package: %s", deviceId, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private byte[] get(String url, String accept, String token) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Authorization", DeviceAuthorization.header(token)).header("Accept", accept).GET().build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() >= 400) {
            throw new IllegalStateException("GET " + url + " returned HTTP " + response.statusCode() + ": "
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
        return response.body();
    }

    @Override
    public void close() {
        running = false;
        poller.interrupt();
        pool.shutdownNow();
    }
}
