package io.smimedelivery.certificate.pkcs12;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smimedelivery.certificate.pkcs12.Pkcs12Exception.Reason;
import io.smimedelivery.certificate.pkcs12.TestPkcs12Files.KeyEntry;
import io.smimedelivery.certificate.pkcs12.TestPkcs12Files.Style;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.List;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class Pkcs12ReaderTest {

    private static final char[] PASSWORD = "Test.1234".toCharArray();

    private final TestPki pki = TestPki.get();

    @ParameterizedTest
    @EnumSource(Style.class)
    void readsKeyCertificateAndChain(Style style) throws Exception {
        byte[] file = TestPkcs12Files.single(style, pki.aliceSign, true, PASSWORD);

        Pkcs12Contents contents = Pkcs12Reader.read(file, PASSWORD);

        assertEquals(1, contents.entries().size());
        KeyPairEntry entry = contents.entries().get(0);
        assertEquals(pki.aliceSign.certificate(), entry.certificate());
        assertArrayEquals(pki.aliceSign.keyPair().getPrivate().getEncoded(), entry.privateKey().getEncoded());
        assertKeyMatchesCertificate(entry.privateKey(), entry.certificate());
        assertEquals(pki.chain(), contents.extraCertificates());
    }

    @Test
    void readsLeafWithoutChain() {
        byte[] file = TestPkcs12Files.single(Style.OPENSSL_AES256, pki.aliceSign, false, PASSWORD);

        Pkcs12Contents contents = Pkcs12Reader.read(file, PASSWORD);

        assertEquals(1, contents.entries().size());
        assertEquals(pki.aliceSign.certificate(), contents.entries().get(0).certificate());
        assertTrue(contents.extraCertificates().isEmpty());
        assertNull(contents.entries().get(0).friendlyName());
    }

    @Test
    void readsNonAsciiFriendlyName() {
        String friendlyName = "Alice Example \u2013 S/MIME Signing 2025";
        byte[] file = TestPkcs12Files.write(Style.OPENSSL_AES256, PASSWORD,
                List.of(KeyEntry.of(pki.aliceSign, friendlyName, new byte[] {7})), pki.chain());

        Pkcs12Contents contents = Pkcs12Reader.read(file, PASSWORD);

        assertEquals(friendlyName, contents.entries().get(0).friendlyName());
    }

    @Test
    void readsNonAsciiPasswordFromUtf8Json() throws Exception {
        byte[] json = "{\"password\":\"p\u00e4ssw\u00f6rd\"}".getBytes(StandardCharsets.UTF_8);
        char[] password = new ObjectMapper().readTree(json).get("password").asText().toCharArray();
        byte[] file = TestPkcs12Files.single(Style.OPENSSL_AES256, pki.carolSignEc, true, password);

        Pkcs12Contents contents = Pkcs12Reader.read(file, password);

        assertEquals(pki.carolSignEc.certificate(), contents.entries().get(0).certificate());
        Pkcs12Exception withoutUmlauts = assertThrows(Pkcs12Exception.class,
                () -> Pkcs12Reader.read(file, "passwoerd".toCharArray()));
        assertEquals(Reason.WRONG_PASSWORD, withoutUmlauts.reason());
    }

    @Test
    void readsEcP256Key() throws Exception {
        byte[] file = TestPkcs12Files.single(Style.OPENSSL_LEGACY, pki.carolSignEc, true, PASSWORD);

        KeyPairEntry entry = Pkcs12Reader.read(file, PASSWORD).entries().get(0);

        assertEquals(pki.carolSignEc.certificate(), entry.certificate());
        assertKeyMatchesCertificate(entry.privateKey(), entry.certificate());
    }

    @Test
    void readsTwoPairsFromKeytoolLayout() throws Exception {
        List<X509CertificateHolder> chainTwice = List.of(pki.issuingCa.certificate(), pki.rootCa.certificate(),
                pki.issuingCa.certificate(), pki.rootCa.certificate());
        byte[] file = TestPkcs12Files.write(Style.KEYTOOL_AES256, PASSWORD, List.of(
                KeyEntry.of(pki.aliceSign, "alice-sign", "Time 1796412701039".getBytes(StandardCharsets.US_ASCII)),
                KeyEntry.of(pki.aliceEnc2026, "alice-enc-2026", "Time 1796412701678".getBytes(StandardCharsets.US_ASCII))),
                chainTwice);

        Pkcs12Contents contents = Pkcs12Reader.read(file, PASSWORD);

        assertEquals(2, contents.entries().size());
        KeyPairEntry sign = contents.entries().get(0);
        KeyPairEntry encryption = contents.entries().get(1);
        assertEquals("alice-sign", sign.friendlyName());
        assertEquals(pki.aliceSign.certificate(), sign.certificate());
        assertKeyMatchesCertificate(sign.privateKey(), sign.certificate());
        assertEquals("alice-enc-2026", encryption.friendlyName());
        assertEquals(pki.aliceEnc2026.certificate(), encryption.certificate());
        assertKeyMatchesCertificate(encryption.privateKey(), encryption.certificate());
        assertEquals(pki.chain(), contents.extraCertificates());
    }

    @Test
    void pairsByPublicKeyWithoutLocalKeyId() {
        // Each key bag sits next to the other key's certificate, so only the public keys can pair them.
        byte[] file = TestPkcs12Files.write(Style.OPENSSL_AES256, PASSWORD, List.of(
                new KeyEntry(pki.aliceEnc2023.keyPair().getPrivate(), pki.bobDual.certificate(), null, null),
                new KeyEntry(pki.bobDual.keyPair().getPrivate(), pki.aliceEnc2023.certificate(), null, null)),
                List.of(pki.aliceEnc2026.certificate()));

        Pkcs12Contents contents = Pkcs12Reader.read(file, PASSWORD);

        assertEquals(pki.aliceEnc2023.certificate(), contents.entries().get(0).certificate());
        assertEquals(pki.bobDual.certificate(), contents.entries().get(1).certificate());
        assertEquals(List.of(pki.aliceEnc2026.certificate()), contents.extraCertificates());
    }

    @Test
    void rejectsKeyWithoutItsCertificate() {
        KeyEntry aliceKeyWithBobCertificate = new KeyEntry(
                pki.aliceSign.keyPair().getPrivate(), pki.bobDual.certificate(), null, null);
        byte[] file = TestPkcs12Files.write(Style.OPENSSL_AES256, PASSWORD, List.of(aliceKeyWithBobCertificate), pki.chain());

        Pkcs12Exception e = assertThrows(Pkcs12Exception.class, () -> Pkcs12Reader.read(file, PASSWORD));

        assertEquals(Reason.KEY_CERTIFICATE_MISMATCH, e.reason());
        assertTrue(e.getMessage().contains(pki.bobDual.certificate().getSerialNumber().toString(16)), e.getMessage());
        assertTrue(e.getMessage().contains("Bob Example"), e.getMessage());
    }

    @Test
    void rejectsWrongLocalKeyId() {
        KeyEntry aliceKeyWithBobCertificate = new KeyEntry(
                pki.aliceSign.keyPair().getPrivate(), pki.bobDual.certificate(), null, new byte[] {1});
        byte[] file = TestPkcs12Files.write(Style.OPENSSL_AES256, PASSWORD, List.of(aliceKeyWithBobCertificate), List.of());

        Pkcs12Exception e = assertThrows(Pkcs12Exception.class, () -> Pkcs12Reader.read(file, PASSWORD));

        assertEquals(Reason.KEY_CERTIFICATE_MISMATCH, e.reason());
    }

    @Test
    void rejectsCertificatesOnly() {
        List<X509CertificateHolder> certificates = List.of(pki.aliceSign.certificate(), pki.issuingCa.certificate());
        byte[] file = TestPkcs12Files.certificatesOnly(PASSWORD, certificates);

        Pkcs12Exception e = assertThrows(Pkcs12Exception.class, () -> Pkcs12Reader.read(file, PASSWORD));

        assertEquals(Reason.NO_PRIVATE_KEY, e.reason());
    }

    @ParameterizedTest
    @EnumSource(Style.class)
    void rejectsWrongPassword(Style style) {
        byte[] file = TestPkcs12Files.single(style, pki.aliceSign, true, PASSWORD);

        Pkcs12Exception e = assertThrows(Pkcs12Exception.class,
                () -> Pkcs12Reader.read(file, "Test.12345".toCharArray()));

        assertEquals(Reason.WRONG_PASSWORD, e.reason());
        assertFalse(e.getMessage().contains("Test.1234"), e.getMessage());
    }

    @Test
    void readsUnencryptedKeyWithoutMac() throws Exception {
        byte[] file = TestPkcs12Files.withoutMac(pki.bobDual, null);

        KeyPairEntry entry = Pkcs12Reader.read(file, new char[0]).entries().get(0);

        assertEquals(pki.bobDual.certificate(), entry.certificate());
        assertKeyMatchesCertificate(entry.privateKey(), entry.certificate());
    }

    @Test
    void rejectsWrongPasswordWithoutMac() {
        byte[] file = TestPkcs12Files.withoutMac(pki.bobDual, PASSWORD);

        assertEquals(pki.bobDual.certificate(), Pkcs12Reader.read(file, PASSWORD).entries().get(0).certificate());
        Pkcs12Exception e = assertThrows(Pkcs12Exception.class, () -> Pkcs12Reader.read(file, "Test.12345".toCharArray()));
        assertEquals(Reason.WRONG_PASSWORD, e.reason());
    }

    @Test
    void readsEmptyPasswordLegacyFile() {
        byte[] file = TestPkcs12Files.single(Style.OPENSSL_LEGACY, pki.aliceEnc2023, true, new char[0]);

        Pkcs12Contents contents = Pkcs12Reader.read(file, new char[0]);

        assertEquals(pki.aliceEnc2023.certificate(), contents.entries().get(0).certificate());
        Pkcs12Exception e = assertThrows(Pkcs12Exception.class, () -> Pkcs12Reader.read(file, PASSWORD));
        assertEquals(Reason.WRONG_PASSWORD, e.reason());
    }

    @Test
    void rejectsTruncatedFile() {
        byte[] file = TestPkcs12Files.single(Style.OPENSSL_AES256, pki.aliceSign, true, PASSWORD);

        for (int length : new int[] {1, 4, file.length / 2, file.length - 1}) {
            byte[] truncated = TestPkcs12Files.truncate(file, length);
            Pkcs12Exception e = assertThrows(Pkcs12Exception.class, () -> Pkcs12Reader.read(truncated, PASSWORD),
                    "length " + length);
            assertEquals(Reason.CORRUPT_FILE, e.reason(), "length " + length);
        }
    }

    @Test
    void rejectsEmptyAndNonPkcs12Bytes() {
        byte[] pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n".getBytes(StandardCharsets.US_ASCII);

        for (byte[] file : List.of(new byte[0], pem, new byte[] {0x30, 0x03, 0x02, 0x01, 0x03})) {
            Pkcs12Exception e = assertThrows(Pkcs12Exception.class, () -> Pkcs12Reader.read(file, PASSWORD));
            assertEquals(Reason.CORRUPT_FILE, e.reason());
        }
    }

    @Test
    void rejectsUnknownEncryptionAlgorithm() {
        byte[] file = TestPkcs12Files.unknownEncryption(PASSWORD, pki.aliceSign);

        Pkcs12Exception e = assertThrows(Pkcs12Exception.class, () -> Pkcs12Reader.read(file, PASSWORD));

        assertEquals(Reason.UNSUPPORTED_ALGORITHM, e.reason(), () -> causes(e));
    }

    @Test
    void entryToStringHidesKey() {
        byte[] file = TestPkcs12Files.single(Style.OPENSSL_AES256, pki.aliceSign, false, PASSWORD);
        KeyPairEntry entry = Pkcs12Reader.read(file, PASSWORD).entries().get(0);
        RSAPrivateCrtKey key = (RSAPrivateCrtKey) pki.aliceSign.keyPair().getPrivate();

        String text = entry.toString();

        assertTrue(text.contains("Alice Example"), text);
        assertFalse(text.contains(key.getPrivateExponent().toString(16)), text);
        assertFalse(text.contains(key.getPrivateExponent().toString()), text);
        assertFalse(text.contains(key.getPrimeP().toString(16)), text);
    }

    /** Signs with the private key and verifies with the certificate's public key. */
    static void assertKeyMatchesCertificate(PrivateKey privateKey, X509CertificateHolder certificate) throws Exception {
        String algorithm = privateKey.getAlgorithm().startsWith("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        byte[] data = "key pairing check".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance(algorithm, TestPki.BOUNCY_CASTLE);
        signer.initSign(privateKey);
        signer.update(data);
        byte[] signature = signer.sign();

        Signature verifier = Signature.getInstance(algorithm, TestPki.BOUNCY_CASTLE);
        verifier.initVerify(new JcaX509CertificateConverter().setProvider(TestPki.BOUNCY_CASTLE)
                .getCertificate(certificate).getPublicKey());
        verifier.update(data);
        assertTrue(verifier.verify(signature), "private key does not match " + certificate.getSubject());
    }

    private static String causes(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            text.append(cause).append(" <- ");
        }
        return text.toString();
    }
}
