package io.smimedelivery.certificate.selection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.smimedelivery.certificate.pkcs12.Pkcs12Reader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Classifies the leaf certificates of PKCS#12 files exported by OpenSSL 3.0 when a folder of them is
 * present, and is skipped otherwise. The folder is set with the system property {@code pki.samples.dir}.
 */
class SampleFilesSelectionTest {

    private static final Path P12 = Path.of(System.getProperty("pki.samples.dir", "/work/shared/pki-samples"), "p12");
    private static final Instant DECEMBER_2026 = Instant.parse("2026-12-04T12:00:00Z");

    @BeforeEach
    void requireSamples() {
        assumeTrue(Files.isDirectory(P12), "no sample folder at " + P12);
    }

    @Test
    void sampleRolesMatchKeyUsage() throws IOException {
        assertEquals(Optional.of(Purpose.SIGNING), SmimeClassifier.purposeOf(leaf("alice-sign")));
        assertEquals(Optional.of(Purpose.ENCRYPTION), SmimeClassifier.purposeOf(leaf("alice-enc-2020")));
        assertEquals(Optional.of(Purpose.ENCRYPTION), SmimeClassifier.purposeOf(leaf("alice-enc-2023")));
        assertEquals(Optional.of(Purpose.ENCRYPTION), SmimeClassifier.purposeOf(leaf("alice-enc-2026")));
        assertEquals(Optional.of(Purpose.DUAL), SmimeClassifier.purposeOf(leaf("bob-dual")));
        assertEquals(Optional.of(Purpose.SIGNING), SmimeClassifier.purposeOf(leaf("carol-sign-ec")));
    }

    @Test
    void sampleRejectionReasons() throws IOException {
        for (String name : List.of("alice-sign", "alice-enc-2020", "alice-enc-2023", "alice-enc-2026")) {
            assertEquals(Optional.empty(), SmimeClassifier.rejectionReason(leaf(name), "alice@example.test"), name);
        }
        assertEquals(Optional.empty(), SmimeClassifier.rejectionReason(leaf("bob-dual"), "bob@example.test"));
        assertEquals(Optional.empty(), SmimeClassifier.rejectionReason(leaf("carol-sign-ec"), "carol@example.test"));
        assertEquals(Optional.of(SmimeClassifier.NOT_SMIME),
                SmimeClassifier.rejectionReason(leaf("carol-clientauth"), "carol@example.test"));
    }

    @Test
    void sampleUpperCaseAddressMatches() throws IOException {
        CertificateFacts carolUpper = leaf("carol-upper");

        assertEquals(Set.of("carol@example.test"), carolUpper.emailAddresses());
        assertEquals(Optional.empty(), SmimeClassifier.rejectionReason(carolUpper, "carol@example.test"));
        assertEquals(Optional.empty(), SmimeClassifier.rejectionReason(carolUpper, "Carol@Example.TEST"));
    }

    @Test
    void sampleAliceHistoryInDecember2026() throws IOException {
        List<CertificateFacts> alice = List.of(leaf("alice-enc-2020"), leaf("alice-sign"), leaf("alice-enc-2023"),
                leaf("alice-enc-2026"));

        Selection selection = CertificateSelector.select(alice, "alice@example.test", DECEMBER_2026);

        assertEquals(List.of(leaf("alice-enc-2026"), leaf("alice-enc-2023"), leaf("alice-enc-2020")),
                selection.encryptionHistory());
        assertEquals(Optional.of(leaf("alice-enc-2026")), selection.currentEncryption());
        assertEquals(Optional.of(leaf("alice-sign")), selection.signing());
        assertEquals(Set.of(), selection.failures());
    }

    private static CertificateFacts leaf(String name) throws IOException {
        byte[] bytes = Files.readAllBytes(P12.resolve(name + ".aes256-chain.p12"));
        return CertificateFacts.of(Pkcs12Reader.read(bytes, "Test.1234".toCharArray()).entries().get(0).certificate());
    }
}
