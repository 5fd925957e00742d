package io.smimedelivery.policy.trust;

import static io.smimedelivery.policy.trust.TestCertificates.der;
import static io.smimedelivery.policy.trust.TestCertificates.pem;
import static io.smimedelivery.policy.trust.TestCertificates.rootCa;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.Test;

class CaCertificateParserTest {

    private static final String ROOT_DN = "CN=Contoso Root CA,O=Contoso Italia,C=IT";
    private static final String INTERMEDIATE = "C=IT,O=Contoso Italia,CN=Contoso Issuing CA 1";

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static InvalidCertificateException rejected(byte[] upload, String reasonCode) {
        InvalidCertificateException error = assertThrows(InvalidCertificateException.class,
                () -> CaCertificateParser.parse(upload));
        assertEquals(reasonCode, error.reasonCode(), error.getMessage());
        return error;
    }

    @Test
    void rsaRootFromPem() throws Exception {
        X509CertificateHolder root = rootCa().build();

        CaCertificate parsed = CaCertificateParser.parse(bytes(pem(root)));

        assertEquals(ROOT_DN, parsed.subjectDn());
        assertEquals(ROOT_DN, parsed.issuerDn());
        assertEquals("a1b2c3d4e5f6", parsed.serialNumberHex());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der(root))),
                parsed.thumbprintSha256());
        assertEquals(root.getNotBefore().toInstant(), parsed.notBefore());
        assertEquals(root.getNotAfter().toInstant(), parsed.notAfter());
        assertTrue(parsed.selfSigned());
        assertArrayEquals(der(root), parsed.der());
    }

    @Test
    void thumbprintIsLowerCaseHex() {
        CaCertificate parsed = CaCertificateParser.parse(der(rootCa().build()));

        assertTrue(parsed.thumbprintSha256().matches("[0-9a-f]{64}"), parsed.thumbprintSha256());
    }

    @Test
    void ecRootIsSelfSigned() {
        TestCertificates.Builder builder = rootCa();
        builder.subjectKeys = TestCertificates.EC_KEYS;
        builder.signingKey = TestCertificates.EC_KEYS.getPrivate();

        CaCertificate parsed = CaCertificateParser.parse(bytes(pem(builder.build())));

        assertTrue(parsed.selfSigned());
    }

    @Test
    void intermediateSignedByRootIsNotSelfSigned() throws Exception {
        TestCertificates.Builder builder = rootCa().subject(INTERMEDIATE);
        builder.subjectKeys = TestCertificates.EC_KEYS;
        X509CertificateHolder intermediate = builder.build();
        X509Certificate jdkView = new JcaX509CertificateConverter().getCertificate(intermediate);
        jdkView.verify(TestCertificates.RSA_ROOT_KEYS.getPublic());

        CaCertificate parsed = CaCertificateParser.parse(der(intermediate));

        assertEquals("CN=Contoso Issuing CA 1,O=Contoso Italia,C=IT", parsed.subjectDn());
        assertEquals(ROOT_DN, parsed.issuerDn());
        assertFalse(parsed.selfSigned());
    }

    @Test
    void sameNameOtherKeyIsNotSelfSigned() {
        TestCertificates.Builder builder = rootCa();
        builder.signingKey = TestCertificates.RSA_OTHER_KEYS.getPrivate();

        CaCertificate parsed = CaCertificateParser.parse(der(builder.build()));

        assertEquals(parsed.subjectDn(), parsed.issuerDn());
        assertFalse(parsed.selfSigned());
    }

    @Test
    void caWithoutKeyUsageAccepted() {
        TestCertificates.Builder builder = rootCa();
        builder.keyUsage = null;

        CaCertificate parsed = CaCertificateParser.parse(der(builder.build()));

        assertEquals(ROOT_DN, parsed.subjectDn());
    }

    @Test
    void expiredCaAccepted() {
        TestCertificates.Builder builder = rootCa();
        builder.notBefore = TestCertificates.NOW.minus(800, ChronoUnit.DAYS);
        builder.notAfter = TestCertificates.NOW.minus(10, ChronoUnit.DAYS);

        CaCertificate parsed = CaCertificateParser.parse(bytes(pem(builder.build())));

        assertTrue(parsed.notAfter().isBefore(TestCertificates.NOW));
        assertEquals(builder.notAfter, parsed.notAfter());
    }

    @Test
    void derInputAccepted() {
        X509CertificateHolder root = rootCa().build();

        CaCertificate parsed = CaCertificateParser.parse(der(root));

        assertArrayEquals(der(root), parsed.der());
        assertTrue(parsed.selfSigned());
    }

    @Test
    void pemWithCrlfAndSurroundingText() {
        X509CertificateHolder root = rootCa().build();
        String block = pem(root).replace("\r\n", "\n").replace("\n", "\r\n");
        String upload = "Bag Attributes\r\n    friendlyName: Contoso Root CA\r\nsubject=" + ROOT_DN + "\r\n\r\n"
                + block + "\r\nExported by the test.\r\n";

        CaCertificate parsed = CaCertificateParser.parse(bytes(upload));

        assertArrayEquals(der(root), parsed.der());
    }

    @Test
    void pemRoundTrip() {
        CaCertificate parsed = CaCertificateParser.parse(der(rootCa().build()));

        String pem = parsed.pem();

        assertTrue(pem.startsWith("-----BEGIN CERTIFICATE-----\n"), pem);
        assertTrue(pem.endsWith("\n-----END CERTIFICATE-----\n"), pem);
        for (String line : pem.split("\n")) {
            assertTrue(line.length() <= 64, line);
        }
        assertEquals(parsed, CaCertificateParser.parse(bytes(pem)));
    }

    @Test
    void serialNumberIsLowerCaseHex() {
        TestCertificates.Builder builder = rootCa();
        builder.serial = new BigInteger("7FFFABCDEF0123456789", 16);

        assertEquals("7fffabcdef0123456789", CaCertificateParser.parse(der(builder.build())).serialNumberHex());
    }

    @Test
    void emailAttributeNamedE() {
        TestCertificates.Builder builder = rootCa().subject("C=IT,O=Contoso,E=pki@contoso.it,CN=Mail Root");
        builder.issuer = builder.subject;

        assertEquals("CN=Mail Root,E=pki@contoso.it,O=Contoso,C=IT",
                CaCertificateParser.parse(der(builder.build())).subjectDn());
    }

    @Test
    void leafCertificateIsNotCa() {
        TestCertificates.Builder builder = rootCa().subject("C=IT,O=Contoso Italia,CN=Mario Rossi");
        builder.subjectKeys = TestCertificates.RSA_OTHER_KEYS;
        builder.ca = false;
        builder.keyUsage = KeyUsage.digitalSignature | KeyUsage.keyEncipherment;

        InvalidCertificateException error = rejected(bytes(pem(builder.build())),
                InvalidCertificateException.NOT_A_CA);

        assertTrue(error.getMessage().contains("'CN=Mario Rossi,O=Contoso Italia,C=IT'"), error.getMessage());
        assertTrue(error.getMessage().contains("cA set to false"), error.getMessage());
    }

    @Test
    void certificateWithoutBasicConstraintsIsNotCa() {
        TestCertificates.Builder builder = rootCa();
        builder.ca = null;

        InvalidCertificateException error = rejected(der(builder.build()), InvalidCertificateException.NOT_A_CA);

        assertTrue(error.getMessage().contains(ROOT_DN), error.getMessage());
        assertTrue(error.getMessage().contains("no basicConstraints extension"), error.getMessage());
    }

    @Test
    void version1CertificateIsNotCa() {
        InvalidCertificateException error = rejected(der(TestCertificates.version1Root()),
                InvalidCertificateException.NOT_A_CA);

        assertTrue(error.getMessage().contains("X.509 v1"), error.getMessage());
    }

    @Test
    void caWithoutKeyCertSignRejected() {
        TestCertificates.Builder builder = rootCa();
        builder.keyUsage = KeyUsage.digitalSignature | KeyUsage.cRLSign;

        InvalidCertificateException error = rejected(bytes(pem(builder.build())),
                InvalidCertificateException.KEY_CERT_SIGN_MISSING);

        assertTrue(error.getMessage().contains(ROOT_DN), error.getMessage());
        assertTrue(error.getMessage().contains("keyCertSign"), error.getMessage());
    }

    @Test
    void pemWithTwoCertificatesRejected() {
        X509CertificateHolder root = rootCa().build();
        X509CertificateHolder intermediate = rootCa().subject(INTERMEDIATE).build();

        InvalidCertificateException error = rejected(bytes(pem(intermediate, root)),
                InvalidCertificateException.MULTIPLE_CERTIFICATES);

        assertTrue(error.getMessage().contains("2 certificates"), error.getMessage());
        assertTrue(error.getMessage().contains("separately"), error.getMessage());
    }

    @Test
    void concatenatedDerCertificatesRejected() {
        byte[] root = der(rootCa().build());
        ByteArrayOutputStream upload = new ByteArrayOutputStream();
        upload.writeBytes(root);
        upload.writeBytes(root);
        upload.writeBytes(root);

        InvalidCertificateException error = rejected(upload.toByteArray(),
                InvalidCertificateException.MULTIPLE_CERTIFICATES);

        assertTrue(error.getMessage().contains("3 certificates"), error.getMessage());
    }

    @Test
    void derWithTrailingBytesRejected() {
        ByteArrayOutputStream upload = new ByteArrayOutputStream();
        upload.writeBytes(der(rootCa().build()));
        upload.writeBytes(new byte[] {0x04, 0x02, 0x01, 0x02});

        InvalidCertificateException error = rejected(upload.toByteArray(),
                InvalidCertificateException.NOT_A_CERTIFICATE);

        assertTrue(error.getMessage().contains("followed by other data"), error.getMessage());
    }

    @Test
    void pemBlockWithTrailingBytesRejected() {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        content.writeBytes(der(rootCa().build()));
        content.writeBytes(new byte[] {0x05, 0x00});
        String upload = pem(new PemObject("CERTIFICATE", content.toByteArray()));

        rejected(bytes(upload), InvalidCertificateException.NOT_A_CERTIFICATE);
    }

    @Test
    void pkcs8PrivateKeyPemRejected() throws Exception {
        String keyPem = pem(new JcaPKCS8Generator(TestCertificates.RSA_ROOT_KEYS.getPrivate(), null));
        assertTrue(keyPem.startsWith("-----BEGIN PRIVATE KEY-----"), "test data is a PKCS #8 PEM");

        InvalidCertificateException error = rejected(bytes(keyPem), InvalidCertificateException.PRIVATE_KEY);

        assertTrue(error.getMessage().contains("private key"), error.getMessage());
        assertTrue(error.getMessage().contains("must not be uploaded"), error.getMessage());
        assertMessageOmitsKey(error, keyPem);
    }

    @Test
    void traditionalRsaKeyPemRejected() {
        String keyPem = pem(TestCertificates.RSA_ROOT_KEYS.getPrivate());
        assertTrue(keyPem.startsWith("-----BEGIN RSA PRIVATE KEY-----"), "test data is a PKCS #1 PEM");

        InvalidCertificateException error = rejected(bytes(keyPem), InvalidCertificateException.PRIVATE_KEY);

        assertMessageOmitsKey(error, keyPem);
    }

    @Test
    void certificateWithKeyPemRejected() {
        String upload = pem(rootCa().build()) + pem(TestCertificates.EC_KEYS.getPrivate());

        InvalidCertificateException error = rejected(bytes(upload), InvalidCertificateException.PRIVATE_KEY);

        assertMessageOmitsKey(error, upload);
    }

    @Test
    void encryptedKeyPemRejected() {
        String upload = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIBvTBXBgkqhkiG9w0BBQ0wSjApBgkqhkiG9w0BBQww\n"
                + "-----END ENCRYPTED PRIVATE KEY-----\n";

        rejected(bytes(upload), InvalidCertificateException.PRIVATE_KEY);
    }

    @Test
    void derPrivateKeyRejected() {
        byte[] pkcs8 = TestCertificates.RSA_ROOT_KEYS.getPrivate().getEncoded();

        InvalidCertificateException error = rejected(pkcs8, InvalidCertificateException.PRIVATE_KEY);

        assertTrue(error.getMessage().contains("DER private key"), error.getMessage());
    }

    @Test
    void pkcs12FileRejected() throws Exception {
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(rootCa().build());
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(null, null);
        char[] password = "test-only".toCharArray();
        keyStore.setKeyEntry("root", TestCertificates.RSA_ROOT_KEYS.getPrivate(), password,
                new Certificate[] {certificate});
        ByteArrayOutputStream pkcs12 = new ByteArrayOutputStream();
        keyStore.store(pkcs12, password);

        InvalidCertificateException error = rejected(pkcs12.toByteArray(), InvalidCertificateException.PRIVATE_KEY);

        assertTrue(error.getMessage().contains("PKCS #12"), error.getMessage());
    }

    @Test
    void pkcs7BundleRejected() throws Exception {
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        generator.addCertificates(new JcaCertStore(List.of(rootCa().build())));
        byte[] pkcs7 = generator.generate(new CMSProcessableByteArray(new byte[0])).getEncoded();

        InvalidCertificateException error = rejected(pkcs7, InvalidCertificateException.NOT_A_CERTIFICATE);

        assertTrue(error.getMessage().contains("PKCS #7"), error.getMessage());
    }

    @Test
    void garbageBytesRejected() {
        byte[] random = new byte[512];
        new Random(42).nextBytes(random);
        random[0] = 0x17;
        byte[] sequenceLike = random.clone();
        sequenceLike[0] = 0x30;

        rejected(random, InvalidCertificateException.NOT_A_CERTIFICATE);
        rejected(sequenceLike, InvalidCertificateException.NOT_A_CERTIFICATE);
        rejected(bytes("hello, this is not a certificate"), InvalidCertificateException.NOT_A_CERTIFICATE);
    }

    @Test
    void base64WithoutPemLinesRejected() {
        String base64 = Base64.getMimeEncoder().encodeToString(der(rootCa().build()));

        InvalidCertificateException error = rejected(bytes(base64), InvalidCertificateException.NOT_A_CERTIFICATE);

        assertTrue(error.getMessage().contains("-----BEGIN CERTIFICATE-----"), error.getMessage());
    }

    @Test
    void otherPemTypeRejected() {
        String upload = pem(new PemObject("CERTIFICATE REQUEST", new byte[] {0x30, 0x00}));

        InvalidCertificateException error = rejected(bytes(upload), InvalidCertificateException.NOT_A_CERTIFICATE);

        assertTrue(error.getMessage().contains("'CERTIFICATE REQUEST'"), error.getMessage());
    }

    @Test
    void truncatedPemRejected() {
        String full = pem(rootCa().build());
        String truncated = full.substring(0, full.indexOf("-----END"));

        rejected(bytes(truncated), InvalidCertificateException.NOT_A_CERTIFICATE);
    }

    @Test
    void pemWithInvalidBase64Rejected() {
        String upload = "-----BEGIN CERTIFICATE-----\nthis is not base64!\n-----END CERTIFICATE-----\n";

        rejected(bytes(upload), InvalidCertificateException.NOT_A_CERTIFICATE);
    }

    @Test
    void emptyUploadsRejected() {
        rejected(null, InvalidCertificateException.EMPTY);
        rejected(new byte[0], InvalidCertificateException.EMPTY);
        rejected(bytes(" \r\n\t"), InvalidCertificateException.EMPTY);
    }

    @Test
    void derCopiedOnWayInAndOut() {
        byte[] upload = der(rootCa().build());
        byte[] original = upload.clone();
        CaCertificate parsed = CaCertificateParser.parse(upload);

        upload[10] ^= 0x01;
        parsed.der()[11] ^= 0x01;

        assertArrayEquals(original, parsed.der());
    }

    @Test
    void toStringOmitsDer() {
        CaCertificate parsed = CaCertificateParser.parse(der(rootCa().build()));
        String base64 = Base64.getEncoder().encodeToString(parsed.der());

        String text = parsed.toString();

        assertTrue(text.contains(ROOT_DN), text);
        assertTrue(text.contains(parsed.thumbprintSha256()), text);
        assertFalse(text.contains(base64.substring(0, 40)), text);
        assertFalse(text.contains("[B@"), text);
    }

    /** Checks that no base64 line of the key PEM appears in the exception message. */
    private static void assertMessageOmitsKey(InvalidCertificateException error, String keyPem) {
        for (String line : keyPem.split("\\R")) {
            if (!line.startsWith("-----") && line.length() >= 16) {
                assertFalse(error.getMessage().contains(line), "message contains key material");
            }
        }
        assertFalse(error.getMessage().contains("MII"), "message contains base64 DER");
    }
}
