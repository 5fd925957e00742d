package io.smimedelivery.certificate.pkcs12;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.smimedelivery.certificate.pkcs12.Pkcs12Exception.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.cert.X509CertificateHolder;
import org.junit.jupiter.api.Test;

/**
 * Reads PKCS#12 files exported by OpenSSL 3.0 and JDK 17 keytool when a folder of them is present, and
 * is skipped otherwise. The folder is set with the system property {@code pki.samples.dir}. Each kind
 * of file here also has a generated counterpart in {@link Pkcs12ReaderTest}.
 */
class Pkcs12SampleFilesTest {

    static final Path SAMPLES = Path.of(System.getProperty("pki.samples.dir", "/work/shared/pki-samples"));

    private static final char[] STANDARD_PASSWORD = "Test.1234".toCharArray();

    /** Returns the password of a sample file. The non-ASCII one is decoded from UTF-8 bytes, as a JSON body carries it. */
    static char[] passwordFor(Path file) throws IOException {
        if (file.getFileName().toString().contains("-pw-nonascii")) {
            byte[] utf8 = Files.readAllBytes(SAMPLES.resolve("p12/nonascii-utf8.txt"));
            return new String(utf8, StandardCharsets.UTF_8).strip().toCharArray();
        }
        return STANDARD_PASSWORD.clone();
    }

    static List<Path> sampleFiles() throws IOException {
        Path folder = SAMPLES.resolve("p12");
        assumeTrue(Files.isDirectory(folder), "no sample folder at " + folder);
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".p12")).sorted().toList();
        }
    }

    @Test
    void everySampleGivesExpectedOutcome() throws IOException {
        List<Path> files = sampleFiles();
        assertEquals(22, files.size(), "number of sample files");

        for (Path file : files) {
            String name = file.getFileName().toString();
            byte[] bytes = Files.readAllBytes(file);
            char[] password = passwordFor(file);

            if (name.contains("CORRUPT-truncated")) {
                assertReason(Reason.CORRUPT_FILE, bytes, password, name);
            } else if (name.contains("certs-only-nokey")) {
                assertReason(Reason.NO_PRIVATE_KEY, bytes, password, name);
            } else if (name.contains(".2pairs")) {
                Pkcs12Contents contents = Pkcs12Reader.read(bytes, password);
                assertEquals(2, contents.entries().size(), name);
                assertEquals("alice-sign", contents.entries().get(0).friendlyName(), name);
                assertEquals("alice-enc-2026", contents.entries().get(1).friendlyName(), name);
                assertEquals(2, contents.extraCertificates().size(), name + " chain without duplicates");
                for (KeyPairEntry entry : contents.entries()) {
                    assertKeyMatches(entry, name);
                }
            } else {
                Pkcs12Contents contents = Pkcs12Reader.read(bytes, password);
                assertEquals(1, contents.entries().size(), name);
                KeyPairEntry entry = contents.entries().get(0);
                assertKeyMatches(entry, name);
                assertEquals(name.contains("nochain") ? 0 : 2, contents.extraCertificates().size(), name);
                assertEquals(expectedCommonName(name), commonName(entry.certificate()), name);
                if (name.contains("friendlyname")) {
                    assertEquals("Alice Example \u2013 S/MIME Signing 2025", entry.friendlyName(), name);
                }
                if (name.startsWith("carol-sign-ec")) {
                    assertTrue(entry.privateKey().getAlgorithm().startsWith("EC"), name);
                }
            }
        }
    }

    @Test
    void sampleRejectsWrongPassword() throws IOException {
        sampleFiles();
        for (String name : List.of("alice-sign.aes256-chain.p12", "alice-sign.legacy-chain.p12",
                "alice-sign+enc-2026.keytool-aes256.2pairs.p12", "carol-sign-ec.aes256-chain-pw-nonascii.p12")) {
            byte[] bytes = Files.readAllBytes(SAMPLES.resolve("p12").resolve(name));
            assertReason(Reason.WRONG_PASSWORD, bytes, "Test.12345".toCharArray(), name);
        }
    }

    @Test
    void sampleWithNonAsciiPasswordOpens() throws IOException {
        sampleFiles();
        Path file = SAMPLES.resolve("p12/carol-sign-ec.aes256-chain-pw-nonascii.p12");
        assertEquals("p\u00e4ssw\u00f6rd", new String(passwordFor(file)));

        Pkcs12Contents contents = Pkcs12Reader.read(Files.readAllBytes(file), "p\u00e4ssw\u00f6rd".toCharArray());

        assertEquals("Carol Example", commonName(contents.entries().get(0).certificate()));
    }

    private static void assertReason(Reason expected, byte[] bytes, char[] password, String name) {
        Pkcs12Exception e = assertThrows(Pkcs12Exception.class, () -> Pkcs12Reader.read(bytes, password), name);
        assertEquals(expected, e.reason(), name + ": " + e.getMessage());
    }

    private static void assertKeyMatches(KeyPairEntry entry, String name) {
        try {
            Pkcs12ReaderTest.assertKeyMatchesCertificate(entry.privateKey(), entry.certificate());
        } catch (Exception e) {
            throw new AssertionError(name + ": key check failed", e);
        }
    }

    private static String expectedCommonName(String fileName) {
        if (fileName.startsWith("alice")) {
            return "Alice Example";
        }
        return fileName.startsWith("bob") ? "Bob Example" : "Carol Example";
    }

    static String commonName(X509CertificateHolder certificate) {
        return IETFUtils.valueToString(certificate.getSubject().getRDNs(BCStyle.CN)[0].getFirst().getValue());
    }
}
