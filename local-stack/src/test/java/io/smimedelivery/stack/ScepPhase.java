package io.smimedelivery.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.jboss.logging.Logger;

import io.smimedelivery.events.EventJson;
import io.smimedelivery.simulator.ScepCaCertificates;

/** The SCEP phase of {@link BenchmarkIT}, on the stack and users of its fan-out. */
final class ScepPhase {

    private static final Logger LOG = Logger.getLogger(ScepPhase.class);

    private ScepPhase() {
    }

    /**
     * Assigns a second policy that leaves signing to SCEP to the same group, waits for its packages, reads
     * the SCEP instructions from every device's package and sends all enrollments,
     * {@code -Dbenchmark.scepConcurrency} (default 32) at a time. Writes the results into {@code scep}.
     */
    static void measure(FaultStack stack, DeliveryDriver driver, Map<String, Supplier<Long>> processes, int fleetThreads,
            ObjectNode scep) throws Exception {
        String policyId = assignScepPolicy(stack, driver);
        int devices = driver.deviceCount();
        assertTrue(DeliveryDriver.await(() -> readyPackages(stack, policyId) >= devices, Duration.ofSeconds(120 + devices / 10),
                BenchmarkIT.POLL_INTERVAL),
                "every device has a READY package of the SCEP policy");
        ScepLoad load = new ScepLoad();
        List<byte[]> requests = prepareRequests(stack, driver, policyId, load, fleetThreads);

        int concurrency = Integer.getInteger("benchmark.scepConcurrency", 32);
        int warmUp = Math.min(Integer.getInteger("benchmark.scepWarmUp", 500), requests.size() / 4);
        if (warmUp > 0) {
            warmUp(stack, load, requests.subList(0, warmUp), concurrency, scep);
            requests = requests.subList(warmUp, requests.size());
        }
        double certificateCpu = ProcessStats.cpuSeconds(processes.get("certificate-service-1").get(), false);
        double postgresCpu = ProcessStats.groupCpuSeconds(processes.get("postgresql").get());
        LOG.infof("SCEP load: sending %d enrollments, %d at a time", requests.size(), concurrency);
        ScepLoad.Result run = load.run(URI.create(stack.url(FaultStack.CERTIFICATE) + "/scep"), requests, concurrency);
        scep.put("concurrency", concurrency).put("requests", run.requests()).put("succeeded", run.succeeded())
                .put("seconds", run.seconds()).put("enrollmentsPerSecond", run.succeeded() / run.seconds());
        BenchmarkIT.putPercentiles(scep.putObject("latencyMillis"), run.latencyMillis());
        scep.put("certificateServiceCpuSeconds",
                ProcessStats.cpuSeconds(processes.get("certificate-service-1").get(), false) - certificateCpu);
        scep.put("postgresqlCpuSeconds", ProcessStats.groupCpuSeconds(processes.get("postgresql").get()) - postgresCpu);
        assertEquals(run.requests(), run.succeeded(), "SCEP enrollments that returned a certificate");
    }

    /**
     * Sends {@code requests}, then sends them again until {@code -Dbenchmark.scepWarmUpSeconds} (default 60)
     * have passed, none of it measured. A repeated PKCSReq gets its certificate again, so the repeats use no
     * further challenges, and the server still decrypts each request and signs each CertRep with RSA. A
     * fresh JVM runs that arithmetic in the interpreter or in C1 code at first: with a warm-up of 250
     * requests, -XX:+PrintCompilation showed no lasting C2 compilation of BigInteger.oddModPow during the
     * measured enrollments.
     */
    private static void warmUp(FaultStack stack, ScepLoad load, List<byte[]> requests, int concurrency, ObjectNode scep)
            throws Exception {
        Duration minimum = Duration.ofSeconds(Integer.getInteger("benchmark.scepWarmUpSeconds", 60));
        LOG.infof("SCEP warm-up: sending %d enrollments, then repeating them for %d s, not measured", requests.size(),
                minimum.toSeconds());
        URI scepUrl = URI.create(stack.url(FaultStack.CERTIFICATE) + "/scep");
        long started = System.nanoTime();
        int sent = 0;
        do {
            ScepLoad.Result warm = load.run(scepUrl, requests, concurrency);
            assertEquals(warm.requests(), warm.succeeded(), "SCEP warm-up requests that returned a certificate");
            sent += warm.requests();
        } while (System.nanoTime() - started < minimum.toNanos());
        scep.put("warmUpEnrollments", requests.size()).put("warmUpRequests", sent)
                .put("warmUpSeconds", (System.nanoTime() - started) / 1e9);
    }

    /**
     * Uploads the SCEP CA as trusted root, creates a SCEP profile for RSA 2048 signing certificates and a
     * policy that uses it, and assigns the policy to the run's group. Returns the policy id.
     */
    private static String assignScepPolicy(FaultStack stack, DeliveryDriver driver) throws Exception {
        HttpResponse<byte[]> caResponse = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(stack.url(FaultStack.CERTIFICATE) + "/scep?operation=GetCACert")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        X509Certificate ca = ScepCaCertificates.read(caResponse.body()).ca();
        String caPem = "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, new byte[] { '\n' })
                .encodeToString(ca.getEncoded()) + "\n-----END CERTIFICATE-----\n";
        String scepRootId = driver.send("POST", FaultStack.POLICY, "/api/trusted-roots",
                Map.of("name", "Benchmark SCEP CA", "certificatePem", caPem)).path("id").asText();

        ObjectMapper json = EventJson.mapper();
        ObjectNode profile = json.createObjectNode().put("name", "Benchmark SCEP signing").put("certificateType", "user")
                .put("subjectNameFormat", "CN={{UserName}},E={{EmailAddress}}").put("keySize", 2048).put("validityMonths", 12)
                .put("renewalThresholdPercent", 20).put("rootProfileId", scepRootId);
        profile.putArray("subjectAlternativeNames").addObject().put("type", "EMAIL").put("value", "{{EmailAddress}}");
        profile.putArray("keyUsages").add("DIGITAL_SIGNATURE");
        profile.putArray("extendedKeyUsages").add("emailProtection");
        String profileId = driver.send("POST", FaultStack.POLICY, "/api/scep-profiles", profile).path("id").asText();

        ObjectNode policy = json.createObjectNode().put("name", "Benchmark SCEP signing policy").put("smimeEnabled", true)
                .put("deployCertificates", true).put("signingCertificateProfileType", "SCEP")
                .put("encryptionCertificateProfileType", "IMPORTED_PKCS").put("scepProfileId", profileId)
                .put("endUserNotification", "EMAIL").put("encryptAllMail", false).put("signAllMail", true);
        policy.putArray("trustedRootProfileIds").add(driver.trustedRootId()).add(scepRootId);
        String policyId = driver.send("POST", FaultStack.POLICY, "/api/policies", policy).path("id").asText();
        driver.send("PUT", FaultStack.POLICY, "/api/policies/" + policyId + "/assignments/" + driver.groupId(),
                Map.of("mode", "INCLUDE"));
        return policyId;
    }

    /** Downloads every device's package of the policy and builds its PKCSReq, {@code threads} devices at a time. */
    private static List<byte[]> prepareRequests(FaultStack stack, DeliveryDriver driver, String policyId, ScepLoad load,
            int threads) throws Exception {
        List<byte[]> requests = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (DeviceFleet fleet = new DeviceFleet(stack, policyId, driver::deviceKey, threads, false)) {
            List<Future<?>> downloads = new ArrayList<>();
            int index = 0;
            for (DeliveryDriver.User user : driver.users()) {
                for (String deviceId : user.deviceIds()) {
                    int requestIndex = index++;
                    downloads.add(pool.submit(() -> {
                        requests.add(load.prepare(fleet.open(deviceId).document().path("scep"), requestIndex));
                        return null;
                    }));
                }
            }
            for (Future<?> download : downloads) {
                download.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return requests;
    }

    private static int readyPackages(FaultStack stack, String policyId) {
        try (Connection connection = stack.database(FaultStack.CERTIFICATE);
                PreparedStatement query = connection.prepareStatement(
                        "SELECT count(*) FROM device_package WHERE policy_id = ? AND status = 'READY'")) {
            query.setString(1, policyId);
            try (ResultSet result = query.executeQuery()) {
                result.next();
                return result.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Counting the packages of policy " + policyId + " failed: " + e.getMessage(), e);
        }
    }
}
