package io.smimedelivery.simulator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smimedelivery.events.EventJson;
import io.smimedelivery.simulator.ScenarioPki.Age;
import io.smimedelivery.simulator.ScenarioPki.Encoding;
import io.smimedelivery.simulator.ScenarioPki.Purpose;
import io.smimedelivery.simulator.ScenarioPki.UserCertificate;

/**
 * Runs the {@code scenario} command. It sets up users, certificates, trusted roots, policies and devices
 * through the services' APIs and syncs every device until its delivery ends. It then prints the reports
 * and proves the installed keys with openssl.
 */
final class Scenario {

    static final String DEFAULT_STATE_DIR = "scenario-state";
    static final int DEFAULT_FIRST_PORT = 8081;
    static final int DEFAULT_IMAP_PORT = 2143;
    static final int DEFAULT_TIMEOUT_SECONDS = 120;
    static final String EXPECTED_FAILURE = "NO_ENCRYPTION_CERTIFICATE";
    private static final Duration POLL_INTERVAL = Duration.ofSeconds(3);
    private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(15);
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    /** A directory user of the scenario with its group and simulated devices. */
    record User(String id, String email, String displayName, String language, String group, List<Device> devices) {
        String localPart() {
            return email.substring(0, email.indexOf('@'));
        }
    }

    record Device(String id, String platform, String model) {
    }

    static final String EMAIL_GROUP = "scenario-email";
    static final String PORTAL_GROUP = "scenario-portal";

    static final List<User> USERS = List.of(
            new User("u-3001", "mario.rossi@example.it", "Mario Rossi", "it", EMAIL_GROUP, List.of(
                    new Device("iphone-mario-1", "iOS", "iPhone16,2"), new Device("ipad-mario-2", "iPadOS", "iPad14,1"))),
            new User("u-3002", "giulia.bianchi@example.it", "Giulia Bianchi", "en", EMAIL_GROUP, List.of(
                    new Device("iphone-giulia-1", "iOS", "iPhone15,3"))),
            new User("u-3003", "luca.verdi@example.it", "Luca Verdi", "en-GB", PORTAL_GROUP, List.of(
                    new Device("iphone-luca-1", "iOS", "iPhone16,1"), new Device("iphone-luca-2", "iOS", "iPhone14,5"))),
            new User("u-3004", "anna.neri@example.it", "Anna Neri", "en", PORTAL_GROUP, List.of(
                    new Device("iphone-anna-1", "iOS", "iPhone15,2"), new Device("iphone-anna-2", "iOS", "iPhone13,2"))));

    /** The user who gets no encryption certificate, so her devices end FAILED with {@link #EXPECTED_FAILURE}. */
    static final String USER_WITHOUT_ENCRYPTION = "anna.neri@example.it";

    private final PrintStream out;
    private final HttpClient http;
    private final SecureRandom random = new SecureRandom();
    private final Map<UserCertificate, byte[]> pkcs12Files = new LinkedHashMap<>();

    Scenario(PrintStream out, HttpClient http) {
        this.out = out;
        this.http = http;
    }

    /** Returns every certificate of the users: encryption histories, signing and dual-use certificates. */
    static List<UserCertificate> certificates(ScenarioPki pki) {
        List<UserCertificate> certificates = new ArrayList<>();
        certificates.add(pki.issue("mario.rossi@example.it", "Mario Rossi", Purpose.ENCRYPTION, Age.EXPIRED, Encoding.LEGACY_3DES));
        certificates.add(pki.issue("mario.rossi@example.it", "Mario Rossi", Purpose.ENCRYPTION, Age.SUPERSEDED, Encoding.LEGACY_3DES));
        certificates.add(pki.issue("mario.rossi@example.it", "Mario Rossi", Purpose.ENCRYPTION, Age.CURRENT, Encoding.AES256));
        certificates.add(pki.issue("mario.rossi@example.it", "Mario Rossi", Purpose.SIGNING, Age.CURRENT, Encoding.LEGACY_3DES));
        certificates.add(pki.issue("giulia.bianchi@example.it", "Giulia Bianchi", Purpose.ENCRYPTION, Age.EXPIRED, Encoding.AES256));
        certificates.add(pki.issue("giulia.bianchi@example.it", "Giulia Bianchi", Purpose.ENCRYPTION, Age.SUPERSEDED, Encoding.AES256));
        certificates.add(pki.issue("giulia.bianchi@example.it", "Giulia Bianchi", Purpose.ENCRYPTION, Age.CURRENT, Encoding.LEGACY_3DES));
        certificates.add(pki.issue("giulia.bianchi@example.it", "Giulia Bianchi", Purpose.SIGNING, Age.CURRENT, Encoding.AES256));
        certificates.add(pki.issue("luca.verdi@example.it", "Luca Verdi", Purpose.ENCRYPTION, Age.EXPIRED, Encoding.LEGACY_3DES));
        certificates.add(pki.issue("luca.verdi@example.it", "Luca Verdi", Purpose.ENCRYPTION, Age.SUPERSEDED, Encoding.AES256));
        certificates.add(pki.issue("luca.verdi@example.it", "Luca Verdi", Purpose.DUAL, Age.CURRENT, Encoding.LEGACY_3DES));
        certificates.add(pki.issue(USER_WITHOUT_ENCRYPTION, "Anna Neri", Purpose.SIGNING, Age.CURRENT, Encoding.AES256));
        return certificates;
    }

    int run(Path stateDir, int firstPort, int imapPort, Duration timeout) {
        prepareStateDir(stateDir);
        URI policyUrl = URI.create("http://127.0.0.1:" + firstPort);
        URI certificateUrl = URI.create("http://127.0.0.1:" + (firstPort + 1));
        URI notificationUrl = URI.create("http://127.0.0.1:" + (firstPort + 2));
        URI deviceUrl = URI.create("http://127.0.0.1:" + (firstPort + 3));
        ServiceClient policies = new ServiceClient("policy-service", policyUrl, http, null);
        ServiceClient certificates = new ServiceClient(DeviceSimulator.CERTIFICATE_SERVICE, certificateUrl, http, null);
        ServiceClient devices = new ServiceClient(DeviceSimulator.DEVICE_SERVICE, deviceUrl, http, null);

        out.println("== Test PKI in " + stateDir);
        ScenarioPki pki = new ScenarioPki(Instant.now());
        List<UserCertificate> userCertificates = certificates(pki);
        Map<UserCertificate, String> passwords = writePki(stateDir, pki, userCertificates);
        Map<String, String> oldMailMarkers = writeOldMail(stateDir, userCertificates);

        out.println("== Directory, groups and trusted roots at " + policyUrl);
        importUsers(policies);
        createGroups(policies);
        String rootId = uploadTrustedRoot(policies, "Scenario Root CA", pki.rootCertificate());
        String issuingId = uploadTrustedRoot(policies, "Scenario Issuing CA", pki.issuingCertificate());

        out.println("== PKCS#12 imports at " + certificateUrl);
        importCertificates(certificates, userCertificates, passwords);

        out.println("== Policies");
        String stamp = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault())
                .format(Instant.now());
        Map<String, String> policyIds = new LinkedHashMap<>();
        policyIds.put(EMAIL_GROUP, createPolicy(policies, "Scenario S/MIME e-mail " + stamp, "EMAIL", List.of(rootId, issuingId)));
        policyIds.put(PORTAL_GROUP, createPolicy(policies, "Scenario S/MIME Company Portal " + stamp, "COMPANY_PORTAL",
                List.of(rootId, issuingId)));

        out.println("== Devices at " + deviceUrl);
        Path deviceDir = stateDir.resolve("devices");
        String[] serviceOptions = { "--state-dir", deviceDir.toString(), "--device-service", deviceUrl.toString(),
                "--certificate-service", certificateUrl.toString(), "--notification-service", notificationUrl.toString() };
        enrollDevices(deviceDir, deviceUrl);

        out.println("== Assignments");
        for (Map.Entry<String, String> policy : policyIds.entrySet()) {
            JsonNode job = policies.sendJson("PUT", "/api/policies/" + policy.getValue() + "/assignments/" + policy.getKey(),
                    Map.of("mode", "INCLUDE"));
            out.println("Assigned policy " + policy.getValue() + " to group " + policy.getKey() + " (job "
                    + job.path("id").asText() + ")");
        }

        out.println("== Sync until every device is INSTALLED or FAILED (timeout " + timeout.toSeconds() + " s)");
        Map<String, DeviceResult> results = syncUntilDone(devices, serviceOptions, timeout);

        printReports(devices, policyIds, results);
        printWhereToLook(stateDir, deviceUrl, imapPort, policyIds);

        boolean devicesOk = checkExpectedStates(results);
        boolean checksOk = new ScenarioChecks(out, stateDir, deviceDir).run(results, oldMailMarkers);
        boolean ok = devicesOk && checksOk;
        out.println(ok ? "Scenario PASSED." : "Scenario FAILED: see the FAIL lines above.");
        return ok ? DeviceSimulator.EXIT_OK : DeviceSimulator.EXIT_FAILED;
    }

    /** The final state of one device: its user, policy, state, reason code and detail. */
    record DeviceResult(User user, Device device, String policyId, String state, String reasonCode, String detail) {
        boolean done() {
            return "INSTALLED".equals(state) || "FAILED".equals(state);
        }
    }

    private void prepareStateDir(Path stateDir) {
        try {
            if (Files.isDirectory(stateDir)) {
                try (Stream<Path> entries = Files.list(stateDir)) {
                    if (entries.findAny().isPresent()) {
                        throw new UsageException("The state folder " + stateDir + " is not empty. Give a new or empty "
                                + "--state-dir, because each run makes a new PKI and new device keys.");
                    }
                }
            }
            PemFiles.createOwnerOnlyFolder(stateDir);
        } catch (IOException e) {
            throw new SimulatorException("Creating the state folder " + stateDir + " failed: " + e.getMessage(), e);
        }
    }

    private Map<UserCertificate, String> writePki(Path stateDir, ScenarioPki pki, List<UserCertificate> userCertificates) {
        Map<UserCertificate, String> passwords = new LinkedHashMap<>();
        StringBuilder passwordFile = new StringBuilder("# PKCS#12 file, password\n");
        try {
            pki.writeCaCertificates(stateDir);
            Path folder = stateDir.resolve("pkcs12");
            PemFiles.createOwnerOnlyFolder(folder);
            for (UserCertificate certificate : userCertificates) {
                String password = newPassword();
                passwords.put(certificate, password);
                byte[] pkcs12 = pki.pkcs12(certificate, password.toCharArray());
                pkcs12Files.put(certificate, pkcs12);
                Path file = folder.resolve(certificate.fileName());
                Files.write(file, pkcs12);
                Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
                passwordFile.append(certificate.fileName()).append(' ').append(password).append('\n');
                out.println("  " + certificate.fileName() + ": " + certificate.purpose() + ", " + certificate.age()
                        + ", valid " + certificate.credential().certificate().getNotBefore().toInstant().truncatedTo(ChronoUnit.DAYS)
                        + " to " + certificate.credential().certificate().getNotAfter().toInstant().truncatedTo(ChronoUnit.DAYS)
                        + ", " + (certificate.encoding() == Encoding.AES256 ? "AES-256, SHA-256 MAC" : "3DES, SHA-1 MAC"));
            }
            PemFiles.writeOwnerOnly(stateDir.resolve("pkcs12-passwords.txt"), passwordFile.toString());
        } catch (IOException e) {
            throw new SimulatorException("Writing the test PKI to " + stateDir + " failed: " + e.getMessage(), e);
        }
        out.println("Wrote root-ca.pem, issuing-ca.pem, " + userCertificates.size()
                + " PKCS#12 files in pkcs12/ and their passwords in pkcs12-passwords.txt (mode 600)");
        return passwords;
    }

    /** Writes old-mail-<user>.eml, encrypted to each user's superseded encryption certificate; returns user to marker. */
    private Map<String, String> writeOldMail(Path stateDir, List<UserCertificate> userCertificates) {
        Map<String, String> markers = new LinkedHashMap<>();
        for (UserCertificate certificate : userCertificates) {
            if (certificate.purpose() != Purpose.ENCRYPTION || certificate.age() != Age.SUPERSEDED) {
                continue;
            }
            String marker = "scenario-old-mail-" + HexFormat.of().formatHex(randomBytes(8));
            String mail = ScenarioPki.encryptedMail("it-helpdesk@example.it", certificate.email(), "Old encrypted mail",
                    "This message was encrypted to the superseded certificate.\nMarker: " + marker + "\n",
                    certificate.credential().certificate());
            String localPart = certificate.email().substring(0, certificate.email().indexOf('@'));
            Path file = stateDir.resolve("old-mail-" + localPart + ".eml");
            try {
                Files.writeString(file, mail, StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new SimulatorException("Writing " + file + " failed: " + e.getMessage(), e);
            }
            markers.put(certificate.email(), marker);
            out.println("Wrote " + file.getFileName() + ", encrypted to the superseded certificate of " + certificate.email());
        }
        return markers;
    }

    private void importUsers(ServiceClient policies) {
        ArrayNode users = EventJson.mapper().createArrayNode();
        for (User user : USERS) {
            users.addObject().put("id", user.id()).put("userPrincipalName", user.email()).put("email", user.email())
                    .put("displayName", user.displayName()).put("preferredLanguage", user.language());
        }
        JsonNode result = policies.sendJson("POST", "/api/directory/users/import", users);
        out.println("Imported " + result.path("total").asInt() + " directory users: " + result.path("created").asInt()
                + " created, " + result.path("updated").asInt() + " updated, " + result.path("unchanged").asInt()
                + " unchanged, " + result.path("rejected").asInt() + " rejected");
        if (result.path("rejected").asInt() > 0) {
            throw new SimulatorException("policy-service rejected directory users: " + result.path("rows"));
        }
    }

    private void createGroups(ServiceClient policies) {
        policies.sendJson("PUT", "/api/directory/groups/" + EMAIL_GROUP, Map.of("displayName", "Scenario: e-mail notification"));
        policies.sendJson("PUT", "/api/directory/groups/" + PORTAL_GROUP, Map.of("displayName", "Scenario: Company Portal"));
        for (User user : USERS) {
            policies.sendEmpty("PUT", "/api/directory/groups/" + user.group() + "/members/" + user.id());
        }
        out.println("Created groups " + EMAIL_GROUP + " (mario.rossi, giulia.bianchi) and " + PORTAL_GROUP
                + " (luca.verdi, anna.neri)");
    }

    private String uploadTrustedRoot(ServiceClient policies, String name, java.security.cert.X509Certificate certificate) {
        JsonNode profile = policies.sendJson("POST", "/api/trusted-roots",
                Map.of("name", name, "certificatePem", PemFiles.certificatePem(certificate)));
        out.println("Uploaded trusted root \"" + name + "\": profile " + profile.path("id").asText());
        return profile.path("id").asText();
    }

    private void importCertificates(ServiceClient certificates, List<UserCertificate> userCertificates,
            Map<UserCertificate, String> passwords) {
        ObjectNode request = EventJson.mapper().createObjectNode();
        ArrayNode files = request.putArray("files");
        for (UserCertificate certificate : userCertificates) {
            files.addObject().put("email", certificate.email())
                    .put("purpose", certificate.purpose() == Purpose.DUAL ? "UNASSIGNED" : certificate.purpose().name())
                    .put("pkcs12", Base64.getEncoder().encodeToString(pkcs12Files.get(certificate)))
                    .put("password", passwords.get(certificate));
        }
        JsonNode response = certificates.sendJson("POST", "/api/certificates/imports", request);
        List<String> rejected = new ArrayList<>();
        for (JsonNode result : response.path("results")) {
            // Results number the files from 1, in request order.
            UserCertificate certificate = userCertificates.get(result.path("file").asInt() - 1);
            out.println("  " + certificate.fileName() + ": " + result.path("status").asText()
                    + (result.hasNonNull("reasonCode") ? " (" + result.get("reasonCode").asText() + ")" : ""));
            if ("REJECTED".equals(result.path("status").asText())) {
                rejected.add(certificate.fileName() + ": " + result.path("reasonCode").asText() + " " + result.path("message").asText());
            }
        }
        if (!rejected.isEmpty()) {
            throw new SimulatorException("certificate-service rejected " + rejected.size() + " PKCS#12 files: " + rejected);
        }
    }

    private String createPolicy(ServiceClient policies, String name, String notification, List<String> trustedRoots) {
        ObjectNode request = EventJson.mapper().createObjectNode()
                .put("name", name).put("smimeEnabled", true).put("deployCertificates", true)
                .put("signingCertificateProfileType", "IMPORTED_PKCS").put("encryptionCertificateProfileType", "IMPORTED_PKCS")
                .put("endUserNotification", notification).put("encryptAllMail", false).put("signAllMail", true)
                .put("ldapHostName", "ldaps://ldap.example.it:636");
        ArrayNode roots = request.putArray("trustedRootProfileIds");
        trustedRoots.forEach(roots::add);
        JsonNode policy = policies.sendJson("POST", "/api/policies", request);
        out.println("Created policy \"" + name + "\": " + policy.path("id").asText() + " (notification " + notification + ")");
        return policy.path("id").asText();
    }

    private void enrollDevices(Path deviceDir, URI deviceUrl) {
        for (User user : USERS) {
            for (Device device : user.devices()) {
                CapturedRun enrolled = simulate("enroll", "--device-id", device.id(), "--user-id", user.id(),
                        "--platform", device.platform(), "--model", device.model(),
                        "--state-dir", deviceDir.toString(), "--device-service", deviceUrl.toString());
                if (enrolled.status() != DeviceSimulator.EXIT_OK) {
                    throw new SimulatorException("Enrolling " + device.id() + " failed:\n" + enrolled.output());
                }
                out.println("Enrolled " + device.id() + " (" + device.platform() + ", " + device.model() + ") for "
                        + user.email());
            }
        }
    }

    record CapturedRun(int status, String output) {
    }

    /** Runs a simulator command with its output captured, because the sync output of every poll is long. */
    private CapturedRun simulate(String... args) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream captured = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        int status = new DeviceSimulator(captured, captured).run(args);
        return new CapturedRun(status, buffer.toString(StandardCharsets.UTF_8));
    }

    private Map<String, DeviceResult> syncUntilDone(ServiceClient devices, String[] serviceOptions, Duration timeout) {
        Map<String, DeviceResult> results = new LinkedHashMap<>();
        for (User user : USERS) {
            for (Device device : user.devices()) {
                results.put(device.id(), new DeviceResult(user, device, null, null, null, null));
            }
        }
        Map<String, String> lastSyncOutput = new LinkedHashMap<>();
        Instant deadline = Instant.now().plus(timeout);
        Instant lastProgress = Instant.MIN;
        String lastCounts = "";
        while (true) {
            for (DeviceResult result : List.copyOf(results.values())) {
                if (result.done()) {
                    continue;
                }
                List<String> args = new ArrayList<>(List.of("sync", "--device-id", result.device().id()));
                args.addAll(List.of(serviceOptions));
                lastSyncOutput.put(result.device().id(), simulate(args.toArray(String[]::new)).output());
                results.put(result.device().id(), readState(devices, result));
            }
            long installed = results.values().stream().filter(r -> "INSTALLED".equals(r.state())).count();
            long failed = results.values().stream().filter(r -> "FAILED".equals(r.state())).count();
            long pending = results.size() - installed - failed;
            String counts = installed + "/" + results.size() + " devices installed, " + failed + " failed, " + pending + " pending";
            Instant now = Instant.now();
            if (!counts.equals(lastCounts) || Duration.between(lastProgress, now).compareTo(PROGRESS_INTERVAL) >= 0
                    || pending == 0) {
                out.println("[" + LocalTime.now().format(CLOCK) + "] " + counts);
                lastCounts = counts;
                lastProgress = now;
            }
            if (pending == 0) {
                return results;
            }
            if (now.isAfter(deadline)) {
                out.println("Timed out after " + timeout.toSeconds() + " s. Last sync output of each pending device:");
                results.values().stream().filter(r -> !r.done()).forEach(r -> {
                    out.println("--- " + r.device().id());
                    out.print(lastSyncOutput.get(r.device().id()));
                });
                return results;
            }
            sleep(POLL_INTERVAL);
        }
    }

    /** Reads the device's status; a device with several policies is done only when every policy is. */
    private DeviceResult readState(ServiceClient devices, DeviceResult previous) {
        JsonNode status;
        try {
            status = devices.getJson("/api/devices/" + previous.device().id() + "/status");
        } catch (SimulatorException e) {
            out.println("warning: reading the status of " + previous.device().id() + " failed: " + e.getMessage());
            return previous;
        }
        JsonNode chosen = null;
        for (JsonNode policy : status.path("policies")) {
            String state = policy.path("state").asText();
            boolean done = "INSTALLED".equals(state) || "FAILED".equals(state);
            if (chosen == null || !done || "FAILED".equals(state) && !"FAILED".equals(chosen.path("state").asText())) {
                chosen = policy;
            }
            if (!done) {
                break;
            }
        }
        if (chosen == null) {
            return previous;
        }
        return new DeviceResult(previous.user(), previous.device(), chosen.path("policyId").asText(null),
                chosen.path("state").asText(null), chosen.path("reasonCode").asText(null), chosen.path("detail").asText(null));
    }

    private void printReports(ServiceClient devices, Map<String, String> policyIds, Map<String, DeviceResult> results) {
        out.println("== Policy reports (device-service GET /api/reports/policies/{id})");
        for (Map.Entry<String, String> policy : policyIds.entrySet()) {
            try {
                JsonNode report = devices.getJson("/api/reports/policies/" + policy.getValue());
                out.println("\"" + report.path("policyName").asText() + "\" version " + report.path("policyVersion").asText()
                        + ", " + report.path("assignedUsers").asText() + " assigned users");
                out.println("  counts     " + report.path("counts"));
                out.println("  byState    " + report.path("byState"));
                out.println("  byReason   " + report.path("byReasonCode"));
            } catch (SimulatorException e) {
                out.println("Reading the report of policy " + policy.getValue() + " failed: " + e.getMessage());
            }
        }
        out.println("== Devices");
        for (DeviceResult result : results.values()) {
            out.println(String.format("  %-16s %-26s %-9s%s", result.device().id(), result.user().email(),
                    result.state() == null ? "NONE" : result.state(),
                    result.reasonCode() == null ? "" : " " + result.reasonCode()
                            + (result.detail() == null ? "" : ": " + result.detail())));
        }
    }

    private void printWhereToLook(Path stateDir, URI deviceUrl, int imapPort, Map<String, String> policyIds) {
        out.println("== Where to look");
        out.println("Mailbox: IMAP 127.0.0.1:" + imapPort + "; user and password are the recipient address, such as "
                + "mario.rossi@example.it. The e-mail policy's message goes out about 30 s after the first package.");
        out.println("Company Portal list: GET /api/users/{userId}/company-portal/notifications on notification-service"
                + " (users u-3003 and u-3004)");
        for (User user : USERS) {
            for (Device device : user.devices()) {
                out.println("Landing page: " + deviceUrl + "/landing/" + device.id());
            }
        }
        out.println("State folder: " + stateDir.toAbsolutePath() + " (PKCS#12 files in pkcs12/, installed keys in "
                + "devices/<device id>/installed/<policy id>/)");
    }

    private boolean checkExpectedStates(Map<String, DeviceResult> results) {
        out.println("== Checks");
        boolean ok = true;
        for (DeviceResult result : results.values()) {
            boolean expectFailure = USER_WITHOUT_ENCRYPTION.equals(result.user().email());
            boolean pass = expectFailure
                    ? "FAILED".equals(result.state()) && EXPECTED_FAILURE.equals(result.reasonCode())
                    : "INSTALLED".equals(result.state());
            ok &= pass;
            out.println((pass ? "PASS " : "FAIL ") + result.device().id() + ": expected "
                    + (expectFailure ? "FAILED " + EXPECTED_FAILURE : "INSTALLED") + ", got "
                    + (result.state() == null ? "no state" : result.state())
                    + (result.reasonCode() == null ? "" : " " + result.reasonCode()));
        }
        return ok;
    }

    private String newPassword() {
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        StringBuilder password = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            password.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return password.toString();
    }

    private byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SimulatorException("The scenario was interrupted.", e);
        }
    }
}
