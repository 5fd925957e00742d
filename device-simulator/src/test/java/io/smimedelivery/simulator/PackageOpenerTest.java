package io.smimedelivery.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.smimedelivery.events.EventJson;
import io.smimedelivery.simulator.PackageInstaller.Installation;
import io.smimedelivery.simulator.PackageOpener.OpenedPackage;
import io.smimedelivery.simulator.TestPackages.Credential;
import io.smimedelivery.simulator.TestPackages.Encoding;
import io.smimedelivery.simulator.TestPackages.Material;

class PackageOpenerTest {

    private static final String PACKAGE_ID = "6f1c2a1e-3b7d-4c55-9d0e-0a5b4f1e2c3d";
    private static final String DEVICE_ID = "iphone-mario-1";
    private static final String POLICY_ID = "pol-1";

    private static KeyPair deviceKeys;
    private static Material material;

    @TempDir
    Path folder;

    @BeforeAll
    static void createKeys() throws Exception {
        deviceKeys = TestPackages.rsaKeyPair();
        material = TestPackages.material();
    }

    @ParameterizedTest
    @EnumSource(Encoding.class)
    void opensAndInstallsPackage(Encoding encoding) throws Exception {
        byte[] envelope = TestPackages.envelope(
                TestPackages.document(material, encoding, PACKAGE_ID, DEVICE_ID, POLICY_ID), deviceKeys.getPublic());

        OpenedPackage opened = PackageOpener.open(envelope, deviceKeys.getPrivate());
        assertEquals(PACKAGE_ID, opened.document().path("packageId").asText());
        assertEquals(2, opened.keys().size());
        assertEquals(1, opened.trustedCertificates().size());

        Installation installation = PackageInstaller.install(opened, folder.resolve("installed"));
        assertEquals(folder.resolve("installed").resolve(POLICY_ID), installation.folder());
        assertEquals(new HashSet<>(material.thumbprints()), installation.installedThumbprints());
        assertTrue(installation.missing().isEmpty(), "missing " + installation.missing());
        assertTrue(installation.unexpected().isEmpty(), "unexpected " + installation.unexpected());

        for (Credential credential : material.credentials()) {
            String thumbprint = PackageOpener.thumbprint(credential.certificate());
            String baseName = credential.role().toLowerCase(Locale.ROOT) + "-" + thumbprint.substring(0, 8);
            Path certificateFile = installation.folder().resolve(baseName + ".pem");
            Path keyFile = installation.folder().resolve(baseName + ".key.pem");

            assertEquals(thumbprint, opensslFingerprint(certificateFile));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
            assertTrue(Files.readString(keyFile).startsWith("-----BEGIN PRIVATE KEY-----"));
            assertEquals(openssl("x509", "-in", certificateFile.toString(), "-noout", "-pubkey"),
                    openssl("pkey", "-in", keyFile.toString(), "-pubout"),
                    "the key file does not hold the private key of " + certificateFile.getFileName());
        }
        String caThumbprint = PackageOpener.thumbprint(material.ca());
        Path caFile = installation.folder().resolve("trusted-root-" + caThumbprint.substring(0, 8) + ".pem");
        assertEquals(caThumbprint, opensslFingerprint(caFile));

        String manifestText = Files.readString(installation.folder().resolve(PackageInstaller.MANIFEST_FILE));
        assertFalse(manifestText.contains(TestPackages.PKCS12_PASSWORD), "manifest.json contains the PKCS#12 password");
        JsonNode manifest = EventJson.mapper().readTree(manifestText);
        assertEquals(encoding.name, manifest.path("pkcs12").path("encoding").asText());
        assertFalse(manifest.path("pkcs12").has("data"));
        assertEquals(3, manifest.path("certificates").size());

        JsonNode appConfig = EventJson.mapper().readTree(installation.folder().resolve(PackageInstaller.APP_CONFIG_FILE).toFile());
        assertEquals(TestPackages.EMAIL, appConfig.path("IntuneMAMUPN").asText());
    }

    @Test
    void reinstallReplacesEarlierFiles() throws Exception {
        Path installed = folder.resolve("installed");
        Files.createDirectories(installed.resolve(POLICY_ID));
        Files.writeString(installed.resolve(POLICY_ID).resolve("encryption-00000000.pem"), "old");

        byte[] envelope = TestPackages.envelope(
                TestPackages.document(material, Encoding.AES256, PACKAGE_ID, DEVICE_ID, POLICY_ID), deviceKeys.getPublic());
        Installation installation = PackageInstaller.install(PackageOpener.open(envelope, deviceKeys.getPrivate()), installed);

        assertFalse(Files.exists(installation.folder().resolve("encryption-00000000.pem")));
        assertEquals(7, installation.files().size());
    }

    @ParameterizedTest
    @EnumSource(value = DeviceKeyPairs.KeyType.class, names = { "EC_P256", "EC_P384" })
    void opensPackageForEcDeviceKey(DeviceKeyPairs.KeyType keyType) throws Exception {
        PrivateKey deviceKey = DeviceKeyPairs.generate(keyType);
        PublicKey publicKey = DeviceKeyPairs.publicKeyOf(deviceKey);
        Path keyFile = folder.resolve("device-key.pem");
        PemFiles.writeOwnerOnly(keyFile, PemFiles.privateKeyPem(deviceKey));
        PrivateKey stored = PemFiles.readPrivateKey(keyFile);
        assertEquals(publicKey, DeviceKeyPairs.publicKeyOf(stored), "public key derived from the stored key");

        String curve = keyType == DeviceKeyPairs.KeyType.EC_P256 ? "secp256r1" : "secp384r1";
        byte[] envelope = TestPackages.ecEnvelope(
                TestPackages.document(material, Encoding.AES256, PACKAGE_ID, DEVICE_ID, POLICY_ID), publicKey, curve);
        OpenedPackage opened = PackageOpener.open(envelope, stored);
        assertEquals(PACKAGE_ID, opened.document().path("packageId").asText());
        assertEquals(2, opened.keys().size());

        Path envelopeFile = folder.resolve("package.p7m");
        Files.write(envelopeFile, envelope);
        String decrypted = openssl("cms", "-decrypt", "-inform", "DER", "-in", envelopeFile.toString(), "-inkey",
                keyFile.toString());
        assertTrue(decrypted.contains(PACKAGE_ID), "openssl cms -decrypt opens the ECDH envelope");
    }

    @Test
    void derivedCredentialIsInstalledFromTheDevice() throws Exception {
        ScenarioPki pki = new ScenarioPki(java.time.Instant.now());
        ScenarioPki.UserCertificate credential = pki.issue(TestPackages.EMAIL, "Mario Rossi", ScenarioInput.Purpose.SIGNING,
                ScenarioInput.Age.CURRENT, ScenarioPki.Encoding.AES256);
        X509Certificate certificate = credential.credential().certificate();
        String thumbprint = PackageOpener.thumbprint(certificate);
        com.fasterxml.jackson.databind.node.ObjectNode document =
                TestPackages.document(material, Encoding.AES256, PACKAGE_ID, DEVICE_ID, POLICY_ID);
        ((com.fasterxml.jackson.databind.node.ArrayNode) document.get("certificates")).addObject()
                .put("role", "SIGNING").put("current", true).put("thumbprintSha256", thumbprint).put("inPkcs12", false);
        byte[] envelope = TestPackages.envelope(document, deviceKeys.getPublic());

        Installation installation = PackageInstaller.install(PackageOpener.open(envelope, deviceKeys.getPrivate()),
                folder.resolve("installed"), Map.of(thumbprint, new PackageOpener.KeyEntry("signing",
                        credential.credential().keys().getPrivate(), certificate)));

        assertTrue(installation.installedThumbprints().contains(thumbprint), "the derived credential counts as installed");
        assertTrue(installation.missing().isEmpty(), "missing " + installation.missing());
        assertTrue(Files.exists(installation.folder().resolve("signing-derived-" + thumbprint.substring(0, 8) + ".key.pem")));
    }

    @Test
    void packageForAnotherKeyIsRejected() throws Exception {
        byte[] envelope = TestPackages.envelope(
                TestPackages.document(material, Encoding.LEGACY_3DES, PACKAGE_ID, DEVICE_ID, POLICY_ID),
                deviceKeys.getPublic());
        KeyPair otherKeys = TestPackages.rsaKeyPair();

        SimulatorException error = assertThrows(SimulatorException.class,
                () -> PackageOpener.open(envelope, otherKeys.getPrivate()));
        assertTrue(error.getMessage().contains("no recipient info"), error.getMessage());
    }

    @Test
    void policyIdBecomesSafeFolderName() {
        assertEquals("pol-1", PackageInstaller.folderName("pol-1"));
        assertEquals(".._etc", PackageInstaller.folderName("../etc"));
        assertEquals("_..", PackageInstaller.folderName(".."));
    }

    private static String opensslFingerprint(Path certificate) throws Exception {
        String output = openssl("x509", "-in", certificate.toString(), "-noout", "-fingerprint", "-sha256");
        return output.substring(output.indexOf('=') + 1).strip().replace(":", "").toLowerCase(Locale.ROOT);
    }

    /** Runs the openssl command line and returns its standard output. A non-zero exit status fails the test. */
    static String openssl(String... arguments) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "openssl did not finish: " + command);
        assertEquals(0, process.exitValue(), "openssl " + String.join(" ", arguments) + " failed: " + output);
        return output;
    }
}
