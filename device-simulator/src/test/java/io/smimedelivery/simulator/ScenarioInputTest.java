package io.smimedelivery.simulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateExpiredException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.pkcs.PKCS12PfxPdu;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.smimedelivery.simulator.Scenario.User;
import io.smimedelivery.simulator.ScenarioInput.Age;
import io.smimedelivery.simulator.ScenarioInput.InputFile;
import io.smimedelivery.simulator.ScenarioInput.Purpose;
import io.smimedelivery.simulator.ScenarioPki.Encoding;
import io.smimedelivery.simulator.ScenarioPki.UserCertificate;

class ScenarioInputTest {

    private static final List<String> EMAILS = Scenario.USERS.stream().map(User::email).toList();

    @TempDir
    Path folder;

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);

    @Test
    void readsFolderMadeByAnotherTool() throws Exception {
        ScenarioPki pki = new ScenarioPki(Instant.now());
        UserCertificate encryption = pki.issue("mario.rossi@example.it", "Mario Rossi", Purpose.ENCRYPTION, Age.SUPERSEDED,
                Encoding.LEGACY_3DES);
        UserCertificate dual = pki.issue("luca.verdi@example.it", "Luca Verdi", Purpose.DUAL, Age.CURRENT, Encoding.AES256);
        UserCertificate stranger = pki.issue("nobody@example.it", "Nobody", Purpose.SIGNING, Age.CURRENT, Encoding.AES256);
        writeFolder(pki, List.of(encryption, dual, stranger), "pässwörd-ü");

        ScenarioInput input = ScenarioInput.read(folder, EMAILS, out);

        assertEquals(2, input.files().size());
        InputFile mario = input.find("mario.rossi@example.it", Purpose.ENCRYPTION, Age.SUPERSEDED).orElseThrow();
        assertArrayEquals(encryption.credential().certificate().getEncoded(), mario.certificate().getEncoded());
        assertEquals("pässwörd-ü", mario.password(), "a non-ASCII password is read as UTF-8");
        assertTrue(input.find("luca.verdi@example.it", Purpose.DUAL, Age.CURRENT).isPresent());
        assertArrayEquals(pki.rootCertificate().getEncoded(), input.rootCertificate().getEncoded());
        assertTrue(output.toString(StandardCharsets.UTF_8).contains("skipped nobody-signing-current.p12"),
                output.toString(StandardCharsets.UTF_8));
    }

    @Test
    void missingPasswordIsRejected() throws Exception {
        ScenarioPki pki = new ScenarioPki(Instant.now());
        UserCertificate signing = pki.issue("anna.neri@example.it", "Anna Neri", Purpose.SIGNING, Age.CURRENT, Encoding.AES256);
        writeFolder(pki, List.of(signing), "secret");
        Files.writeString(folder.resolve(ScenarioInput.PASSWORD_FILE), "# no lines\n");

        UsageException error = assertThrows(UsageException.class, () -> ScenarioInput.read(folder, EMAILS, out));
        assertTrue(error.getMessage().contains("no password for anna.neri-signing-current.p12"), error.getMessage());
    }

    @Test
    void opensslScriptMakesScenarioPki() throws Exception {
        assumeTrue(onPath("openssl") && onPath("bash"), "make-pki.sh needs bash and openssl");
        Path stateDir = folder.resolve("state");
        PemFiles.createOwnerOnlyFolder(stateDir);

        Path pki = ScenarioInput.makeWithOpenssl(stateDir, out);
        ScenarioInput input = ScenarioInput.read(pki, EMAILS, out);

        assertTrue(input.files().stream().filter(file -> file.email().equals(Scenario.USER_WITHOUT_ENCRYPTION))
                .allMatch(file -> file.purpose() == Purpose.SIGNING), "anna.neri has no encryption certificate");
        assertTrue(input.find(Scenario.RENEWED_USER, Purpose.ENCRYPTION, Age.RENEWAL).isPresent());
        assertEquals(1, input.files().stream().filter(file -> file.purpose() == Purpose.DUAL).count(), "dual-use certificates");
        for (User user : Scenario.USERS) {
            if (!user.email().equals(Scenario.USER_WITHOUT_ENCRYPTION)) {
                assertTrue(input.find(user.email(), Purpose.ENCRYPTION, Age.SUPERSEDED).isPresent(),
                        user.email() + " has a superseded encryption certificate for the old mail");
            }
        }
        Set<String> macs = input.files().stream().map(ScenarioInputTest::macAlgorithm).collect(Collectors.toSet());
        assertEquals(Set.of(OIWObjectIdentifiers.idSHA1.getId(), NISTObjectIdentifiers.id_sha256.getId()), macs,
                "legacy (SHA-1 MAC) and AES (SHA-256 MAC) exports");

        X509Certificate issuing = input.issuingCertificate();
        issuing.verify(input.rootCertificate().getPublicKey());
        for (InputFile file : input.files()) {
            X509Certificate certificate = file.certificate();
            certificate.verify(issuing.getPublicKey());
            assertEquals(List.of("1.3.6.1.5.5.7.3.4"), certificate.getExtendedKeyUsage(), file.fileName());
            assertEquals(file.email(), certificate.getSubjectAlternativeNames().iterator().next().get(1), file.fileName());
            if (file.age() == Age.EXPIRED) {
                assertThrows(CertificateExpiredException.class, certificate::checkValidity, file.fileName());
            } else {
                certificate.checkValidity(new Date());
            }
        }
    }

    private void writeFolder(ScenarioPki pki, List<UserCertificate> certificates, String password) throws Exception {
        pki.writeCaCertificates(folder);
        Files.createDirectories(folder.resolve("pkcs12"));
        StringBuilder passwords = new StringBuilder("# PKCS#12 file, password\n");
        for (UserCertificate certificate : certificates) {
            Files.write(folder.resolve("pkcs12").resolve(certificate.fileName()), pki.pkcs12(certificate, password.toCharArray()));
            passwords.append(certificate.fileName()).append(' ').append(password).append('\n');
        }
        Files.writeString(folder.resolve(ScenarioInput.PASSWORD_FILE), passwords.toString(), StandardCharsets.UTF_8);
    }

    private static String macAlgorithm(InputFile file) {
        try {
            return new PKCS12PfxPdu(file.pkcs12()).getMacAlgorithmID().getAlgorithm().getId();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(file.fileName() + " is not a PKCS#12 file", e);
        }
    }

    private static boolean onPath(String program) {
        for (String entry : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(entry.isEmpty() ? "." : entry, program))) {
                return true;
            }
        }
        return false;
    }
}
