package io.smimedelivery.simulator;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import io.smimedelivery.events.EventJson;
import io.smimedelivery.simulator.ScenarioSync.DeviceResult;

/**
 * Proves with openssl that each INSTALLED device's package and keys work. The downloaded package must
 * decrypt with the device key and its PKCS#12 must open with the password inside. Old mail must open
 * with an installed encryption key. A message signed with the installed signing key and encrypted to the current encryption
 * certificate must decrypt and verify against the installed CA certificates.
 */
final class ScenarioChecks {

    private static final long OPENSSL_TIMEOUT_SECONDS = 30;
    private static final int THUMBPRINT_PREFIX = 8;

    private final PrintStream out;
    private final Path stateDir;
    private final Path deviceDir;
    private boolean ok = true;

    ScenarioChecks(PrintStream out, Path stateDir, Path deviceDir) {
        this.out = out;
        this.stateDir = stateDir;
        this.deviceDir = deviceDir;
    }

    /** Runs the checks of every INSTALLED device and returns whether all passed. Without openssl it runs none and returns true. */
    boolean run(Map<String, DeviceResult> results, Map<String, String> oldMailMarkers) {
        Optional<Path> openssl = findOnPath("openssl");
        if (openssl.isEmpty()) {
            out.println("NOTE openssl is not on the PATH, so the decrypt, sign and verify checks were skipped.");
            return true;
        }
        for (DeviceResult result : results.values()) {
            if (!"INSTALLED".equals(result.state())) {
                continue;
            }
            try {
                checkDevice(openssl.get().toString(), result, oldMailMarkers.get(result.user().email()));
            } catch (IOException e) {
                report(false, result.device().id() + ": reading the installed files failed: " + e.getMessage());
            }
        }
        return ok;
    }

    private void checkDevice(String openssl, DeviceResult result, String oldMailMarker) throws IOException {
        String deviceId = result.device().id();
        Path folder = deviceDir.resolve(deviceId).resolve("installed")
                .resolve(result.policyId().replaceAll("[^A-Za-z0-9._-]", "_"));
        JsonNode manifest = EventJson.mapper().readTree(folder.resolve("manifest.json").toFile());
        Path work = stateDir.resolve("checks").resolve(deviceId);
        PemFiles.createOwnerOnlyFolder(work.getParent());
        PemFiles.createOwnerOnlyFolder(work);

        checkPackage(openssl, deviceId, folder, work);

        List<String> encryptionThumbprints = new ArrayList<>();
        String currentEncryption = null;
        String signing = null;
        for (JsonNode certificate : manifest.path("certificates")) {
            String thumbprint = certificate.path("thumbprintSha256").asText().toLowerCase();
            switch (certificate.path("role").asText()) {
                case "ENCRYPTION" -> {
                    encryptionThumbprints.add(thumbprint);
                    if (certificate.path("current").asBoolean()) {
                        currentEncryption = thumbprint;
                    }
                }
                case "SIGNING" -> signing = thumbprint;
                default -> { }
            }
        }

        if (signing == null && Files.isRegularFile(folder.resolve(DeviceSimulator.SCEP_FILE))) {
            // With SCEP signing the device made its own signing key; scep.json names the issued certificate.
            signing = EventJson.mapper().readTree(folder.resolve(DeviceSimulator.SCEP_FILE).toFile())
                    .path("thumbprintSha256").asText();
            checkScepCertificate(openssl, deviceId, folder, work);
        }
        if (oldMailMarker != null) {
            checkOldMail(openssl, result, folder, work, encryptionThumbprints, oldMailMarker);
        }
        if (currentEncryption == null || signing == null) {
            report(false, deviceId + ": the manifest lacks a current encryption or a signing certificate");
            return;
        }
        checkSignAndEncrypt(openssl, deviceId, folder, work, currentEncryption, signing);
    }

    /**
     * Decrypts the downloaded package with the device key ({@code openssl cms -decrypt}) and reads its
     * PKCS#12 ({@code openssl pkcs12}); the PKCS#12 must hold as many keys as the device installed.
     */
    private void checkPackage(String openssl, String deviceId, Path folder, Path work) throws IOException {
        Path envelope = folder.resolve(DeviceSimulator.PACKAGE_FILE);
        Path deviceKey = deviceDir.resolve(deviceId).resolve(DeviceState.KEY_FILE);
        Path document = work.resolve("package.json");
        PemFiles.writeOwnerOnly(document, "");
        OpensslRun decrypt = openssl(work, openssl, "cms", "-decrypt", "-inform", "DER", "-in", envelope.toString(),
                "-inkey", deviceKey.toString(), "-out", document.toString());
        if (decrypt.status() != 0) {
            report(false, deviceId + ": openssl cms -decrypt of " + DeviceSimulator.PACKAGE_FILE + " with the device key failed: "
                    + decrypt.firstErrorLine());
            return;
        }

        JsonNode pkcs12 = EventJson.mapper().readTree(document.toFile()).path("pkcs12");
        Path pkcs12File = work.resolve("package.p12");
        Path passwordFile = work.resolve("package-password.txt");
        Path contents = work.resolve("package-contents.pem");
        PemFiles.writeOwnerOnly(pkcs12File, java.util.Base64.getDecoder().decode(pkcs12.path("data").asText()));
        PemFiles.writeOwnerOnly(passwordFile, pkcs12.path("password").asText() + "\n");
        PemFiles.writeOwnerOnly(contents, "");
        OpensslRun read = openssl(work, openssl, "pkcs12", "-in", pkcs12File.toString(), "-passin",
                "file:" + passwordFile, "-nodes", "-out", contents.toString());
        if (read.status() != 0) {
            report(false, deviceId + ": openssl pkcs12 could not read the package's PKCS#12 ("
                    + pkcs12.path("encoding").asText() + "): " + read.firstErrorLine());
            return;
        }

        String pem = Files.readString(contents, StandardCharsets.US_ASCII);
        long keys = count(pem, "-----BEGIN PRIVATE KEY-----");
        long certificates = count(pem, "-----BEGIN CERTIFICATE-----");
        long installedKeys;
        try (Stream<Path> files = Files.list(folder)) {
            // A SCEP signing key was made on the device and is not in the package.
            installedKeys = files.map(file -> file.getFileName().toString())
                    .filter(name -> name.endsWith(".key.pem") && !name.startsWith("signing-scep-")).count();
        }
        report(keys > 0 && keys == installedKeys, deviceId + ": openssl cms -decrypt opens the package with the "
                + "device key, and openssl pkcs12 reads its " + pkcs12.path("encoding").asText() + " PKCS#12: " + keys
                + " keys, " + certificates + " certificates (" + installedKeys + " keys installed)");
    }

    /** Verifies the SCEP certificate against the CA that issued it and shows its e-mail protection EKU. */
    private void checkScepCertificate(String openssl, String deviceId, Path folder, Path work) throws IOException {
        String certificateFile = EventJson.mapper().readTree(folder.resolve(DeviceSimulator.SCEP_FILE).toFile())
                .path("certificateFile").asText();
        Optional<Path> ca;
        try (Stream<Path> files = Files.list(folder)) {
            ca = files.filter(file -> file.getFileName().toString().startsWith("scep-ca-")).findFirst();
        }
        if (ca.isEmpty()) {
            report(false, deviceId + ": the SCEP CA certificate is not in the installed folder");
            return;
        }
        OpensslRun verify = openssl(work, openssl, "verify", "-CAfile", ca.get().toString(), "-purpose", "smimesign",
                folder.resolve(certificateFile).toString());
        report(verify.status() == 0, deviceId + ": openssl verify accepts the SCEP signing certificate " + certificateFile
                + " for S/MIME signing against " + ca.get().getFileName()
                + (verify.status() == 0 ? "" : ": " + verify.firstErrorLine()));
    }

    private static long count(String text, String marker) {
        long count = 0;
        for (int at = text.indexOf(marker); at >= 0; at = text.indexOf(marker, at + marker.length())) {
            count++;
        }
        return count;
    }

    private void checkOldMail(String openssl, DeviceResult result, Path folder, Path work, List<String> thumbprints,
            String marker) throws IOException {
        String localPart = result.user().localPart();
        Path mail = stateDir.resolve("old-mail-" + localPart + ".eml");
        Path decrypted = work.resolve("old-mail.txt");
        for (String thumbprint : thumbprints) {
            Optional<Path> key = installedFile(folder, thumbprint, ".key.pem");
            if (key.isEmpty()) {
                continue;
            }
            Files.deleteIfExists(decrypted);
            OpensslRun run = openssl(work, openssl, "cms", "-decrypt", "-debug_decrypt", "-in", mail.toString(),
                    "-inkey", key.get().toString(), "-out", decrypted.toString());
            if (run.status() == 0 && Files.readString(decrypted, StandardCharsets.UTF_8).contains(marker)) {
                report(true, result.device().id() + ": old-mail-" + localPart + ".eml decrypts with installed key "
                        + key.get().getFileName());
                return;
            }
        }
        report(false, result.device().id() + ": none of the " + thumbprints.size()
                + " installed encryption keys decrypts old-mail-" + localPart + ".eml");
    }

    private void checkSignAndEncrypt(String openssl, String deviceId, Path folder, Path work, String encryption,
            String signing) throws IOException {
        Optional<Path> signingCertificate = installedFile(folder, signing, ".pem");
        Optional<Path> signingKey = installedFile(folder, signing, ".key.pem");
        Optional<Path> encryptionCertificate = installedFile(folder, encryption, ".pem");
        Optional<Path> encryptionKey = installedFile(folder, encryption, ".key.pem");
        if (signingCertificate.isEmpty() || signingKey.isEmpty() || encryptionCertificate.isEmpty() || encryptionKey.isEmpty()) {
            report(false, deviceId + ": the installed folder lacks the signing or current encryption certificate or key");
            return;
        }
        Path caFile = work.resolve("installed-ca.pem");
        StringBuilder cas = new StringBuilder();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if ((name.startsWith("trusted-root-") || name.startsWith("intermediate-") || name.startsWith("scep-ca-"))
                        && !name.endsWith(".key.pem")) {
                    cas.append(Files.readString(file, StandardCharsets.US_ASCII));
                }
            }
        }
        Files.writeString(caFile, cas.toString(), StandardCharsets.US_ASCII);

        String marker = "scenario-new-mail-" + deviceId + "-" + System.nanoTime();
        Path message = work.resolve("new-mail.txt");
        Files.writeString(message, "Signed and encrypted on " + deviceId + ".\r\nMarker: " + marker + "\r\n",
                StandardCharsets.US_ASCII);
        Path signed = work.resolve("new-mail-signed.eml");
        Path encrypted = work.resolve("new-mail-encrypted.eml");
        Path decrypted = work.resolve("new-mail-decrypted.eml");
        Path verified = work.resolve("new-mail-verified.txt");

        List<OpensslRun> steps = new ArrayList<>();
        steps.add(openssl(work, openssl, "cms", "-sign", "-in", message.toString(), "-signer", signingCertificate.get().toString(),
                "-inkey", signingKey.get().toString(), "-out", signed.toString()));
        steps.add(openssl(work, openssl, "cms", "-encrypt", "-aes256", "-in", signed.toString(), "-out", encrypted.toString(),
                encryptionCertificate.get().toString()));
        steps.add(openssl(work, openssl, "cms", "-decrypt", "-in", encrypted.toString(), "-recip",
                encryptionCertificate.get().toString(), "-inkey", encryptionKey.get().toString(), "-out", decrypted.toString()));
        steps.add(openssl(work, openssl, "cms", "-verify", "-in", decrypted.toString(), "-CAfile", caFile.toString(),
                "-out", verified.toString()));
        for (OpensslRun step : steps) {
            if (step.status() != 0) {
                report(false, deviceId + ": sign, encrypt, decrypt and verify failed at \"" + step.command() + "\": "
                        + step.firstErrorLine());
                return;
            }
        }
        boolean same = Files.readString(verified, StandardCharsets.US_ASCII).contains(marker);
        report(same, deviceId + ": new mail signed with " + signingKey.get().getFileName() + " and encrypted to "
                + encryptionCertificate.get().getFileName() + (same ? " decrypts and verifies against the installed CAs"
                        : " verified, but the content differs from the message"));
    }

    /** Returns the installed file of a certificate: {@code <role>-<thumbprint prefix><suffix>}. */
    private static Optional<Path> installedFile(Path folder, String thumbprint, String suffix) throws IOException {
        String ending = "-" + thumbprint.substring(0, THUMBPRINT_PREFIX) + suffix;
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(file -> file.getFileName().toString().endsWith(ending)).sorted().findFirst();
        }
    }

    private void report(boolean pass, String text) {
        ok &= pass;
        out.println((pass ? "PASS " : "FAIL ") + text);
    }

    record OpensslRun(String command, int status, String firstErrorLine) {
    }

    /** Runs openssl with stdin closed and its error output in a file of the work folder, and discards its standard output. */
    private static OpensslRun openssl(Path work, String... command) throws IOException {
        Path errors = work.resolve("openssl-errors.txt");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(errors.toFile());
        String commandName = "openssl " + command[1] + " " + command[2];
        Process process = builder.start();
        try {
            if (!process.waitFor(OPENSSL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new OpensslRun(commandName, -1, "timed out after " + OPENSSL_TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return new OpensslRun(commandName, -1, "interrupted");
        }
        List<String> lines = Files.readAllLines(errors, StandardCharsets.UTF_8);
        String first = lines.stream().filter(line -> !line.isBlank()).findFirst().orElse("(no error output)");
        return new OpensslRun(commandName, process.exitValue(), first);
    }

    private static Optional<Path> findOnPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String folder : path.split(File.pathSeparator)) {
            Path candidate = Path.of(folder.isEmpty() ? "." : folder, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
