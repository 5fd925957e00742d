package io.smimedelivery.certificate.scep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads SCEP CA files as administrators make them with openssl: PKCS#8, PKCS#1 and PKCS#12. */
class IssuingCaLoaderTest {

    @TempDir
    static Path folder;

    @BeforeAll
    static void makeCa() throws Exception {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30", "-subj", "/CN=Loader Test CA",
                "-addext", "basicConstraints=critical,CA:TRUE,pathlen:0",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign,digitalSignature,keyEncipherment",
                "-keyout", "ca.key.pem", "-out", "ca.pem");
        openssl("pkey", "-in", "ca.key.pem", "-traditional", "-out", "ca.pkcs1.pem");
        openssl("pkcs12", "-export", "-in", "ca.pem", "-inkey", "ca.key.pem", "-passout", "pass:geheim-ü",
                "-out", "ca.p12");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30", "-subj", "/CN=Not a CA",
                "-addext", "basicConstraints=critical,CA:FALSE", "-keyout", "leaf.key.pem", "-out", "leaf.pem");
    }

    @Test
    void readsPkcs8AndPkcs1Keys() {
        IssuingCa pkcs8 = new IssuingCa(IssuingCaLoader.readKey(folder.resolve("ca.key.pem")),
                IssuingCaLoader.readCertificate(folder.resolve("ca.pem")));
        IssuingCa pkcs1 = new IssuingCa(IssuingCaLoader.readKey(folder.resolve("ca.pkcs1.pem")),
                IssuingCaLoader.readCertificate(folder.resolve("ca.pem")));
        assertEquals("CN=Loader Test CA", pkcs8.certificate().getSubjectX500Principal().getName());
        assertEquals(pkcs8.privateKey().getAlgorithm(), pkcs1.privateKey().getAlgorithm());
    }

    @Test
    void readsPkcs12WithNonAsciiPassword() {
        IssuingCa ca = IssuingCaLoader.fromPkcs12(folder.resolve("ca.p12"), "geheim-ü");
        assertEquals("CN=Loader Test CA", ca.certificate().getSubjectX500Principal().getName());
    }

    @Test
    void rejectsCertificateWithoutCaFlag() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> new IssuingCa(
                IssuingCaLoader.readKey(folder.resolve("leaf.key.pem")),
                IssuingCaLoader.readCertificate(folder.resolve("leaf.pem"))));
        assertTrue(error.getMessage().contains("not a CA certificate"), error.getMessage());
    }

    @Test
    void rejectsWrongPkcs12Password() {
        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> IssuingCaLoader.fromPkcs12(folder.resolve("ca.p12"), "wrong"));
        assertTrue(error.getMessage().contains("ca.p12"), error.getMessage());
    }

    private static void openssl(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "openssl finished");
        assertEquals(0, process.exitValue(), "openssl " + String.join(" ", arguments) + ": " + output);
        assertTrue(Files.isDirectory(folder));
    }
}
