package io.smimedelivery.certificate.selection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smimedelivery.certificate.pkcs12.TestPki;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;

class CertificateSelectorTest {

    private static final Instant DECEMBER_2026 = Instant.parse("2026-12-04T12:00:00Z");

    private final TestPki pki = TestPki.get();
    private final CertificateFacts aliceSign = facts(pki.aliceSign);
    private final CertificateFacts aliceEnc2020 = facts(pki.aliceEnc2020);
    private final CertificateFacts aliceEnc2023 = facts(pki.aliceEnc2023);
    private final CertificateFacts aliceEnc2026 = facts(pki.aliceEnc2026);
    private final List<CertificateFacts> alice = List.of(aliceEnc2020, aliceSign, aliceEnc2026, aliceEnc2023);

    @Test
    void aliceHistoryCurrentThenNewestFirst() {
        List<CertificateFacts> history = CertificateSelector.encryptionHistory(alice, DECEMBER_2026);

        assertEquals(List.of(aliceEnc2026, aliceEnc2023, aliceEnc2020), history);
    }

    @Test
    void aliceCurrentEncryptionIs2026() {
        assertEquals(Optional.of(aliceEnc2026), CertificateSelector.currentEncryption(alice, DECEMBER_2026));
    }

    @Test
    void aliceSigningCertificate() {
        assertEquals(Optional.of(aliceSign), CertificateSelector.signing(alice, DECEMBER_2026));
    }

    @Test
    void selectAliceIsComplete() {
        Selection selection = CertificateSelector.select(alice, "alice@example.test", DECEMBER_2026);

        assertEquals(Optional.of(aliceEnc2026), selection.currentEncryption());
        assertEquals(List.of(aliceEnc2026, aliceEnc2023, aliceEnc2020), selection.encryptionHistory());
        assertEquals(Optional.of(aliceSign), selection.signing());
        assertEquals(Set.of(), selection.failures());
        assertTrue(selection.isComplete());
        assertTrue(selection.rejections().isEmpty());
    }

    @Test
    void before2026Certificate2023IsCurrent() {
        Instant june2026 = Instant.parse("2026-06-01T00:00:00Z");

        assertEquals(List.of(aliceEnc2023, aliceEnc2026, aliceEnc2020), CertificateSelector.encryptionHistory(alice, june2026));
        assertEquals(Optional.of(aliceEnc2023), CertificateSelector.currentEncryption(alice, june2026));
    }

    @Test
    void expiredOnlyGivesHistoryButNoCurrent() {
        Instant year2030 = Instant.parse("2030-01-01T00:00:00Z");

        assertEquals(List.of(aliceEnc2026, aliceEnc2023, aliceEnc2020), CertificateSelector.encryptionHistory(alice, year2030));
        assertEquals(Optional.empty(), CertificateSelector.currentEncryption(alice, year2030));
        assertEquals(Optional.empty(), CertificateSelector.signing(alice, year2030));

        Selection selection = CertificateSelector.select(alice, "alice@example.test", year2030);
        assertEquals(Set.of(SelectionFailure.NO_ENCRYPTION_CERTIFICATE, SelectionFailure.NO_SIGNING_CERTIFICATE),
                selection.failures());
        assertEquals(3, selection.encryptionHistory().size());
    }

    @Test
    void expiredNeverFirstWhenOthersExist() {
        Instant year2028 = Instant.parse("2028-01-01T00:00:00Z");
        TestPki.Issued notYetValid = pki.user("Alice Example", null, "alice@example.test", pki.ecP256(),
                "2029-01-01", "2031-01-01", KeyUsage.keyAgreement, KeyPurposeId.id_kp_emailProtection);
        List<CertificateFacts> certificates = List.of(aliceEnc2023, facts(notYetValid), aliceEnc2020);

        List<CertificateFacts> history = CertificateSelector.encryptionHistory(certificates, year2028);

        assertEquals(List.of(facts(notYetValid), aliceEnc2023, aliceEnc2020), history);
        assertEquals(Optional.empty(), CertificateSelector.currentEncryption(certificates, year2028));
    }

    @Test
    void dualCertificateFillsBothRoles() {
        CertificateFacts bob = facts(pki.bobDual);

        Selection selection = CertificateSelector.select(List.of(bob), "bob@example.test", DECEMBER_2026);

        assertEquals(Optional.of(bob), selection.currentEncryption());
        assertEquals(Optional.of(bob), selection.signing());
        assertTrue(selection.isComplete());
    }

    @Test
    void signingOnlyReportsNoEncryption() {
        CertificateFacts carolEc = facts(pki.carolSignEc);

        Selection selection = CertificateSelector.select(List.of(carolEc), "carol@example.test", DECEMBER_2026);

        assertEquals(Optional.of(carolEc), selection.signing());
        assertEquals(Set.of(SelectionFailure.NO_ENCRYPTION_CERTIFICATE), selection.failures());
    }

    @Test
    void clientAuthCertificateIsRejected() {
        CertificateFacts clientAuth = facts(pki.carolClientAuth);

        Selection selection = CertificateSelector.select(List.of(clientAuth), "carol@example.test", DECEMBER_2026);

        assertEquals(Set.of(SelectionFailure.NO_ENCRYPTION_CERTIFICATE, SelectionFailure.NO_SIGNING_CERTIFICATE),
                selection.failures());
        assertEquals(SmimeClassifier.NOT_SMIME, selection.rejections().get(clientAuth.thumbprintSha256()));
        assertEquals(List.of(), CertificateSelector.encryptionHistory(List.of(clientAuth), DECEMBER_2026));
    }

    @Test
    void otherAddressReportsEmailMismatch() {
        CertificateFacts bob = facts(pki.bobDual);

        Selection selection = CertificateSelector.select(List.of(bob), "alice@example.test", DECEMBER_2026);

        assertEquals(Set.of(SelectionFailure.NO_ENCRYPTION_CERTIFICATE, SelectionFailure.NO_SIGNING_CERTIFICATE,
                SelectionFailure.EMAIL_MISMATCH), selection.failures());
        assertEquals(SmimeClassifier.EMAIL_MISMATCH, selection.rejections().get(bob.thumbprintSha256()));
        assertEquals(List.of(), selection.encryptionHistory());
    }

    @Test
    void mismatchedCertificateIsLeftOutOfHistory() {
        CertificateFacts bob = facts(pki.bobDual);
        List<CertificateFacts> certificates = List.of(aliceSign, aliceEnc2026, bob);

        Selection selection = CertificateSelector.select(certificates, "alice@example.test", DECEMBER_2026);

        assertEquals(List.of(aliceEnc2026), selection.encryptionHistory());
        assertEquals(Set.of(), selection.failures());
        assertEquals(1, selection.rejections().size());
    }

    @Test
    void upperCaseDomainInSanMatches() {
        CertificateFacts carolUpper = facts(pki.carolUpper);

        Selection selection = CertificateSelector.select(List.of(carolUpper), "Carol@example.TEST", DECEMBER_2026);

        assertEquals(Optional.of(carolUpper), selection.currentEncryption());
        assertEquals(Optional.of(carolUpper), selection.signing());
    }

    @Test
    void latestSigningCertificateWins() {
        TestPki.Issued older = pki.user("Alice Example", null, "alice@example.test", pki.ecP256(),
                "2026-01-01", "2028-01-01", KeyUsage.digitalSignature, KeyPurposeId.id_kp_emailProtection);
        List<CertificateFacts> certificates = List.of(facts(older), aliceSign);

        assertEquals(Optional.of(facts(older)), CertificateSelector.signing(certificates, DECEMBER_2026));
        assertEquals(Optional.of(aliceSign), CertificateSelector.signing(certificates, Instant.parse("2025-06-01T00:00:00Z")));
    }

    @Test
    void duplicateFactsAppearOnce() {
        List<CertificateFacts> certificates = List.of(aliceEnc2026, facts(pki.aliceEnc2026));

        assertEquals(List.of(aliceEnc2026), CertificateSelector.encryptionHistory(certificates, DECEMBER_2026));
    }

    private static CertificateFacts facts(TestPki.Issued issued) {
        return CertificateFacts.of(issued.certificate());
    }
}
