package io.smimedelivery.stack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smimedelivery.events.EventJson;
import io.smimedelivery.infra.PushGateway;

/**
 * Builds one large delivery through the services' APIs and checks its outcome exactly. Each driver works
 * on its own run id, so several drivers can use one stack one after another: users
 * {@code <run>-u00001}, their addresses {@code u00001.<run>@example.org}, devices {@code <run>-d00001}.
 * Users are in the run's e-mail group, whose policy notifies by e-mail. With portal users, the
 * even-numbered users are in its Company Portal group instead, whose policy notifies through the Company
 * Portal list and a push to each device. Their devices enroll with an APNs token.
 *
 * <p>Every user gets an S/MIME certificate of their own, signed by a test CA that this driver makes. The
 * certificates share a few RSA key pairs, because key generation would dominate the set-up of thousands of
 * users; the import checks certificates and addresses, not key reuse across users.
 */
final class DeliveryDriver {

    private static final Logger LOG = Logger.getLogger(DeliveryDriver.class);
    private static final int USER_KEYS = 4;
    private static final int IMPORT_BATCH = 200;
    private static final int DIRECTORY_BATCH = 1000;
    private static final int REPORT_PAGE = 500;
    private static final String PKCS12_PASSWORD = "fault-test";
    /** Users per import request with certificate histories: 4 files each, within the 500 files per request. */
    private static final int HISTORY_IMPORT_BATCH = 120;
    private static final int SETUP_THREADS = 4;

    static {
        // Lower PKCS#12 work factors keep the set-up of thousands of files short; the import reads any count.
        System.setProperty("keystore.pkcs12.keyPbeIterationCount", "2048");
        System.setProperty("keystore.pkcs12.certPbeIterationCount", "2048");
        System.setProperty("keystore.pkcs12.macIterationCount", "2048");
    }

    /** One directory user of the run with the ids of their devices; portal users are notified through Company Portal. */
    record User(String id, String email, List<String> deviceIds, boolean portal) {
    }

    /** The stored outcome of every device of the run, read after the run settled. */
    record Outcome(Map<String, JsonNode> deviceRows, Map<String, Integer> packagesByStatus,
            Map<String, Integer> emailsByRecipient, Map<String, String> emailDeliveryByUser,
            Map<String, String> pushDeliveryByDevice, Map<String, Integer> pushesByDevice,
            Map<String, Integer> listEntriesByUser) {

        long devicesIn(String state) {
            return deviceRows.values().stream().filter(row -> state.equals(row.path("state").asText())).count();
        }
    }

    private final FaultStack stack;
    private final String runId;
    private final List<User> users = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = EventJson.mapper();
    private final SecureRandom random = new SecureRandom();
    private final Map<String, String> pushTokens = new HashMap<>();
    private final Map<String, KeyPair> deviceKeys = new ConcurrentHashMap<>();
    private boolean certificateHistory;
    private String policyId;
    private String portalPolicyId;
    private String trustedRootId;

    DeliveryDriver(FaultStack stack, String runId, int userCount, int devicesPerUser) {
        this(stack, runId, userCount, devicesPerUser, false);
    }

    /** With {@code portalUsers}, the even-numbered users get the Company Portal policy; otherwise every user gets e-mail. */
    DeliveryDriver(FaultStack stack, String runId, int userCount, int devicesPerUser, boolean portalUsers) {
        this.stack = stack;
        this.runId = runId;
        for (int u = 1; u <= userCount; u++) {
            List<String> devices = new ArrayList<>();
            for (int d = 1; d <= devicesPerUser; d++) {
                devices.add(String.format("%s-d%05d", runId, (u - 1) * devicesPerUser + d));
            }
            boolean portal = portalUsers && u % 2 == 0;
            users.add(new User(String.format("%s-u%05d", runId, u), String.format("u%05d.%s@example.org", u, runId), devices,
                    portal));
            if (portal) {
                devices.forEach(device -> pushTokens.put(device, HexFormat.of().formatHex(randomBytes(32))));
            }
        }
    }

    List<User> users() {
        return users;
    }

    /** Returns the users notified by e-mail. */
    List<User> emailUsers() {
        return users.stream().filter(user -> !user.portal()).toList();
    }

    /**
     * Gives every user an encryption history in place of the one certificate of purpose UNASSIGNED: two
     * expired encryption certificates, one current encryption certificate and one current signing
     * certificate, each imported as a PKCS#12 file of its own. Call before {@link #setUp()}.
     */
    DeliveryDriver withCertificateHistory() {
        this.certificateHistory = true;
        return this;
    }

    /** Returns the EC P-256 key pair that {@link #setUp()} enrolled for the device. */
    KeyPair deviceKey(String deviceId) {
        KeyPair keys = deviceKeys.get(deviceId);
        if (keys == null) {
            throw new IllegalArgumentException("Device " + deviceId + " is not enrolled by run " + runId);
        }
        return keys;
    }

    int deviceCount() {
        return users.stream().mapToInt(user -> user.deviceIds().size()).sum();
    }

    String policyId() {
        return policyId;
    }

    /** Returns the id of the trusted root profile of the run's test CA, set by {@link #setUp()}. */
    String trustedRootId() {
        return trustedRootId;
    }

    /** Returns the id of the run's group, which {@link #setUp()} creates with every user. */
    String groupId() {
        return runId + "-group";
    }

    /**
     * Imports the users, their certificates and the group, uploads the CA as trusted root, creates the
     * e-mail policy and enrolls every device. Nothing is assigned yet, so nothing is delivered.
     */
    void setUp() {
        Instant started = Instant.now();
        Pki pki = new Pki();
        importUsers();
        String group = runId + "-group";
        String portalGroup = runId + "-portal";
        send("PUT", FaultStack.POLICY, "/api/directory/groups/" + group, Map.of("displayName", "Fault test " + runId));
        if (!pushTokens.isEmpty()) {
            send("PUT", FaultStack.POLICY, "/api/directory/groups/" + portalGroup,
                    Map.of("displayName", "Fault test Company Portal " + runId));
        }
        for (int from = 0; from < users.size(); from += DIRECTORY_BATCH) {
            ArrayNode rows = json.createArrayNode();
            for (User user : users.subList(from, Math.min(users.size(), from + DIRECTORY_BATCH))) {
                rows.addObject().put("groupId", user.portal() ? portalGroup : group).put("userId", user.id())
                        .put("action", "ADD");
            }
            JsonNode result = send("POST", FaultStack.POLICY, "/api/directory/memberships/import", rows);
            requireNoneRejected("membership import", result);
        }
        if (certificateHistory) {
            importCertificateHistories(pki);
        } else {
            importCertificates(pki);
        }
        JsonNode root = send("POST", FaultStack.POLICY, "/api/trusted-roots",
                Map.of("name", "Fault test CA " + runId, "certificatePem", pem(pki.caCertificate)));
        ObjectNode policy = json.createObjectNode()
                .put("name", "Fault test e-mail policy " + runId).put("smimeEnabled", true).put("deployCertificates", true)
                .put("signingCertificateProfileType", "IMPORTED_PKCS").put("encryptionCertificateProfileType", "IMPORTED_PKCS")
                .put("endUserNotification", "EMAIL").put("encryptAllMail", false).put("signAllMail", true);
        trustedRootId = root.path("id").asText();
        policy.putArray("trustedRootProfileIds").add(trustedRootId);
        policyId = send("POST", FaultStack.POLICY, "/api/policies", policy).path("id").asText();
        if (!pushTokens.isEmpty()) {
            policy.put("name", "Fault test Company Portal policy " + runId).put("endUserNotification", "COMPANY_PORTAL");
            portalPolicyId = send("POST", FaultStack.POLICY, "/api/policies", policy).path("id").asText();
        }
        enrollDevices();
        LOG.infof("Run %s: set up %d users and %d devices in %d s", runId, users.size(), deviceCount(),
                Duration.between(started, Instant.now()).toSeconds());
    }

    /** Assigns the run's policies to their groups, which starts the fan-out. */
    void assign() {
        send("PUT", FaultStack.POLICY, "/api/policies/" + policyId + "/assignments/" + runId + "-group",
                Map.of("mode", "INCLUDE"));
        if (portalPolicyId != null) {
            send("PUT", FaultStack.POLICY, "/api/policies/" + portalPolicyId + "/assignments/" + runId + "-portal",
                    Map.of("mode", "INCLUDE"));
        }
    }

    /** Returns the number of packages certificate-service has built for the run's policy so far. */
    int packagesBuilt() {
        return packagesByStatus().values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Returns the number of e-mails GreenMail has received for the run's users so far. */
    int emailsReceived() {
        return emailsByRecipient().values().stream().mapToInt(Integer::intValue).sum();
    }

    /**
     * Waits until every device of the run has a settled retrieval state (NOTIFIED or FAILED) in
     * device-service and no e-mail delivery of the run is still open, then reads the outcome.
     */
    Outcome awaitSettled(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        Map<String, JsonNode> rows = Map.of();
        while (Instant.now().isBefore(deadline)) {
            try {
                rows = deviceRows();
                long settled = rows.values().stream()
                        .filter(row -> List.of("NOTIFIED", "FAILED").contains(row.path("state").asText())).count();
                if (settled == deviceCount() && openEmailDeliveries() == 0 && openPushDeliveries() == 0) {
                    // E-mails and pushes arrive before their delivery is marked SENT; the counts are final here.
                    return outcome(rows);
                }
            } catch (IllegalStateException e) {
                // A service may be restarting; try again.
                LOG.debugf("Reading the outcome failed: %s", e.getMessage());
            }
            FaultStack.sleep(Duration.ofSeconds(1));
        }
        return outcome(rows);
    }

    private Outcome outcome(Map<String, JsonNode> rows) {
        return new Outcome(rows, packagesByStatus(), emailsByRecipient(), emailDeliveryByUser(), pushDeliveryByDevice(),
                pushesByDevice(), listEntriesByUser());
    }

    /** Waits until {@code condition} holds, polling every 50 ms; returns whether it held before the timeout. */
    static boolean await(BooleanSupplier condition, Duration timeout) {
        return await(condition, timeout, Duration.ofMillis(50));
    }

    /** Waits until {@code condition} holds, polling every {@code interval}; returns whether it held before the timeout. */
    static boolean await(BooleanSupplier condition, Duration timeout, Duration interval) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (condition.getAsBoolean()) {
                return true;
            }
            FaultStack.sleep(interval);
        }
        return false;
    }

    private Map<String, JsonNode> deviceRows() {
        Map<String, JsonNode> rows = new TreeMap<>();
        for (String policy : policyIds()) {
            int offset = 0;
            while (true) {
                JsonNode page = send("GET", FaultStack.DEVICE, "/api/reports/policies/" + policy + "/devices?limit="
                        + REPORT_PAGE + "&offset=" + offset, null);
                for (JsonNode row : page.path("rows")) {
                    rows.put(row.path("deviceId").asText(), row);
                }
                offset += REPORT_PAGE;
                if (offset >= page.path("total").asLong()) {
                    break;
                }
            }
        }
        return rows;
    }

    Map<String, Integer> packagesByStatus() {
        Map<String, Integer> counts = new TreeMap<>();
        try (Connection connection = stack.database(FaultStack.CERTIFICATE);
                PreparedStatement query = connection.prepareStatement(
                        "SELECT status, count(*) FROM device_package WHERE policy_id IN (?, ?) GROUP BY status")) {
            query.setString(1, policyId);
            query.setString(2, portalPolicyId == null ? policyId : portalPolicyId);
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    counts.put(result.getString(1), result.getInt(2));
                }
            }
            return counts;
        } catch (SQLException e) {
            throw new IllegalStateException("Counting the packages of policy " + policyId + " failed: " + e.getMessage(), e);
        }
    }

    /** Returns the status of each user's e-mail delivery for the run's policy, from notification-service's tables. */
    Map<String, String> emailDeliveryByUser() {
        Map<String, String> statuses = new TreeMap<>();
        try (Connection connection = stack.database(FaultStack.NOTIFICATION);
                PreparedStatement query = connection.prepareStatement("SELECT n.user_id, d.status FROM notification n"
                        + " JOIN delivery d ON d.notification_id = n.id WHERE n.policy_id = ? AND d.channel = 'EMAIL'")) {
            query.setString(1, policyId);
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    String previous = statuses.put(result.getString(1), result.getString(2));
                    if (previous != null) {
                        statuses.put(result.getString(1), previous + "," + result.getString(2));
                    }
                }
            }
            return statuses;
        } catch (SQLException e) {
            throw new IllegalStateException("Reading the e-mail deliveries of policy " + policyId + " failed: "
                    + e.getMessage(), e);
        }
    }

    private long openEmailDeliveries() {
        Map<String, String> statuses = emailDeliveryByUser();
        return emailUsers().size() - statuses.values().stream().filter(DeliveryDriver::ended).count();
    }

    private long openPushDeliveries() {
        return pushTokens.size() - pushDeliveryByDevice().values().stream().filter(DeliveryDriver::ended).count();
    }

    private static boolean ended(String status) {
        return status.equals("SENT") || status.equals("UNCERTAIN") || status.equals("FAILED");
    }

    /** Returns the status of each portal device's push delivery, from notification-service's tables. */
    Map<String, String> pushDeliveryByDevice() {
        Map<String, String> statuses = new TreeMap<>();
        for (String[] row : notificationRows("SELECT d.device_id, d.status FROM notification n JOIN delivery d"
                + " ON d.notification_id = n.id WHERE n.policy_id = ? AND d.channel = 'PUSH'")) {
            statuses.merge(row[0], row[1], (first, second) -> first + "," + second);
        }
        return statuses;
    }

    /** Returns the number of Company Portal list entries of each portal user for the run's policy. */
    Map<String, Integer> listEntriesByUser() {
        Map<String, Integer> counts = new TreeMap<>();
        for (String[] row : notificationRows("SELECT n.user_id, d.status FROM notification n JOIN delivery d"
                + " ON d.notification_id = n.id WHERE n.policy_id = ? AND d.channel = 'NOTIFICATION_LIST'")) {
            counts.merge(row[0], 1, Integer::sum);
        }
        return counts;
    }

    private List<String> policyIds() {
        return portalPolicyId == null ? List.of(policyId) : List.of(policyId, portalPolicyId);
    }

    private List<String[]> notificationRows(String sql) {
        if (portalPolicyId == null) {
            return List.of();
        }
        try (Connection connection = stack.database(FaultStack.NOTIFICATION);
                PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, portalPolicyId);
            List<String[]> rows = new ArrayList<>();
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    rows.add(new String[] { result.getString(1), result.getString(2) });
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("Reading the deliveries of policy " + portalPolicyId + " failed: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Describes up to {@code limit} e-mail and push deliveries of the run that did not end SENT, with each
     * of their attempts, so that a failed check shows how they ended.
     */
    List<String> unsentDeliveries(int limit) {
        List<String> lines = new ArrayList<>();
        try (Connection connection = stack.database(FaultStack.NOTIFICATION);
                PreparedStatement query = connection.prepareStatement("""
                        SELECT d.channel, n.user_id, d.device_id, d.status, d.reason_code, d.created_at, d.finished_at,
                               a.attempt, a.started_at, a.finished_at, a.outcome, a.detail
                        FROM notification n JOIN delivery d ON d.notification_id = n.id
                        LEFT JOIN delivery_attempt a ON a.delivery_id = d.id
                        WHERE n.policy_id IN (?, ?) AND d.status <> 'SENT' AND d.channel <> 'NOTIFICATION_LIST'
                        ORDER BY d.created_at, a.attempt LIMIT ?
                        """)) {
            query.setString(1, policyId);
            query.setString(2, portalPolicyId == null ? policyId : portalPolicyId);
            query.setInt(3, limit);
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    lines.add(String.format("%s %s %s %s %s created %s finished %s; attempt %s %s..%s %s: %s",
                            result.getString(1), result.getString(2), result.getString(3), result.getString(4),
                            result.getString(5), result.getTimestamp(6), result.getTimestamp(7), result.getString(8),
                            result.getTimestamp(9), result.getTimestamp(10), result.getString(11), result.getString(12)));
                }
            }
            return lines;
        } catch (SQLException e) {
            return List.of("Reading the unsent deliveries failed: " + e.getMessage());
        }
    }

    /** Returns the number of pushes the push gateway received for each portal device of the run. */
    Map<String, Integer> pushesByDevice() {
        Map<String, String> deviceByToken = new HashMap<>();
        pushTokens.forEach((device, token) -> deviceByToken.put(token, device));
        Map<String, Integer> counts = new TreeMap<>();
        for (PushGateway.RecordedRequest request : stack.pushGateway().requests()) {
            String token = request.path().substring(request.path().lastIndexOf('/') + 1);
            String device = deviceByToken.get(token);
            if (device != null) {
                counts.merge(device, 1, Integer::sum);
            }
        }
        return counts;
    }

    /** Returns the APNs token a portal device enrolled with, or null for a device of an e-mail user. */
    String pushToken(String deviceId) {
        return pushTokens.get(deviceId);
    }

    private byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    Map<String, Integer> emailsByRecipient() {
        Map<String, Integer> counts = new HashMap<>();
        String suffix = "." + runId + "@example.org";
        for (MimeMessage message : stack.smtp().receivedMessages()) {
            try {
                for (Address recipient : message.getAllRecipients()) {
                    String address = recipient.toString();
                    if (address.endsWith(suffix)) {
                        counts.merge(address, 1, Integer::sum);
                    }
                }
            } catch (MessagingException e) {
                throw new IllegalStateException("Reading a received e-mail failed: " + e.getMessage(), e);
            }
        }
        return counts;
    }

    private void importUsers() {
        for (int from = 0; from < users.size(); from += DIRECTORY_BATCH) {
            ArrayNode rows = json.createArrayNode();
            for (User user : users.subList(from, Math.min(users.size(), from + DIRECTORY_BATCH))) {
                rows.addObject().put("id", user.id()).put("userPrincipalName", user.email()).put("email", user.email())
                        .put("displayName", "Fault Test " + user.id()).put("preferredLanguage", "en");
            }
            requireNoneRejected("user import", send("POST", FaultStack.POLICY, "/api/directory/users/import", rows));
        }
    }

    private void importCertificates(Pki pki) {
        for (int from = 0; from < users.size(); from += IMPORT_BATCH) {
            ObjectNode request = json.createObjectNode();
            ArrayNode files = request.putArray("files");
            for (User user : users.subList(from, Math.min(users.size(), from + IMPORT_BATCH))) {
                files.addObject().put("email", user.email()).put("purpose", "UNASSIGNED")
                        .put("pkcs12", Base64.getEncoder().encodeToString(pki.pkcs12For(user.email())))
                        .put("password", PKCS12_PASSWORD);
            }
            JsonNode response = send("POST", FaultStack.CERTIFICATE, "/api/certificates/imports", request);
            for (JsonNode result : response.path("results")) {
                if ("REJECTED".equals(result.path("status").asText())) {
                    throw new IllegalStateException("certificate-service rejected a PKCS#12 file: " + result);
                }
            }
        }
    }

    /** Imports the four files of each user's history, {@value #SETUP_THREADS} requests at a time. */
    private void importCertificateHistories(Pki pki) {
        ExecutorService pool = Executors.newFixedThreadPool(SETUP_THREADS);
        try {
            List<Future<?>> requests = new ArrayList<>();
            for (int from = 0; from < users.size(); from += HISTORY_IMPORT_BATCH) {
                List<User> batch = users.subList(from, Math.min(users.size(), from + HISTORY_IMPORT_BATCH));
                requests.add(pool.submit(() -> importHistoryBatch(pki, batch)));
            }
            for (Future<?> request : requests) {
                request.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while importing certificates", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("Importing certificates failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private void importHistoryBatch(Pki pki, List<User> batch) {
        Instant now = Instant.now();
        int encipherment = KeyUsage.keyEncipherment;
        ObjectNode request = json.createObjectNode();
        ArrayNode files = request.putArray("files");
        for (User user : batch) {
            addFile(files, user.email(), "ENCRYPTION", pki.pkcs12For(user.email(), now.minus(1095, ChronoUnit.DAYS),
                    now.minus(730, ChronoUnit.DAYS), encipherment));
            addFile(files, user.email(), "ENCRYPTION", pki.pkcs12For(user.email(), now.minus(730, ChronoUnit.DAYS),
                    now.minus(365, ChronoUnit.DAYS), encipherment));
            addFile(files, user.email(), "ENCRYPTION", pki.pkcs12For(user.email(), now.minus(1, ChronoUnit.DAYS),
                    now.plus(365, ChronoUnit.DAYS), encipherment));
            addFile(files, user.email(), "SIGNING", pki.pkcs12For(user.email(), now.minus(1, ChronoUnit.DAYS),
                    now.plus(365, ChronoUnit.DAYS), KeyUsage.digitalSignature | KeyUsage.nonRepudiation));
        }
        JsonNode response = send("POST", FaultStack.CERTIFICATE, "/api/certificates/imports", request);
        for (JsonNode result : response.path("results")) {
            if ("REJECTED".equals(result.path("status").asText())) {
                throw new IllegalStateException("certificate-service rejected a PKCS#12 file: " + result);
            }
        }
    }

    private static void addFile(ArrayNode files, String email, String purpose, byte[] pkcs12) {
        files.addObject().put("email", email).put("purpose", purpose)
                .put("pkcs12", Base64.getEncoder().encodeToString(pkcs12)).put("password", PKCS12_PASSWORD);
    }

    private void enrollDevices() {
        KeyPairGenerator generator;
        try {
            generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC P-256 key generation is not available", e);
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> enrollments = new ArrayList<>();
            for (User user : users) {
                for (String deviceId : user.deviceIds()) {
                    KeyPair deviceKeyPair = generator.generateKeyPair();
                    deviceKeys.put(deviceId, deviceKeyPair);
                    String publicKey = "-----BEGIN PUBLIC KEY-----\n"
                            + Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(
                                    deviceKeyPair.getPublic().getEncoded())
                            + "\n-----END PUBLIC KEY-----\n";
                    Map<String, String> request = new LinkedHashMap<>();
                    request.put("deviceId", deviceId);
                    request.put("userId", user.id());
                    request.put("platform", "iOS");
                    request.put("osVersion", "18.1");
                    request.put("model", "iPhone16,2");
                    request.put("devicePublicKeyPem", publicKey);
                    request.put("pushToken", pushTokens.get(deviceId));
                    enrollments.add(pool.submit(() -> send("POST", FaultStack.DEVICE, "/api/devices", request)));
                }
            }
            for (Future<?> enrollment : enrollments) {
                enrollment.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while enrolling devices", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("Enrolling a device failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static void requireNoneRejected(String what, JsonNode result) {
        if (result.path("rejected").asInt() > 0) {
            throw new IllegalStateException("policy-service rejected rows of the " + what + ": " + result.path("rows"));
        }
    }

    /** Sends an administrator request to the first live instance of a service and returns the JSON body. */
    JsonNode send(String method, String service, String path, Object body) {
        URI uri = URI.create(stack.url(service) + path);
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Bearer " + stack.adminToken()).header("Accept", "application/json");
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.method(method, HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))
                        .header("Content-Type", "application/json");
            }
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() >= 400) {
                throw new IllegalStateException(method + " " + uri + " returned HTTP " + response.statusCode() + ": "
                        + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
            }
            return response.body().length == 0 ? json.nullNode() : json.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + uri + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during " + method + " " + uri, e);
        }
    }

    private static String pem(X509Certificate certificate) {
        try {
            return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, new byte[] { '\n' })
                    .encodeToString(certificate.getEncoded()) + "\n-----END CERTIFICATE-----\n";
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A test CA and the users' S/MIME certificates it signs, exported as PKCS#12. */
    private final class Pki {
        private final KeyPair caKeys;
        private final X509Certificate caCertificate;
        private final List<KeyPair> userKeys = new ArrayList<>();
        private long serial = 1;

        Pki() {
            try {
                KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
                rsa.initialize(2048);
                caKeys = rsa.generateKeyPair();
                for (int i = 0; i < USER_KEYS; i++) {
                    userKeys.add(rsa.generateKeyPair());
                }
                X500Name name = new X500Name("CN=Fault Test CA " + runId + ",O=S/MIME Delivery tests");
                Instant now = Instant.now();
                JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, nextSerial(),
                        // The CA predates the expired certificates that withCertificateHistory() imports.
                        Date.from(now.minus(1100, ChronoUnit.DAYS)), Date.from(now.plus(730, ChronoUnit.DAYS)), name,
                        caKeys.getPublic());
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
                caCertificate = new JcaX509CertificateConverter().getCertificate(builder.build(signer()));
            } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
                throw new IllegalStateException("Failed to make the test CA", e);
            }
        }

        private ContentSigner signer() throws OperatorCreationException {
            return new JcaContentSignerBuilder("SHA256withRSA").build(caKeys.getPrivate());
        }

        private synchronized BigInteger nextSerial() {
            return BigInteger.valueOf(serial++);
        }

        byte[] pkcs12For(String email) {
            Instant now = Instant.now();
            return pkcs12For(email, now.minus(1, ChronoUnit.DAYS), now.plus(365, ChronoUnit.DAYS),
                    KeyUsage.digitalSignature | KeyUsage.keyEncipherment);
        }

        /** Returns a PKCS#12 file with a certificate for {@code email}; {@code keyUsage} is a set of KeyUsage bits. */
        byte[] pkcs12For(String email, Instant notBefore, Instant notAfter, int keyUsage) {
            try {
                KeyPair keys = userKeys.get(random.nextInt(userKeys.size()));
                JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(caCertificate,
                        nextSerial(), Date.from(notBefore), Date.from(notAfter), new X500Name("CN=" + email),
                        keys.getPublic());
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_emailProtection));
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new GeneralName(GeneralName.rfc822Name, email)));
                X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(builder.build(signer()));
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry(email, keys.getPrivate(), PKCS12_PASSWORD.toCharArray(),
                        new X509Certificate[] { certificate, caCertificate });
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                store.store(out, PKCS12_PASSWORD.toCharArray());
                return out.toByteArray();
            } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
                throw new IllegalStateException("Failed to make the PKCS#12 file of " + email, e);
            }
        }
    }
}
