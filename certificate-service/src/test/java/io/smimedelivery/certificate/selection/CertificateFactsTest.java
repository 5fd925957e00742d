package io.smimedelivery.certificate.selection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smimedelivery.certificate.pkcs12.TestPki;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Set;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.junit.jupiter.api.Test;

class CertificateFactsTest {

    private final TestPki pki = TestPki.get();

    @Test
    void extractsThumbprintsSerialAndValidity() throws Exception {
        X509CertificateHolder certificate = pki.aliceSign.certificate();

        CertificateFacts facts = CertificateFacts.of(certificate);

        byte[] der = certificate.getEncoded();
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der)), facts.thumbprintSha256());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(der)), facts.thumbprintSha1());
        assertEquals(64, facts.thumbprintSha256().length());
        assertEquals(facts.thumbprintSha256().toLowerCase(), facts.thumbprintSha256());
        assertEquals(certificate.getSerialNumber().toString(16), facts.serialNumberHex());
        assertEquals(Instant.parse("2025-03-01T00:00:00Z"), facts.notBefore());
        assertEquals(Instant.parse("2027-03-01T00:00:00Z"), facts.notAfter());
        assertTrue(facts.subjectDn().contains("CN=Alice Example"), facts.subjectDn());
        assertTrue(facts.issuerDn().contains("CN=Example Test Issuing CA 1"), facts.issuerDn());
    }

    @Test
    void extractsKeyUsageAndExtendedKeyUsage() {
        CertificateFacts facts = CertificateFacts.of(pki.aliceSign.certificate());

        assertEquals(Set.of(KeyUsageBit.DIGITAL_SIGNATURE, KeyUsageBit.NON_REPUDIATION), facts.keyUsage());
        assertEquals(Set.of("1.3.6.1.5.5.7.3.4"), facts.extendedKeyUsages());
    }

    @Test
    void mergesSubjectAndSanAddresses() {
        CertificateFacts facts = CertificateFacts.of(pki.aliceSign.certificate());

        assertEquals(Set.of("alice@example.test"), facts.emailAddresses());
    }

    @Test
    void readsSanOnlyAddress() {
        CertificateFacts facts = CertificateFacts.of(pki.bobDual.certificate());

        assertEquals(Set.of("bob@example.test"), facts.emailAddresses());
    }

    @Test
    void lowerCasesWholeAddress() {
        CertificateFacts facts = CertificateFacts.of(pki.carolUpper.certificate());

        assertEquals(Set.of("carol@example.test"), facts.emailAddresses());
    }

    @Test
    void readsDifferentSubjectAndSanAddresses() {
        TestPki.Issued issued = pki.user("Dave Example", "Dave@Example.TEST", "dave.example@Mail.Example.TEST",
                pki.ecP256(), "2026-01-01", "2027-01-01", KeyUsage.digitalSignature, KeyPurposeId.id_kp_emailProtection);

        CertificateFacts facts = CertificateFacts.of(issued.certificate());

        assertEquals(Set.of("dave.example@mail.example.test", "dave@example.test"), facts.emailAddresses());
    }

    @Test
    void missingExtensionsGiveEmptySets() {
        TestPki.Issued issued = pki.user("Erin Example", null, null, pki.ecP256(), "2026-01-01", "2027-01-01", 0);

        CertificateFacts facts = CertificateFacts.of(issued.certificate());

        assertTrue(facts.keyUsage().isEmpty());
        assertTrue(facts.extendedKeyUsages().isEmpty());
        assertTrue(facts.emailAddresses().isEmpty());
    }

    @Test
    void validityBoundsAreInclusive() {
        CertificateFacts facts = CertificateFacts.of(pki.aliceSign.certificate());

        assertTrue(facts.isValidAt(Instant.parse("2025-03-01T00:00:00Z")));
        assertTrue(facts.isValidAt(Instant.parse("2027-03-01T00:00:00Z")));
        assertTrue(!facts.isValidAt(Instant.parse("2027-03-01T00:00:01Z")));
        assertTrue(!facts.isValidAt(Instant.parse("2025-02-28T23:59:59Z")));
    }

    @Test
    void normalizeEmailLowerCases() {
        assertEquals("carol@example.test", CertificateFacts.normalizeEmail(" Carol@Example.TEST "));
        assertEquals("no-at-sign", CertificateFacts.normalizeEmail("no-at-sign"));
        assertEquals("\"a@b\"@example.test", CertificateFacts.normalizeEmail("\"a@b\"@EXAMPLE.test"));
    }
}
