package io.smimedelivery.certificate.selection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smimedelivery.certificate.pkcs12.TestPki;
import java.util.Optional;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;

class SmimeClassifierTest {

    private final TestPki pki = TestPki.get();

    @Test
    void purposesFollowKeyUsage() {
        assertEquals(Optional.of(Purpose.SIGNING), SmimeClassifier.purposeOf(facts(pki.aliceSign)));
        assertEquals(Optional.of(Purpose.ENCRYPTION), SmimeClassifier.purposeOf(facts(pki.aliceEnc2026)));
        assertEquals(Optional.of(Purpose.DUAL), SmimeClassifier.purposeOf(facts(pki.bobDual)));
        assertEquals(Optional.of(Purpose.SIGNING), SmimeClassifier.purposeOf(facts(pki.carolSignEc)));
    }

    @Test
    void keyAgreementIsEncryption() {
        TestPki.Issued issued = pki.user("Dave Example", "dave@example.test", "dave@example.test", pki.ecP256(),
                "2026-01-01", "2027-01-01", KeyUsage.keyAgreement, KeyPurposeId.id_kp_emailProtection);

        assertEquals(Optional.of(Purpose.ENCRYPTION), SmimeClassifier.purposeOf(facts(issued)));
    }

    @Test
    void missingKeyUsageIsDual() {
        TestPki.Issued issued = pki.user("Dave Example", null, "dave@example.test", pki.ecP256(),
                "2026-01-01", "2027-01-01", 0, KeyPurposeId.id_kp_emailProtection);

        assertEquals(Optional.of(Purpose.DUAL), SmimeClassifier.purposeOf(facts(issued)));
    }

    @Test
    void caKeyUsageHasNoPurpose() {
        CertificateFacts issuing = CertificateFacts.of(pki.issuingCa.certificate());

        assertEquals(Optional.empty(), SmimeClassifier.purposeOf(issuing));
        assertEquals(Optional.of(SmimeClassifier.NOT_SMIME), SmimeClassifier.rejectionReason(issuing, "alice@example.test"));
    }

    @Test
    void clientAuthOnlyIsNotSmime() {
        assertEquals(Optional.of(SmimeClassifier.NOT_SMIME),
                SmimeClassifier.rejectionReason(facts(pki.carolClientAuth), "carol@example.test"));
    }

    @Test
    void anyExtendedKeyUsageIsSmime() {
        TestPki.Issued issued = pki.user("Dave Example", null, "dave@example.test", pki.ecP256(),
                "2026-01-01", "2027-01-01", KeyUsage.digitalSignature, KeyPurposeId.anyExtendedKeyUsage);

        assertEquals(Optional.empty(), SmimeClassifier.rejectionReason(facts(issued), "dave@example.test"));
    }

    @Test
    void missingExtendedKeyUsageIsSmime() {
        TestPki.Issued issued = pki.user("Dave Example", null, "dave@example.test", pki.ecP256(),
                "2026-01-01", "2027-01-01", KeyUsage.digitalSignature);

        assertTrue(SmimeClassifier.isSmime(facts(issued)));
    }

    @Test
    void addressComparedCaseInsensitively() {
        // The certificate names Carol@Example.TEST, which matches the address in any case.
        CertificateFacts carolUpper = facts(pki.carolUpper);

        assertEquals(Optional.empty(), SmimeClassifier.rejectionReason(carolUpper, "Carol@example.test"));
        assertEquals(Optional.empty(), SmimeClassifier.rejectionReason(carolUpper, "Carol@EXAMPLE.test"));
        assertEquals(Optional.empty(), SmimeClassifier.rejectionReason(carolUpper, "carol@example.test"));
        assertEquals(Optional.of(SmimeClassifier.EMAIL_MISMATCH), SmimeClassifier.rejectionReason(carolUpper, "caro@example.test"));
    }

    @Test
    void otherAddressIsMismatch() {
        assertEquals(Optional.of(SmimeClassifier.EMAIL_MISMATCH),
                SmimeClassifier.rejectionReason(facts(pki.bobDual), "alice@example.test"));
        assertEquals(Optional.of(SmimeClassifier.EMAIL_MISMATCH),
                SmimeClassifier.rejectionReason(facts(pki.bobDual), null));
        assertEquals(Optional.empty(), SmimeClassifier.rejectionReason(facts(pki.bobDual), "bob@EXAMPLE.TEST"));
    }

    @Test
    void usableCertificatesHaveNoReason() {
        for (TestPki.Issued issued : new TestPki.Issued[] {pki.aliceSign, pki.aliceEnc2020, pki.aliceEnc2023, pki.aliceEnc2026}) {
            assertFalse(SmimeClassifier.rejectionReason(facts(issued), "alice@example.test").isPresent(),
                    issued.certificate().getSubject().toString());
        }
    }

    private static CertificateFacts facts(TestPki.Issued issued) {
        return CertificateFacts.of(issued.certificate());
    }
}
