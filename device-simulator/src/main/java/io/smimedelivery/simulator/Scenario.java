package io.smimedelivery.simulator;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
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
import io.smimedelivery.simulator.DeviceKeyPairs.KeyType;
import io.smimedelivery.simulator.ScenarioInput.Age;
import io.smimedelivery.simulator.ScenarioInput.InputFile;
import io.smimedelivery.simulator.ScenarioInput.Purpose;
import io.smimedelivery.simulator.ScenarioSync.CapturedRun;
import io.smimedelivery.simulator.ScenarioSync.DeviceResult;
import io.smimedelivery.simulator.ScenarioSync.Target;

/**
 * Runs the {@code scenario} command. It sets up users, certificates, trusted roots, policies and devices
 * through the services' APIs and syncs every device until its delivery ends. It then prints the reports
 * and proves the installed keys with openssl.
 */
final class Scenario {

    static final String DEFAULT_STATE_DIR = "scenario-state";
    static final int DEFAULT_FIRST_PORT = 8081;
    static final int DEFAULT_IMAP_PORT = 2143;
    static final int DEFAULT_TIMEOUT_SECONDS = 180;
    static final String EXPECTED_FAILURE = "NO_ENCRYPTION_CERTIFICATE";
    private static final Duration NOTIFICATION_WAIT = Duration.ofSeconds(90);

    /** A directory user of the scenario with its group and simulated devices. */
    record User(String id, String email, String displayName, String language, String group, boolean joinsLater,
            List<Device> devices) {
        String localPart() {
            return email.substring(0, email.indexOf('@'));
        }
    }

    record Device(String id, String platform, String model, DeviceKeyPairs.KeyType keyType) {
    }

    static final String EMAIL_GROUP = "scenario-email";
    static final String PORTAL_GROUP = "scenario-portal";
    static final String SCEP_GROUP = "scenario-scep";

    static final List<User> USERS = List.of(
            new User("u-3001", "mario.rossi@example.it", "Mario Rossi", "it", EMAIL_GROUP, false, List.of(
                    new Device("iphone-mario-1", "iOS", "iPhone16,2", KeyType.RSA_2048),
                    new Device("ipad-mario-2", "iPadOS", "iPad14,1", KeyType.RSA_2048))),
            new User("u-3002", "giulia.bianchi@example.it", "Giulia Bianchi", "en", EMAIL_GROUP, false, List.of(
                    new Device("iphone-giulia-1", "iOS", "iPhone15,3", KeyType.RSA_2048))),
            new User("u-3003", "luca.verdi@example.it", "Luca Verdi", "en-GB", PORTAL_GROUP, false, List.of(
                    new Device("iphone-luca-1", "iOS", "iPhone16,1", KeyType.RSA_2048),
                    new Device("iphone-luca-2", "iOS", "iPhone14,5", KeyType.EC_P384))),
            new User("u-3004", "anna.neri@example.it", "Anna Neri", "en", PORTAL_GROUP, false, List.of(
                    new Device("iphone-anna-1", "iOS", "iPhone15,2", KeyType.RSA_2048),
                    new Device("iphone-anna-2", "iOS", "iPhone13,2", KeyType.RSA_2048))),
            new User("u-3005", "sara.galli@example.it", "Sara Galli", "it", PORTAL_GROUP, true, List.of(
                    new Device("iphone-sara-1", "iOS", "iPhone17,1", KeyType.EC_P256))),
            new User("u-3006", "paolo.conti@example.it", "Paolo Conti", "it", SCEP_GROUP, false, List.of(
                    new Device("iphone-paolo-1", "iOS", "iPhone16,2", KeyType.RSA_2048))));

    /** The user who gets no encryption certificate, so her devices end FAILED with {@link #EXPECTED_FAILURE}. */
    static final String USER_WITHOUT_ENCRYPTION = "anna.neri@example.it";
    /** The user whose encryption certificate is renewed after the first delivery. */
    static final String RENEWED_USER = "giulia.bianchi@example.it";
    /** The device retired after the first delivery. */
    static final String RETIRED_DEVICE = "ipad-mario-2";

    private final PrintStream out;
    private final HttpClient http;
    private final SecureRandom random = new SecureRandom();
    private boolean ok = true;

    Scenario(PrintStream out, HttpClient http) {
        this.out = out;
        this.http = http;
    }

    /**
     * Runs the scenario against the services at 127.0.0.1 from {@code firstPort} on. The PKI comes from
     * {@code inputDir}, or, when it is null, from make-pki.sh, which runs openssl.
     */
    int run(Path stateDir, Path inputDir, int firstPort, int imapPort, Duration timeout) {
        prepareStateDir(stateDir);
        URI policyUrl = URI.create("http://127.0.0.1:" + firstPort);
        URI certificateUrl = URI.create("http://127.0.0.1:" + (firstPort + 1));
        URI notificationUrl = URI.create("http://127.0.0.1:" + (firstPort + 2));
        URI deviceUrl = URI.create("http://127.0.0.1:" + (firstPort + 3));
        ServiceClient policies = new ServiceClient("policy-service", policyUrl, http, null);
        ServiceClient certificates = new ServiceClient(DeviceSimulator.CERTIFICATE_SERVICE, certificateUrl, http, null);
        ServiceClient notifications = new ServiceClient(DeviceSimulator.NOTIFICATION_SERVICE, notificationUrl, http, null);
        ServiceClient devices = new ServiceClient(DeviceSimulator.DEVICE_SERVICE, deviceUrl, http, null);

        ScenarioInput input = readInput(stateDir, inputDir);
        Map<String, String> oldMailMarkers = writeOldMail(stateDir, input);

        out.println("== Directory, groups and trusted roots at " + policyUrl);
        importUsers(policies);
        createGroups(policies);
        String rootId = uploadTrustedRoot(policies, "Scenario Root CA", input.rootCertificate());
        String issuingId = uploadTrustedRoot(policies, "Scenario Issuing CA", input.issuingCertificate());

        out.println("== PKCS#12 imports at " + certificateUrl);
        importCertificates(certificates, input.files().stream().filter(file -> file.age() != Age.RENEWAL).toList());

        out.println("== Policies");
        String stamp = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault())
                .format(Instant.now());
        Map<String, String> policyIds = new LinkedHashMap<>();
        policyIds.put(EMAIL_GROUP, createPolicy(policies, "Scenario S/MIME e-mail " + stamp, "EMAIL", List.of(rootId, issuingId)));
        policyIds.put(PORTAL_GROUP, createPolicy(policies, "Scenario S/MIME Company Portal " + stamp, "COMPANY_PORTAL",
                List.of(rootId, issuingId)));
        String scepRootId = uploadTrustedRoot(policies, "Scenario SCEP CA " + stamp, scepCaCertificate(certificates));
        String scepProfileId = createScepProfile(policies, "Scenario SCEP signing " + stamp, scepRootId);
        policyIds.put(SCEP_GROUP, createScepPolicy(policies, "Scenario S/MIME SCEP signing " + stamp, scepProfileId,
                List.of(rootId, issuingId, scepRootId)));

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

        ScenarioSync sync = new ScenarioSync(out, devices, serviceOptions);
        Map<String, DeviceResult> results = new LinkedHashMap<>();
        Map<String, Target> firstTargets = new LinkedHashMap<>();
        for (User user : USERS) {
            for (Device device : user.devices()) {
                results.put(device.id(), new DeviceResult(user, device, null, null, null, null, null));
                if (!user.joinsLater()) {
                    firstTargets.put(device.id(), new Target(DeviceResult::settled, true));
                }
            }
        }
        out.println("== Sync until every device of the assigned groups is INSTALLED or FAILED (timeout "
                + timeout.toSeconds() + " s)");
        sync.until(results, firstTargets, timeout);
        out.println("== Checks of the first delivery");
        for (String deviceId : firstTargets.keySet()) {
            checkSettledState(results.get(deviceId));
        }

        out.println("== Changes after the first delivery");
        ScenarioChanges changes = new ScenarioChanges(out, policies, certificates, notifications, devices, deviceDir);
        Map<String, Target> changeTargets = changes.apply(input, results);
        out.println("== Sync until the changes reach the devices (timeout " + timeout.toSeconds() + " s)");
        sync.until(results, changeTargets, timeout);
        out.println("== Checks of the changes");
        ok &= changes.check(input, results, changeTargets, policyIds, NOTIFICATION_WAIT);

        printReports(devices, policyIds, results);
        printWhereToLook(stateDir, deviceUrl, imapPort);

        out.println("== openssl checks of every INSTALLED device");
        ok &= new ScenarioChecks(out, stateDir, deviceDir).run(results, oldMailMarkers);
        out.println(ok ? "Scenario PASSED." : "Scenario FAILED: see the FAIL lines above.");
        return ok ? DeviceSimulator.EXIT_OK : DeviceSimulator.EXIT_FAILED;
    }

    private void prepareStateDir(Path stateDir) {
        try {
            if (Files.isDirectory(stateDir)) {
                try (Stream<Path> entries = Files.list(stateDir)) {
                    if (entries.findAny().isPresent()) {
                        throw new UsageException("The state folder " + stateDir + " is not empty. Give a new or empty "
                                + "--state-dir, because each run makes new device keys.");
                    }
                }
            }
            PemFiles.createOwnerOnlyFolder(stateDir);
        } catch (IOException e) {
            throw new SimulatorException("Creating the state folder " + stateDir + " failed: " + e.getMessage(), e);
        }
    }

    private ScenarioInput readInput(Path stateDir, Path inputDir) {
        Path folder = inputDir;
        if (folder == null) {
            out.println("== Test PKI made with openssl in " + stateDir.resolve("pki"));
            folder = ScenarioInput.makeWithOpenssl(stateDir, out);
        } else {
            out.println("== Test PKI from " + inputDir);
        }
        ScenarioInput input = ScenarioInput.read(folder, USERS.stream().map(User::email).toList(), out);
        // make-pki.sh lists the files it made; a folder of the user's own is listed here.
        for (InputFile file : inputDir == null ? List.<InputFile>of() : input.files()) {
            X509Certificate certificate = file.certificate();
            out.println("  " + file.fileName() + ": " + file.purpose() + ", " + file.age() + ", valid "
                    + certificate.getNotBefore().toInstant().truncatedTo(ChronoUnit.DAYS) + " to "
                    + certificate.getNotAfter().toInstant().truncatedTo(ChronoUnit.DAYS));
        }
        out.println("Read " + input.files().size() + " PKCS#12 files of " + input.files().stream().map(InputFile::email)
                .distinct().count() + " users from " + folder);
        return input;
    }

    /** Writes old-mail-<user>.eml, encrypted to each user's superseded encryption certificate; returns user to marker. */
    private Map<String, String> writeOldMail(Path stateDir, ScenarioInput input) {
        Map<String, String> markers = new LinkedHashMap<>();
        for (InputFile file : input.files()) {
            if (file.purpose() != Purpose.ENCRYPTION || file.age() != Age.SUPERSEDED) {
                continue;
            }
            String marker = "scenario-old-mail-" + HexFormat.of().formatHex(randomBytes(8));
            String mail = ScenarioMail.encryptedMail("it-helpdesk@example.it", file.email(), "Old encrypted mail",
                    "This message was encrypted to the superseded certificate.\nMarker: " + marker + "\n",
                    file.certificate());
            String localPart = file.email().substring(0, file.email().indexOf('@'));
            Path path = stateDir.resolve("old-mail-" + localPart + ".eml");
            try {
                Files.writeString(path, mail, StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new SimulatorException("Writing " + path + " failed: " + e.getMessage(), e);
            }
            markers.put(file.email(), marker);
            out.println("Wrote " + path.getFileName() + ", encrypted to the superseded certificate of " + file.email());
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
        policies.sendJson("PUT", "/api/directory/groups/" + SCEP_GROUP, Map.of("displayName", "Scenario: SCEP signing"));
        for (User user : USERS) {
            if (!user.joinsLater()) {
                policies.sendEmpty("PUT", "/api/directory/groups/" + user.group() + "/members/" + user.id());
            }
        }
        out.println("Created groups " + EMAIL_GROUP + " (mario.rossi, giulia.bianchi), " + PORTAL_GROUP
                + " (luca.verdi, anna.neri) and " + SCEP_GROUP + " (paolo.conti); sara.galli joins " + PORTAL_GROUP
                + " after the first delivery");
    }

    private String uploadTrustedRoot(ServiceClient policies, String name, X509Certificate certificate) {
        JsonNode profile = policies.sendJson("POST", "/api/trusted-roots",
                Map.of("name", name, "certificatePem", PemFiles.certificatePem(certificate)));
        out.println("Uploaded trusted root \"" + name + "\": profile " + profile.path("id").asText());
        return profile.path("id").asText();
    }

    /** Imports the files in one request and fails the scenario when certificate-service rejects one. */
    static void importCertificates(ServiceClient certificates, List<InputFile> files, PrintStream out) {
        ObjectNode request = EventJson.mapper().createObjectNode();
        ArrayNode array = request.putArray("files");
        for (InputFile file : files) {
            array.addObject().put("email", file.email())
                    .put("purpose", file.purpose() == Purpose.DUAL ? "UNASSIGNED" : file.purpose().name())
                    .put("pkcs12", Base64.getEncoder().encodeToString(file.pkcs12()))
                    .put("password", file.password());
        }
        JsonNode response = certificates.sendJson("POST", "/api/certificates/imports", request);
        List<String> rejected = new ArrayList<>();
        for (JsonNode result : response.path("results")) {
            // Results number the files from 1, in request order.
            InputFile file = files.get(result.path("file").asInt() - 1);
            out.println("  " + file.fileName() + ": " + result.path("status").asText()
                    + (result.hasNonNull("reasonCode") ? " (" + result.get("reasonCode").asText() + ")" : ""));
            if ("REJECTED".equals(result.path("status").asText())) {
                rejected.add(file.fileName() + ": " + result.path("reasonCode").asText() + " " + result.path("message").asText());
            }
        }
        if (!rejected.isEmpty()) {
            throw new SimulatorException("certificate-service rejected " + rejected.size() + " PKCS#12 files: " + rejected);
        }
    }

    private void importCertificates(ServiceClient certificates, List<InputFile> files) {
        importCertificates(certificates, files, out);
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

    /** Returns the SCEP issuing CA certificate from certificate-service's GetCACert. */
    private X509Certificate scepCaCertificate(ServiceClient certificates) {
        return ScepCaCertificates.read(certificates.getBytes("/scep?operation=GetCACert",
                "application/x-x509-ca-cert, application/x-x509-ca-ra-cert")).ca();
    }

    /** Creates a SCEP profile for per-device S/MIME signing certificates, like Intune's. */
    private String createScepProfile(ServiceClient policies, String name, String rootProfileId) {
        ObjectNode request = EventJson.mapper().createObjectNode()
                .put("name", name).put("certificateType", "user")
                .put("subjectNameFormat", "CN={{UserName}},E={{EmailAddress}}")
                .put("keySize", 2048).put("validityMonths", 12).put("renewalThresholdPercent", 20)
                .put("rootProfileId", rootProfileId);
        request.putArray("subjectAlternativeNames").addObject().put("type", "EMAIL").put("value", "{{EmailAddress}}");
        request.putArray("keyUsages").add("DIGITAL_SIGNATURE");
        request.putArray("extendedKeyUsages").add("emailProtection");
        JsonNode profile = policies.sendJson("POST", "/api/scep-profiles", request);
        out.println("Created SCEP profile \"" + name + "\": " + profile.path("id").asText()
                + " (CN={{UserName}},E={{EmailAddress}}, RSA 2048, 12 months)");
        return profile.path("id").asText();
    }

    private String createScepPolicy(ServiceClient policies, String name, String scepProfileId, List<String> trustedRoots) {
        ObjectNode request = EventJson.mapper().createObjectNode()
                .put("name", name).put("smimeEnabled", true).put("deployCertificates", true)
                .put("signingCertificateProfileType", "SCEP").put("encryptionCertificateProfileType", "IMPORTED_PKCS")
                .put("scepProfileId", scepProfileId)
                .put("endUserNotification", "EMAIL").put("encryptAllMail", false).put("signAllMail", true)
                .put("ldapHostName", "ldaps://ldap.example.it:636");
        ArrayNode roots = request.putArray("trustedRootProfileIds");
        trustedRoots.forEach(roots::add);
        JsonNode policy = policies.sendJson("POST", "/api/policies", request);
        out.println("Created policy \"" + name + "\": " + policy.path("id").asText()
                + " (signing certificates over SCEP, imported encryption certificates, notification EMAIL)");
        return policy.path("id").asText();
    }

    private void enrollDevices(Path deviceDir, URI deviceUrl) {
        for (User user : USERS) {
            for (Device device : user.devices()) {
                CapturedRun enrolled = ScenarioSync.simulate("enroll", "--device-id", device.id(), "--user-id", user.id(),
                        "--platform", device.platform(), "--model", device.model(), "--key-type", device.keyType().option(),
                        "--state-dir", deviceDir.toString(), "--device-service", deviceUrl.toString());
                if (enrolled.status() != DeviceSimulator.EXIT_OK) {
                    throw new SimulatorException("Enrolling " + device.id() + " failed:\n" + enrolled.output());
                }
                out.println("Enrolled " + device.id() + " (" + device.platform() + ", " + device.model() + ", "
                        + device.keyType().label() + " key) for " + user.email());
            }
        }
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

    private void printWhereToLook(Path stateDir, URI deviceUrl, int imapPort) {
        out.println("== Where to look");
        out.println("Mailbox: IMAP 127.0.0.1:" + imapPort + " for the users of the e-mail policy, mario.rossi@example.it and "
                + "giulia.bianchi@example.it; user and password are the address. The Company Portal users get no e-mail.");
        out.println("Company Portal list: GET /api/users/{userId}/company-portal/notifications on notification-service"
                + " (users u-3003, u-3004 and u-3005). Pushes stay PENDING unless APNs is configured (smime.push.*).");
        out.println("Notification history: GET /api/notifications?userId={userId} on notification-service");
        for (User user : USERS) {
            for (Device device : user.devices()) {
                out.println("Landing page: " + deviceUrl + "/landing/" + device.id());
            }
        }
        out.println("Topics: smime.policy.assignments, smime.certificate.packages, smime.device.enrollments, "
                + "smime.notifications and smime.retrieval.status on the stack's Kafka broker");
        out.println("State folder: " + stateDir.toAbsolutePath() + " (old mail, installed keys in "
                + "devices/<device id>/installed/<policy id>/, openssl work files in checks/)");
    }

    private void checkSettledState(DeviceResult result) {
        boolean expectFailure = USER_WITHOUT_ENCRYPTION.equals(result.user().email());
        boolean pass = expectFailure
                ? "FAILED".equals(result.state()) && EXPECTED_FAILURE.equals(result.reasonCode())
                : "INSTALLED".equals(result.state());
        report(pass, result.device().id() + ": expected " + (expectFailure ? "FAILED " + EXPECTED_FAILURE : "INSTALLED")
                + ", got " + (result.state() == null ? "no state" : result.state())
                + (result.reasonCode() == null ? "" : " " + result.reasonCode()));
    }

    private void report(boolean pass, String text) {
        ok &= pass;
        out.println((pass ? "PASS " : "FAIL ") + text);
    }

    private byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }
}
