package io.smimedelivery.certificate.scep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.bouncycastle.asn1.x500.X500Name;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smimedelivery.infra.InfrastructureTestResource;

/**
 * Enrolls with {@code scepclient} from Debian's {@code scep} package (micromdm/scep), a Go client that
 * this project did not write. The test is skipped where the command is missing, except when
 * SMIME_REQUIRE_SCEPCLIENT is true, as CI sets it.
 */
@QuarkusTest
@WithTestResource(value = InfrastructureTestResource.class,
        initArgs = @ResourceArg(name = InfrastructureTestResource.DATABASE_ARG, value = "certificate"))
@WithTestResource(ScepCaTestResource.class)
class ScepclientInteroperabilityTest {

    @Inject
    ScepChallenges challenges;

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @TempDir
    Path folder;

    @Test
    void scepclientEnrolls() throws Exception {
        boolean required = Boolean.parseBoolean(System.getenv("SMIME_REQUIRE_SCEPCLIENT"));
        boolean present = Files.isExecutable(Path.of("/usr/bin/scepclient"));
        assertTrue(present || !required, "scepclient is required here (SMIME_REQUIRE_SCEPCLIENT=true) but missing; "
                + "install Debian's scep package");
        assumeTrue(present, "scepclient (Debian package scep) is not installed");

        String deviceId = "dev-" + UUID.randomUUID();
        // scepclient writes the subject as C, O, OU and CN and sends no subject alternative names.
        ChallengeSpec spec = new ChallengeSpec(deviceId, "usr-scepclient", "pol-scep", 1, "scep-profile-1",
                "CN=Paolo Conti,OU=MDM,O=Example,C=IT", List.of(), 2048, List.of("DIGITAL_SIGNATURE"),
                List.of("1.3.6.1.5.5.7.3.4"), 12);
        String challenge = challenges.create(spec, null);
        String fingerprint = HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(ScepCaTestResource.caCertificate().getEncoded()));
        Path key = folder.resolve("device.key");
        Path certificate = folder.resolve("device.pem");

        List<String> command = List.of("/usr/bin/scepclient", "-server-url", "http://127.0.0.1:" + port + "/scep",
                "-challenge", challenge, "-private-key", key.toString(), "-certificate", certificate.toString(),
                "-cn", "Paolo Conti", "-ou", "MDM", "-organization", "Example", "-country", "IT",
                "-ca-fingerprint", fingerprint, "-keySize", "2048");
        String output = run(command);

        assertTrue(Files.isRegularFile(certificate), "scepclient wrote the certificate; output:\n" + output);
        X509Certificate issued = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(certificate)));
        issued.verify(ScepCaTestResource.caCertificate().getPublicKey());
        assertEquals(new X500Name(spec.subject()), X500Name.getInstance(issued.getSubjectX500Principal().getEncoded()));
        assertEquals(List.of("1.3.6.1.5.5.7.3.4"), issued.getExtendedKeyUsage());

        Path caFile = folder.resolve("ca.pem");
        Files.writeString(caFile, "-----BEGIN CERTIFICATE-----\n" + java.util.Base64.getMimeEncoder(64, new byte[] { '\n' })
                .encodeToString(ScepCaTestResource.caCertificate().getEncoded()) + "\n-----END CERTIFICATE-----\n");
        assertEquals(certificate + ": OK", run(List.of("openssl", "verify", "-CAfile", caFile.toString(),
                certificate.toString())).strip());
    }

    private static String run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), command.get(0) + " finished");
        assertEquals(0, process.exitValue(), String.join(" ", command.subList(0, 1)) + " failed:\n" + output);
        return output;
    }
}
