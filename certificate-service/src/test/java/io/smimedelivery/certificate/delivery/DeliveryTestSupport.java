package io.smimedelivery.certificate.delivery;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

import io.restassured.http.ContentType;
import io.smimedelivery.certificate.pkcs12.TestPkcs12Files;
import io.smimedelivery.certificate.pkcs12.TestPki;
import io.smimedelivery.deviceauth.DevicePublicKeys;
import io.smimedelivery.events.DeviceEnrolled;
import io.smimedelivery.events.EncryptionProfileType;
import io.smimedelivery.events.EndUserNotification;
import io.smimedelivery.events.PolicyAssigned;
import io.smimedelivery.events.PolicySettings;
import io.smimedelivery.events.SigningProfileType;
import io.smimedelivery.events.TrustedRoot;

/** Test users, devices and policies, and the openssl command, for package delivery tests. */
public final class DeliveryTestSupport {

    public static final String PASSWORD = "Test.1234";

    private DeliveryTestSupport() {
    }

    /** A test user with an encryption history and a signing certificate issued to {@code email}. */
    public record TestUser(String userId, String upn, String email, TestPki.Issued enc2020, TestPki.Issued enc2023,
            TestPki.Issued enc2026, TestPki.Issued sign) {

        public List<TestPki.Issued> all() {
            return List.of(enc2020, enc2023, enc2026, sign);
        }
    }

    public static TestUser newUser(String name) {
        TestPki pki = TestPki.get();
        String suffix = Long.toHexString(System.nanoTime());
        String email = name + "." + suffix + "@example.test";
        KeyPurposeId protection = KeyPurposeId.id_kp_emailProtection;
        return new TestUser("usr-" + name + "-" + suffix, name + "." + suffix + "@corp.example.test", email,
                pki.user(name, email, email, pki.rsa(), "2020-02-01", "2022-02-01", KeyUsage.keyEncipherment, protection),
                pki.user(name, email, email, pki.rsa(), "2023-02-01", "2027-07-01", KeyUsage.keyEncipherment, protection),
                pki.user(name, email, email, pki.rsa(), "2026-11-01", "2029-11-01", KeyUsage.keyEncipherment, protection),
                pki.user(name, email, email, pki.rsa(), "2025-03-01", "2027-03-01",
                        KeyUsage.digitalSignature | KeyUsage.nonRepudiation, protection));
    }

    /** Imports certificates through the API, naming the user by e-mail address, and checks each is IMPORTED. */
    public static void importCertificates(String email, List<TestPki.Issued> certificates) {
        importCertificates("email", email, certificates);
    }

    /**
     * Imports certificates through the API, naming the user in {@code field} ({@code email} or
     * {@code userPrincipalName}), and checks each is IMPORTED.
     */
    public static void importCertificates(String field, String address, List<TestPki.Issued> certificates) {
        List<Map<String, Object>> files = new ArrayList<>();
        for (TestPki.Issued issued : certificates) {
            byte[] pkcs12 = TestPkcs12Files.single(TestPkcs12Files.Style.OPENSSL_AES256, issued, true, PASSWORD.toCharArray());
            files.add(Map.of(field, address, "purpose", "UNASSIGNED", "pkcs12", Base64.getEncoder().encodeToString(pkcs12),
                    "password", PASSWORD));
        }
        var response = given().contentType(ContentType.JSON).body(Map.of("files", files)).post("/api/certificates/imports")
                .then().statusCode(200);
        for (int i = 0; i < certificates.size(); i++) {
            response.body("results[" + i + "].status", equalTo("IMPORTED"));
        }
    }

    public static PolicySettings settings(SigningProfileType signing, EncryptionProfileType encryption) {
        return settings(signing, encryption, signing == SigningProfileType.SCEP ? scepProfile() : null);
    }

    public static PolicySettings settings(SigningProfileType signing, EncryptionProfileType encryption,
            io.smimedelivery.events.ScepProfileSnapshot scepProfile) {
        TestPki pki = TestPki.get();
        return new PolicySettings(true, false, true, signing, encryption, EndUserNotification.COMPANY_PORTAL, false, true,
                true, true, "ldaps://ldap.example.test:636", List.of(
                        trustedRoot(pki.rootCa.certificate()), trustedRoot(pki.issuingCa.certificate())),
                scepProfile);
    }

    /** A SCEP profile like Intune's default for S/MIME signing: the user's name and address, RSA 2048. */
    public static io.smimedelivery.events.ScepProfileSnapshot scepProfile() {
        return new io.smimedelivery.events.ScepProfileSnapshot("scep-profile-1", "CN={{UserName}},E={{EmailAddress}}",
                List.of(new io.smimedelivery.events.ScepProfileSnapshot.SubjectAlternativeName("EMAIL", "{{EmailAddress}}")),
                2048, List.of("DIGITAL_SIGNATURE"), 12, List.of("1.3.6.1.5.5.7.3.4"), 20, "root-profile-1");
    }

    public static PolicyAssigned assignment(TestUser user, String policyId, int version, PolicySettings settings) {
        return new PolicyAssigned(policyId, version, "Outlook S/MIME " + policyId, settings, user.userId(), user.upn(),
                user.email(), "it", Instant.now());
    }

    public static DeviceEnrolled enrollment(String deviceId, String userId, String platform, KeyPair deviceKeys) {
        return new DeviceEnrolled(deviceId, userId, platform, "18.1", "iPhone16,2", true,
                DevicePublicKeys.toPem(deviceKeys.getPublic()), null, Instant.now());
    }

    public static TrustedRoot trustedRoot(X509CertificateHolder certificate) {
        try {
            String pem = pem(certificate);
            String thumbprint = java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
            return new TrustedRoot("roots-test", thumbprint, certificate.getSubject().toString(), pem);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String pem(Object object) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return text.toString();
    }

    /** Writes a private key as PKCS#8 PEM, the form openssl's -inkey reads. */
    public static Path writeKey(Path directory, String name, java.security.PrivateKey key) throws IOException {
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        return Files.writeString(directory.resolve(name), pem);
    }

    /** Runs openssl with {@code arguments} and returns its standard output; fails the test on a non-zero exit. */
    public static String openssl(Path workingDirectory, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(workingDirectory.toFile())
                .redirectError(workingDirectory.resolve("openssl-stderr.txt").toFile()).start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("openssl " + arguments[0] + " did not finish");
        }
        if (process.exitValue() != 0) {
            throw new AssertionError("openssl " + String.join(" ", arguments) + " failed with exit " + process.exitValue()
                    + ": " + Files.readString(workingDirectory.resolve("openssl-stderr.txt")));
        }
        return new String(output, StandardCharsets.UTF_8);
    }

    /** Runs openssl and returns its exit code, for commands that must fail. */
    public static int opensslExit(Path workingDirectory, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(workingDirectory.toFile())
                .redirectErrorStream(true).redirectOutput(workingDirectory.resolve("openssl-out.txt").toFile()).start();
        process.getOutputStream().close();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("openssl " + arguments[0] + " did not finish");
        }
        return process.exitValue();
    }
}
