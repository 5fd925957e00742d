package io.smimedelivery.simulator;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smimedelivery.deviceauth.DevicePublicKeys;
import io.smimedelivery.deviceauth.DeviceTokenSigner;
import io.smimedelivery.events.EventJson;
import io.smimedelivery.simulator.PackageInstaller.Installation;
import io.smimedelivery.simulator.PackageOpener.OpenedPackage;

/**
 * A command-line tool that acts like Company Portal on a managed iPhone. It enrolls a device, reads the
 * Company Portal notification list and downloads and opens the device's packages. It writes what it
 * installs to a folder and reports the installation to device-service.
 *
 * <p>Exit status: 0 on success, 1 when a step failed, 2 for invalid arguments.
 */
public final class DeviceSimulator {

    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;

    static final String DEVICE_SERVICE = "device-service";
    static final String CERTIFICATE_SERVICE = "certificate-service";
    static final String NOTIFICATION_SERVICE = "notification-service";
    static final String DEFAULT_DEVICE_SERVICE = "http://127.0.0.1:8084";
    static final String DEFAULT_CERTIFICATE_SERVICE = "http://127.0.0.1:8082";
    static final String DEFAULT_NOTIFICATION_SERVICE = "http://127.0.0.1:8083";
    static final String DEFAULT_STATE_DIR = "device-simulator-state";

    private static final int PUSH_TOKEN_BYTES = 64;
    private static final int SHOWN_TOKEN_CHARACTERS = 8;
    private static final Pattern PACKAGE_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");
    private static final String PACKAGE_MEDIA_TYPE = "application/pkcs7-mime";
    /** The downloaded CMS envelope, DER, in the installed folder of its policy. */
    static final String PACKAGE_FILE = "package.p7m";
    /** The record of a SCEP enrollment in the installed folder of its policy. */
    static final String SCEP_FILE = "scep.json";
    /** The folder of a device's derived credentials, one certificate and key per purpose. */
    static final String DERIVED_FOLDER = "derived";

    private static final String USAGE = """
            Usage: device-simulator <command> [options]

            Acts like Company Portal on a managed iPhone against the S/MIME delivery services.

            Commands:
              enroll   create a device key and push token and enroll the device at device-service
              sync     download, open and install the device's packages and report them to device-service
              status   print the device's retrieval status from device-service
              derived  store a derived credential (certificate and key) on the device and report it to
                       certificate-service
              scenario set up users, certificates, policies and devices at running services, deliver to
                       every device and prove the installed keys with openssl

            Run device-simulator <command> --help for the options of a command.
            Exit status: 0 on success, 1 when a step failed, 2 for invalid arguments.
            """;

    private static final String ENROLL_USAGE = """
            Usage: device-simulator enroll --device-id ID --user-id UID [options]

            Creates a device key (RSA-2048 unless --key-type says otherwise) and a random push token, unless
            the device already has a key in the state folder, and enrolls the device at device-service
            (POST /api/devices). Enrolling an enrolled device again updates its data and keeps its key.

            Options:
              --device-id ID           device id: 1 to 128 letters, digits, dots, dashes or underscores
              --user-id UID            directory user id of the device's user
              --platform NAME          iOS, iPadOS, Android, Windows or macOS (default iOS)
              --model MODEL            model identifier (default iPhone16,2)
              --os-version VERSION     operating system version (default 18.1)
              --key-type TYPE          key of a new device: rsa (RSA-2048), ec-p256 or ec-p384 (default rsa)
              --state-dir DIR          folder with the simulated devices (default %s)
              --device-service URL     device-service base URL (default %s)
            """.formatted(DEFAULT_STATE_DIR, DEFAULT_DEVICE_SERVICE);

    private static final String SYNC_USAGE = """
            Usage: device-simulator sync --device-id ID [options]

            Reads the Company Portal notification list, lists the device's packages, downloads every READY
            package, decrypts it with the device key, writes its certificates, keys, manifest and app
            configuration to DIR/<device id>/installed/<policy id>/, reports the installed certificates to
            device-service, and prints the device's status and landing page URL.
            Exits with 0 only when every package was installed and device-service confirmed it.

            Options:
              --device-id ID                 device id of an enrolled device
              --state-dir DIR                folder with the simulated devices (default %s)
              --device-service URL           device-service base URL (default %s)
              --certificate-service URL      certificate-service base URL (default %s)
              --notification-service URL     notification-service base URL (default %s)
            """.formatted(DEFAULT_STATE_DIR, DEFAULT_DEVICE_SERVICE, DEFAULT_CERTIFICATE_SERVICE,
            DEFAULT_NOTIFICATION_SERVICE);

    private static final String DERIVED_USAGE = """
            Usage: device-simulator derived --device-id ID --purpose SIGNING|ENCRYPTION --certificate FILE --key FILE [options]

            Acts like a derived-credential app (NIST SP 800-157): keeps the certificate and private key in
            DIR/<device id>/derived/ and reports the certificate, never the key, to certificate-service
            (POST /api/devices/{id}/derived-credentials). Packages of policies that use derived credentials
            name it by thumbprint, and sync installs it from there.

            Options:
              --device-id ID                 device id of an enrolled device
              --purpose PURPOSE              SIGNING or ENCRYPTION
              --certificate FILE             the credential's certificate, PEM
              --key FILE                     its private key, PKCS#8 PEM
              --chain FILE                   certificates between it and the provider's root, PEM, optional
              --state-dir DIR                folder with the simulated devices (default %s)
              --certificate-service URL      certificate-service base URL (default %s)
            """.formatted(DEFAULT_STATE_DIR, DEFAULT_CERTIFICATE_SERVICE);

    private static final String STATUS_USAGE = """
            Usage: device-simulator status --device-id ID [options]

            Prints the device's retrieval status per policy and its transitions (GET /api/devices/{id}/status).

            Options:
              --device-id ID           device id
              --device-service URL     device-service base URL (default %s)
            """.formatted(DEFAULT_DEVICE_SERVICE);

    private static final String SCENARIO_USAGE = """
            Usage: device-simulator scenario [options]

            Makes a test CA and users' PKCS#12 files with openssl (make-pki.sh, carried in this jar), or reads
            them from --input, and encrypts old mail to each user's superseded encryption certificate. Through
            the APIs it then imports 6 directory users, creates 3 groups, uploads the CA certificates as
            trusted roots, imports the PKCS#12 files, creates an e-mail, a Company Portal and a SCEP signing
            policy, enrolls 9 devices (RSA and EC keys) and assigns the groups. It syncs every device until
            it is INSTALLED or FAILED; the SCEP policy's device requests its signing certificate over SCEP. After that first delivery, sara.galli joins a group, ipad-mario-2 is retired and
            giulia.bianchi's encryption certificate is renewed, and the devices sync again. Finally it
            prints the policy reports and device states and checks the installed keys with openssl.
            Exits with 0 only when every check passes; each check prints a PASS or FAIL line.

            Options:
              --first-service-port PORT   port of policy-service on 127.0.0.1; certificate-service,
                                          notification-service and device-service take the next three
                                          (default %d)
              --state-dir DIR             new or empty folder for the PKI, old mail and devices (default %s)
              --input DIR                 PKI folder to use instead of making one: root-ca.pem, issuing-ca.pem,
                                          pkcs12/<local part>-<purpose>-<age>.p12 and pkcs12-passwords.txt,
                                          as make-pki.sh writes it
              --imap-port PORT            IMAP port of the stack's mail server, only printed (default %d)
              --timeout SECONDS           maximum time to wait for each round of deliveries (default %d)
            """.formatted(Scenario.DEFAULT_FIRST_PORT, Scenario.DEFAULT_STATE_DIR, Scenario.DEFAULT_IMAP_PORT,
            Scenario.DEFAULT_TIMEOUT_SECONDS);

    private final PrintStream out;
    private final PrintStream err;
    private final HttpClient http;

    DeviceSimulator(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        System.exit(new DeviceSimulator(out, err).run(args));
    }

    /** Runs one command and returns the exit status. */
    int run(String... args) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            (args.length == 0 ? err : out).print(USAGE);
            return args.length == 0 ? EXIT_USAGE : EXIT_OK;
        }
        String command = args[0];
        List<String> options = Arrays.asList(args).subList(1, args.length);
        try {
            return switch (command) {
                case "enroll" -> enroll(Arguments.parse(command, options,
                        Set.of("device-id", "user-id", "platform", "model", "os-version", "key-type", "state-dir", DEVICE_SERVICE)));
                case "sync" -> sync(Arguments.parse(command, options,
                        Set.of("device-id", "state-dir", DEVICE_SERVICE, CERTIFICATE_SERVICE, NOTIFICATION_SERVICE)));
                case "status" -> status(Arguments.parse(command, options, Set.of("device-id", DEVICE_SERVICE)));
                case "derived" -> derived(Arguments.parse(command, options, Set.of("device-id", "purpose", "certificate",
                        "key", "chain", "state-dir", CERTIFICATE_SERVICE)));
                case "scenario" -> scenario(Arguments.parse(command, options,
                        Set.of("first-service-port", "state-dir", "input", "imap-port", "timeout")));
                default -> throw new UsageException("Unknown command \"" + command + "\". Use enroll, sync, status or scenario, "
                        + "and see --help.");
            };
        } catch (UsageException e) {
            err.println("error: " + e.getMessage());
            return EXIT_USAGE;
        } catch (SimulatorException e) {
            err.println("error: " + e.getMessage());
            return EXIT_FAILED;
        }
    }

    private int enroll(Arguments arguments) {
        if (arguments.help()) {
            out.print(ENROLL_USAGE);
            return EXIT_OK;
        }
        String deviceId = arguments.deviceId();
        String userId = arguments.required("user-id");
        URI deviceService = arguments.serviceUrl(DEVICE_SERVICE, DEFAULT_DEVICE_SERVICE);
        DeviceKeyPairs.KeyType keyType = DeviceKeyPairs.KeyType.fromOption(arguments.orDefault("key-type", "rsa"));
        DeviceState state = new DeviceState(Path.of(arguments.orDefault("state-dir", DEFAULT_STATE_DIR)), deviceId);

        JsonNode previous = state.readDevice();
        PrivateKey key;
        try {
            if (state.hasKey()) {
                key = state.readKey();
                out.println("Using the existing " + DeviceKeyPairs.describe(key) + " device key " + state.keyFile());
            } else {
                key = DeviceKeyPairs.generate(keyType);
                state.writeKey(key);
                out.println("Created an " + keyType.label() + " device key in " + state.keyFile());
            }
        } catch (IOException e) {
            throw new SimulatorException("Writing the device key to " + state.keyFile() + " failed: " + e.getMessage(), e);
        }
        String pushToken = previous.hasNonNull("pushToken") ? previous.get("pushToken").asText() : newPushToken();

        ObjectNode request = EventJson.mapper().createObjectNode()
                .put("deviceId", deviceId)
                .put("userId", userId)
                .put("platform", arguments.orDefault("platform", "iOS"))
                .put("osVersion", arguments.orDefault("os-version", "18.1"))
                .put("model", arguments.orDefault("model", "iPhone16,2"))
                .put("devicePublicKeyPem", DevicePublicKeys.toPem(DeviceKeyPairs.publicKeyOf(key)))
                .put("pushToken", pushToken);
        ServiceClient devices = new ServiceClient(DEVICE_SERVICE, deviceService, http, null);
        JsonNode enrolled = devices.sendJson("POST", "/api/devices", request);

        ObjectNode saved = request.deepCopy();
        saved.remove("devicePublicKeyPem");
        try {
            state.writeDevice(saved);
        } catch (IOException e) {
            throw new SimulatorException("Writing " + state.folder().resolve(DeviceState.DEVICE_FILE) + " failed: "
                    + e.getMessage(), e);
        }

        out.println("Enrolled device " + deviceId + " for user " + userId + " at " + deviceService);
        out.println("  platform " + enrolled.path("platform").asText() + " " + enrolled.path("osVersion").asText()
                + ", model " + enrolled.path("model").asText() + ", management state "
                + enrolled.path("managementState").asText());
        out.println("  push token " + shortened(pushToken) + " (" + (enrolled.path("pushTokenPresent").asBoolean()
                ? "stored by device-service" : "not stored by device-service") + ")");
        out.println("  state folder " + state.folder());
        return EXIT_OK;
    }

    private int sync(Arguments arguments) {
        if (arguments.help()) {
            out.print(SYNC_USAGE);
            return EXIT_OK;
        }
        String deviceId = arguments.deviceId();
        DeviceState state = new DeviceState(Path.of(arguments.orDefault("state-dir", DEFAULT_STATE_DIR)), deviceId);
        URI deviceServiceUrl = arguments.serviceUrl(DEVICE_SERVICE, DEFAULT_DEVICE_SERVICE);
        URI certificateServiceUrl = arguments.serviceUrl(CERTIFICATE_SERVICE, DEFAULT_CERTIFICATE_SERVICE);
        URI notificationServiceUrl = arguments.serviceUrl(NOTIFICATION_SERVICE, DEFAULT_NOTIFICATION_SERVICE);

        PrivateKey key = state.readKey();
        DeviceTokenSigner signer = new DeviceTokenSigner(deviceId, key);
        ServiceClient devices = new ServiceClient(DEVICE_SERVICE, deviceServiceUrl, http, signer);
        ServiceClient certificates = new ServiceClient(CERTIFICATE_SERVICE, certificateServiceUrl, http, signer);
        ServiceClient notifications = new ServiceClient(NOTIFICATION_SERVICE, notificationServiceUrl, http, signer);

        printNotificationList(deviceId, notifications);

        JsonNode packages = certificates.getJson("/api/devices/" + deviceId + "/packages");
        if (!packages.isArray()) {
            throw new SimulatorException("certificate-service returned a package list that is not a JSON array.");
        }
        out.println("Packages: " + packages.size());
        List<String> failures = new ArrayList<>();
        for (JsonNode pkg : packages) {
            String packageId = pkg.path("packageId").asText();
            out.println("Package " + packageId + ", policy " + pkg.path("policyId").asText() + " version "
                    + pkg.path("policyVersion").asText() + ": " + pkg.path("status").asText());
            if (!"READY".equals(pkg.path("status").asText())) {
                String reason = pkg.path("reasonCode").asText("no reason code") + ": " + pkg.path("detail").asText("");
                out.println("  not installable (" + reason + ")");
                failures.add("package " + packageId + " is " + pkg.path("status").asText() + " (" + reason + ")");
                continue;
            }
            if (scepEnrolled(state, pkg.path("policyId").asText(), packageId)) {
                out.println("  already installed, with its SCEP signing certificate");
                continue;
            }
            try {
                installPackage(deviceId, packageId, key, state, certificates, devices);
            } catch (SimulatorException e) {
                out.println("  failed: " + e.getMessage());
                failures.add("package " + packageId + ": " + e.getMessage());
            }
        }

        try {
            printStatus(deviceId, devices);
        } catch (SimulatorException e) {
            out.println("failed to read the status: " + e.getMessage());
            failures.add("status: " + e.getMessage());
        }
        out.println("Landing page: " + deviceServiceUrl + "/landing/" + deviceId);

        if (!failures.isEmpty()) {
            err.println("error: sync did not install and confirm every package (" + failures.size()
                    + (failures.size() == 1 ? " problem):" : " problems):"));
            failures.forEach(failure -> err.println("  " + failure));
            return EXIT_FAILED;
        }
        out.println(packages.isEmpty() ? "No packages to install." : "Every package was installed and confirmed.");
        return EXIT_OK;
    }

    private void installPackage(String deviceId, String packageId, PrivateKey key, DeviceState state,
            ServiceClient certificates, ServiceClient devices) {
        if (!PACKAGE_ID.matcher(packageId).matches()) {
            throw new SimulatorException("the package id \"" + packageId + "\" is not a valid package id.");
        }
        byte[] envelope = certificates.getBytes("/api/devices/" + deviceId + "/packages/" + packageId, PACKAGE_MEDIA_TYPE);
        out.println("  downloaded " + envelope.length + " bytes");

        OpenedPackage opened = PackageOpener.open(envelope, key);
        JsonNode document = opened.document();
        if (!packageId.equals(document.path("packageId").asText()) || !deviceId.equals(document.path("deviceId").asText())) {
            throw new SimulatorException("the package document names package " + document.path("packageId").asText()
                    + " for device " + document.path("deviceId").asText() + " instead of package " + packageId
                    + " for device " + deviceId + ".");
        }
        out.println("  decrypted: policy \"" + document.path("policyName").asText() + "\" for "
                + document.path("email").asText() + ", PKCS#12 encoding "
                + document.path("pkcs12").path("encoding").asText("none") + ", " + opened.keys().size() + " keys, "
                + document.path("certificates").size() + " certificates in the manifest");

        Installation installation;
        try {
            installation = PackageInstaller.install(opened, state.installedFolder(), derivedCredentials(state));
        } catch (IOException e) {
            throw new SimulatorException("writing the installed files to " + state.installedFolder() + " failed: "
                    + e.getMessage(), e);
        }
        try {
            // The envelope is encrypted to this device, so it may stay beside the installed files for openssl.
            PemFiles.writeOwnerOnly(installation.folder().resolve(PACKAGE_FILE), envelope);
        } catch (IOException e) {
            throw new SimulatorException("writing " + PACKAGE_FILE + " to " + installation.folder() + " failed: "
                    + e.getMessage(), e);
        }
        out.println("  installed to " + installation.folder() + ": " + String.join(", ", installation.files()) + ", "
                + PACKAGE_FILE);
        boolean scep = document.path("scep").isObject();
        if (scep) {
            enrollOverScep(document, installation.folder());
        }
        if (!installation.missing().isEmpty() || !installation.unexpected().isEmpty()) {
            out.println("  warning: the installed certificates differ from the manifest (missing "
                    + installation.missing() + ", not listed " + installation.unexpected() + ")");
        }

        Map<String, Object> report = Map.of("packageId", packageId, "thumbprints", List.copyOf(installation.installedThumbprints()));
        JsonNode confirmed = devices.sendJson("POST", "/api/devices/" + deviceId + "/installations", report);
        String confirmedState = confirmed.path("state").asText();
        out.println("  reported " + installation.installedThumbprints().size() + " thumbprints: state " + confirmedState
                + (confirmed.hasNonNull("reasonCode") ? " (" + confirmed.get("reasonCode").asText() + ")" : ""));
        // With SCEP, INSTALLED waits for device-service to learn of the issued certificate over Kafka.
        boolean accepted = "INSTALLED".equals(confirmedState) || scep && "RETRIEVED".equals(confirmedState);
        if (!accepted) {
            throw new SimulatorException("device-service recorded state " + confirmedState + " instead of INSTALLED"
                    + (confirmed.hasNonNull("detail") ? ": " + confirmed.get("detail").asText() : "") + ".");
        }
    }

    /**
     * Requests the signing certificate over SCEP as the package instructs and writes it, its key and
     * {@value #SCEP_FILE} (the package id, serial number and thumbprint) to the installed folder.
     */
    private void enrollOverScep(JsonNode document, Path folder) {
        JsonNode instructions = document.path("scep");
        out.println("  SCEP: requesting a signing certificate for \"" + instructions.path("subject").asText() + "\" at "
                + instructions.path("url").asText() + " (RSA-" + instructions.path("keySize").asInt() + ")");
        ScepEnroller.Enrolled enrolled = new ScepEnroller(http).enroll(instructions);
        String thumbprint = PackageOpener.thumbprint(enrolled.certificate());
        String baseName = "signing-scep-" + thumbprint.substring(0, 8);
        try {
            PemFiles.writeOwnerOnly(folder.resolve(baseName + ".pem"), PemFiles.certificatePem(enrolled.certificate()));
            PemFiles.writeOwnerOnly(folder.resolve(baseName + ".key.pem"), PemFiles.privateKeyPem(enrolled.keys().getPrivate()));
            PemFiles.writeOwnerOnly(folder.resolve("scep-ca-" + PackageOpener.thumbprint(enrolled.ca()).substring(0, 8) + ".pem"),
                    PemFiles.certificatePem(enrolled.ca()));
            PemFiles.writeOwnerOnly(folder.resolve(SCEP_FILE), EventJson.mapper().createObjectNode()
                    .put("packageId", document.path("packageId").asText())
                    .put("serialNumber", enrolled.certificate().getSerialNumber().toString(16))
                    .put("thumbprintSha256", thumbprint)
                    .put("certificateFile", baseName + ".pem").toPrettyString() + "\n");
        } catch (IOException e) {
            throw new SimulatorException("writing the SCEP certificate to " + folder + " failed: " + e.getMessage(), e);
        }
        out.println("  SCEP: issued " + baseName + ".pem, serial " + enrolled.certificate().getSerialNumber().toString(16)
                + ", valid until " + enrolled.certificate().getNotAfter().toInstant());
    }

    /** Returns whether the package is installed and its SCEP certificate issued, so a sync must not enroll again. */
    private static boolean scepEnrolled(DeviceState state, String policyId, String packageId) {
        Path file = state.installedFolder().resolve(PackageInstaller.folderName(policyId)).resolve(SCEP_FILE);
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try {
            return packageId.equals(EventJson.mapper().readTree(file.toFile()).path("packageId").asText());
        } catch (IOException e) {
            return false;
        }
    }

    /** Prints the notification list. A failed request is only a warning, because the packages can still be installed. */
    private void printNotificationList(String deviceId, ServiceClient notifications) {
        JsonNode entries;
        try {
            entries = notifications.getJson("/api/devices/" + deviceId + "/company-portal/notifications");
        } catch (SimulatorException e) {
            out.println("warning: reading the Company Portal notification list failed: " + e.getMessage());
            return;
        }
        out.println("Company Portal notifications: " + entries.size());
        for (JsonNode entry : entries) {
            out.println("  " + (entry.path("read").asBoolean() ? "[read]   " : "[unread] ") + entry.path("createdAt").asText()
                    + "  " + entry.path("title").asText() + ": " + entry.path("body").asText());
        }
    }

    private int derived(Arguments arguments) {
        if (arguments.help()) {
            out.print(DERIVED_USAGE);
            return EXIT_OK;
        }
        String deviceId = arguments.deviceId();
        String purpose = arguments.required("purpose").toUpperCase(java.util.Locale.ROOT);
        if (!purpose.equals("SIGNING") && !purpose.equals("ENCRYPTION")) {
            throw new UsageException("Invalid --purpose \"" + purpose + "\". Use SIGNING or ENCRYPTION.");
        }

        DeviceState state = new DeviceState(Path.of(arguments.orDefault("state-dir", DEFAULT_STATE_DIR)), deviceId);
        PrivateKey deviceKey = state.readKey();
        String certificatePem;
        String chainPem;
        PrivateKey credentialKey;
        try {
            certificatePem = Files.readString(Path.of(arguments.required("certificate")));
            chainPem = arguments.orDefault("chain", null) == null ? null : Files.readString(Path.of(arguments.orDefault("chain", null)));
            credentialKey = PemFiles.readPrivateKey(Path.of(arguments.required("key")));
        } catch (IOException e) {
            throw new SimulatorException("Reading the derived credential failed: " + e.getMessage(), e);
        }

        ObjectNode request = EventJson.mapper().createObjectNode().put("purpose", purpose).put("certificatePem", certificatePem);
        var chain = request.putArray("chainPem");
        if (chainPem != null) {
            for (String part : chainPem.split("(?<=-----END CERTIFICATE-----)")) {
                if (part.contains("BEGIN CERTIFICATE")) {
                    chain.add(part.strip() + "\n");
                }
            }
        }
        URI certificateService = arguments.serviceUrl(CERTIFICATE_SERVICE, DEFAULT_CERTIFICATE_SERVICE);
        JsonNode stored = new ServiceClient(CERTIFICATE_SERVICE, certificateService, http,
                new DeviceTokenSigner(deviceId, deviceKey)).sendJson("POST", "/api/devices/" + deviceId + "/derived-credentials",
                        request);

        // Only a credential that certificate-service accepted replaces the one the device holds.
        try {
            Path folder = state.folder().resolve(DERIVED_FOLDER);
            PemFiles.createOwnerOnlyFolder(folder);
            PemFiles.writeOwnerOnly(folder.resolve(purpose.toLowerCase(java.util.Locale.ROOT) + ".pem"), certificatePem);
            PemFiles.writeOwnerOnly(folder.resolve(purpose.toLowerCase(java.util.Locale.ROOT) + ".key.pem"),
                    PemFiles.privateKeyPem(credentialKey));
        } catch (IOException e) {
            throw new SimulatorException("Storing the derived credential on the device failed: " + e.getMessage(), e);
        }

        out.println("Reported the " + purpose + " derived credential with SHA-256 "
                + stored.path("thumbprintSha256").asText() + ", serial " + stored.path("serialNumber").asText() + " ("
                + stored.path("subject").asText() + ", valid until " + stored.path("notAfter").asText() + ") of device "
                + deviceId + "; renewal due " + stored.path("renewalDueAt").asText());
        return EXIT_OK;
    }

    /** Reads the derived credentials stored on the device, by SHA-256 thumbprint of their certificates. */
    private static Map<String, PackageOpener.KeyEntry> derivedCredentials(DeviceState state) {
        Map<String, PackageOpener.KeyEntry> credentials = new java.util.HashMap<>();
        for (String purpose : List.of("signing", "encryption")) {
            Path certificateFile = state.folder().resolve(DERIVED_FOLDER).resolve(purpose + ".pem");
            Path keyFile = state.folder().resolve(DERIVED_FOLDER).resolve(purpose + ".key.pem");
            if (!Files.isRegularFile(certificateFile) || !Files.isRegularFile(keyFile)) {
                continue;
            }
            try (var in = Files.newInputStream(certificateFile)) {
                java.security.cert.X509Certificate certificate = (java.security.cert.X509Certificate)
                        java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
                credentials.put(PackageOpener.thumbprint(certificate),
                        new PackageOpener.KeyEntry(purpose, PemFiles.readPrivateKey(keyFile), certificate));
            } catch (IOException | java.security.GeneralSecurityException e) {
                throw new SimulatorException("Reading the derived credential " + certificateFile + " failed: "
                        + e.getMessage(), e);
            }
        }
        return credentials;
    }

    private int status(Arguments arguments) {
        if (arguments.help()) {
            out.print(STATUS_USAGE);
            return EXIT_OK;
        }
        String deviceId = arguments.deviceId();
        URI deviceServiceUrl = arguments.serviceUrl(DEVICE_SERVICE, DEFAULT_DEVICE_SERVICE);
        printStatus(deviceId, new ServiceClient(DEVICE_SERVICE, deviceServiceUrl, http, null));
        out.println("Landing page: " + deviceServiceUrl + "/landing/" + deviceId);
        return EXIT_OK;
    }

    private int scenario(Arguments arguments) {
        if (arguments.help()) {
            out.print(SCENARIO_USAGE);
            return EXIT_OK;
        }
        int firstPort = arguments.integer("first-service-port", Scenario.DEFAULT_FIRST_PORT, 1, 65532);
        int imapPort = arguments.integer("imap-port", Scenario.DEFAULT_IMAP_PORT, 1, 65535);
        int timeoutSeconds = arguments.integer("timeout", Scenario.DEFAULT_TIMEOUT_SECONDS, 1, 3600);
        Path stateDir = Path.of(arguments.orDefault("state-dir", Scenario.DEFAULT_STATE_DIR));
        String input = arguments.orDefault("input", null);
        return new Scenario(out, http).run(stateDir, input == null ? null : Path.of(input), firstPort, imapPort,
                Duration.ofSeconds(timeoutSeconds));
    }

    private void printStatus(String deviceId, ServiceClient devices) {
        JsonNode status = devices.getJson("/api/devices/" + deviceId + "/status");
        out.println("Status of device " + deviceId + ":");
        if (status.path("policies").isEmpty()) {
            out.println("  no policies");
        }
        for (JsonNode policy : status.path("policies")) {
            out.println("  policy " + policy.path("policyId").asText() + " version " + policy.path("policyVersion").asText()
                    + ": " + policy.path("state").asText()
                    + (policy.hasNonNull("reasonCode") ? " (" + policy.get("reasonCode").asText() + ")" : "")
                    + (policy.hasNonNull("packageId") ? ", package " + policy.get("packageId").asText() : "")
                    + (policy.hasNonNull("detail") ? ", " + policy.get("detail").asText() : ""));
        }
        JsonNode transitions = status.path("transitions");
        if (!transitions.isEmpty()) {
            out.println("Transitions:");
            for (JsonNode transition : transitions) {
                out.println("  " + transition.path("changedAt").asText() + "  policy " + transition.path("policyId").asText()
                        + " version " + transition.path("policyVersion").asText() + ": "
                        + transition.path("fromState").asText("-") + " -> " + transition.path("toState").asText()
                        + (transition.hasNonNull("reasonCode") ? " (" + transition.get("reasonCode").asText() + ")" : ""));
            }
        }
    }

    /** Returns 64 random bytes in lower-case hex, the form of an APNs device token. */
    private static String newPushToken() {
        byte[] token = new byte[PUSH_TOKEN_BYTES];
        new SecureRandom().nextBytes(token);
        return HexFormat.of().formatHex(token);
    }

    /** Returns the first characters of a token, so that output never contains a whole token. */
    static String shortened(String token) {
        return token.substring(0, Math.min(SHOWN_TOKEN_CHARACTERS, token.length())) + "…";
    }
}
