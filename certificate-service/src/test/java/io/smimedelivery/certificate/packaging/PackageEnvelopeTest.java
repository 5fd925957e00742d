package io.smimedelivery.certificate.packaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smimedelivery.certificate.pkcs12.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.EnvelopedData;
import org.bouncycastle.asn1.cms.KeyAgreeRecipientInfo;
import org.bouncycastle.asn1.cms.KeyTransRecipientInfo;
import org.bouncycastle.asn1.cms.RecipientEncryptedKey;
import org.bouncycastle.asn1.cms.RecipientInfo;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAESOAEPparams;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.jce.interfaces.ECPointEncoder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PackageEnvelopeTest {

    private static KeyPair rsaDevice;
    private static KeyPair rsaOtherDevice;
    private static KeyPair ecP256Device;
    private static KeyPair ecP256OtherDevice;
    private static KeyPair ecP384Device;
    private static KeyPair ecP384OtherDevice;

    /** 3000 random bytes, not a multiple of the AES block size. */
    private static byte[] content;

    @TempDir
    Path directory;

    @BeforeAll
    static void generateDeviceKeys() throws Exception {
        TestPki pki = TestPki.get();
        rsaDevice = pki.rsa();
        rsaOtherDevice = pki.rsa();
        ecP256Device = pki.ecP256();
        ecP256OtherDevice = pki.ecP256();
        // P-384 keys come from the JDK's provider, so that both JDK and BouncyCastle EC keys are covered.
        ecP384Device = jdkEcKeyPair("secp384r1");
        ecP384OtherDevice = jdkEcKeyPair("secp384r1");
        content = new byte[3000];
        new SecureRandom().nextBytes(content);
    }

    static Stream<Arguments> devices() {
        return Stream.of(
                Arguments.of("RSA-2048", rsaDevice, rsaOtherDevice),
                Arguments.of("EC P-256", ecP256Device, ecP256OtherDevice),
                Arguments.of("EC P-384", ecP384Device, ecP384OtherDevice));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("devices")
    void opensslDecryptsSealedContent(String name, KeyPair device, KeyPair otherDevice) throws Exception {
        Path envelope = directory.resolve("env.der");
        Files.write(envelope, PackageEnvelope.seal(content, device.getPublic()));
        Path key = writeKey("device-key.pem", device);

        OpenSsl.Result result = OpenSsl.runSuccessfully(directory, null,
                "cms", "-decrypt", "-inform", "DER", "-in", envelope.toString(), "-inkey", key.toString());

        assertArrayEquals(content, result.stdout());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("devices")
    void openReturnsSealedContent(String name, KeyPair device, KeyPair otherDevice) {
        byte[] envelope = PackageEnvelope.seal(content, device.getPublic());

        assertArrayEquals(content, PackageEnvelope.open(envelope, device.getPrivate()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("devices")
    void openRejectsOtherDeviceKey(String name, KeyPair device, KeyPair otherDevice) {
        byte[] envelope = PackageEnvelope.seal(content, device.getPublic());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PackageEnvelope.open(envelope, otherDevice.getPrivate()));

        assertTrue(e.getMessage().contains("no recipient info"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("devices")
    void opensslFailsWithOtherDeviceKey(String name, KeyPair device, KeyPair otherDevice) throws Exception {
        Path envelope = directory.resolve("env.der");
        Files.write(envelope, PackageEnvelope.seal(content, device.getPublic()));
        Path otherKey = writeKey("other-device-key.pem", otherDevice);
        Path output = directory.resolve("other.bin");

        OpenSsl.Result result = OpenSsl.run(directory, null, "cms", "-decrypt", "-inform", "DER",
                "-in", envelope.toString(), "-inkey", otherKey.toString(), "-out", output.toString());
        // Without -debug_decrypt, OpenSSL decrypts an RSA envelope under a random key after a failed key
        // transport, so a wrong key may still end with exit code 0 and unrelated output.
        boolean recovered = result.exitCode() == 0 && Arrays.equals(content, Files.readAllBytes(output));
        assertFalse(recovered, result::describe);

        OpenSsl.Result debugResult = OpenSsl.run(directory, null, "cms", "-decrypt", "-debug_decrypt",
                "-inform", "DER", "-in", envelope.toString(), "-inkey", otherKey.toString());
        assertNotEquals(0, debugResult.exitCode(), debugResult::describe);
    }

    @Test
    void openRejectsKeyOfOtherType() {
        byte[] envelope = PackageEnvelope.seal(content, ecP256Device.getPublic());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PackageEnvelope.open(envelope, rsaDevice.getPrivate()));

        assertTrue(e.getMessage().contains("no recipient info"), e.getMessage());
    }

    @Test
    void opensslPrintsOaepSha256AndAes256Cbc() throws Exception {
        Path envelope = directory.resolve("env.der");
        Files.write(envelope, PackageEnvelope.seal(content, rsaDevice.getPublic()));

        OpenSsl.Result result = OpenSsl.runSuccessfully(directory, null,
                "cms", "-cmsout", "-print", "-noout", "-inform", "DER", "-in", envelope.toString());
        List<String> lines = result.stdoutText().lines().map(String::strip).toList();

        assertTrue(lines.contains("contentType: pkcs7-envelopedData (1.2.840.113549.1.7.3)"), result.stdoutText());
        assertTrue(lines.contains("d.ktri:"), result.stdoutText());
        assertTrue(lines.contains("algorithm: rsaesOaep (1.2.840.113549.1.1.7)"), result.stdoutText());
        // The OAEP parameters print as an ASN.1 dump: hashFunc [0] sha256, maskGenFunc [1] mgf1 with sha256.
        List<String> objects = lines.stream()
                .filter(l -> l.contains("OBJECT"))
                .map(l -> l.substring(l.lastIndexOf(':') + 1))
                .toList();
        assertEquals(List.of("sha256", "mgf1", "sha256"), objects, result.stdoutText());
        assertTrue(lines.contains("contentType: pkcs7-data (1.2.840.113549.1.7.1)"), result.stdoutText());
        assertTrue(lines.contains("algorithm: aes-256-cbc (2.16.840.1.101.3.4.1.42)"), result.stdoutText());
    }

    @Test
    void opensslPrintsEcdhSha256KdfAndAesWrap() throws Exception {
        Path envelope = directory.resolve("env.der");
        Files.write(envelope, PackageEnvelope.seal(content, ecP256Device.getPublic()));

        OpenSsl.Result result = OpenSsl.runSuccessfully(directory, null,
                "cms", "-cmsout", "-print", "-noout", "-inform", "DER", "-in", envelope.toString());
        String printed = result.stdoutText();

        assertTrue(printed.contains("d.kari:"), printed);
        assertTrue(printed.contains("algorithm: dhSinglePass-stdDH-sha256kdf-scheme (1.3.132.1.11.1)"), printed);
        // The key wrap algorithm prints as an ASN.1 dump of the key agreement parameters.
        assertTrue(printed.contains("OBJECT            :id-aes256-wrap"), printed);
        assertTrue(printed.contains("d.rKeyId:"), printed);
        assertTrue(printed.contains("algorithm: aes-256-cbc (2.16.840.1.101.3.4.1.42)"), printed);
    }

    @Test
    void rsaRecipientInfoParameters() throws Exception {
        EnvelopedData envelopedData = envelopedData(PackageEnvelope.seal(content, rsaDevice.getPublic()));

        assertEquals(CMSObjectIdentifiers.data, envelopedData.getEncryptedContentInfo().getContentType());
        assertEquals(NISTObjectIdentifiers.id_aes256_CBC,
                envelopedData.getEncryptedContentInfo().getContentEncryptionAlgorithm().getAlgorithm());
        assertEquals(1, envelopedData.getRecipientInfos().size());
        KeyTransRecipientInfo recipientInfo = KeyTransRecipientInfo.getInstance(
                RecipientInfo.getInstance(envelopedData.getRecipientInfos().getObjectAt(0)).getInfo());

        AlgorithmIdentifier algorithm = recipientInfo.getKeyEncryptionAlgorithm();
        assertEquals(PKCSObjectIdentifiers.id_RSAES_OAEP, algorithm.getAlgorithm());
        RSAESOAEPparams parameters = RSAESOAEPparams.getInstance(algorithm.getParameters());
        AlgorithmIdentifier sha256 = new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256, DERNull.INSTANCE);
        assertEquals(sha256, parameters.getHashAlgorithm());
        assertEquals(new AlgorithmIdentifier(PKCSObjectIdentifiers.id_mgf1, sha256), parameters.getMaskGenAlgorithm());
        assertEquals(RSAESOAEPparams.DEFAULT_P_SOURCE_ALGORITHM, parameters.getPSourceAlgorithm());

        assertArrayEquals(expectedKeyIdentifier(rsaDevice.getPublic()),
                ASN1OctetString.getInstance(recipientInfo.getRecipientIdentifier().getId()).getOctets());
    }

    @Test
    void ecRecipientInfoParameters() throws Exception {
        EnvelopedData envelopedData = envelopedData(PackageEnvelope.seal(content, ecP384Device.getPublic()));

        assertEquals(NISTObjectIdentifiers.id_aes256_CBC,
                envelopedData.getEncryptedContentInfo().getContentEncryptionAlgorithm().getAlgorithm());
        KeyAgreeRecipientInfo recipientInfo = KeyAgreeRecipientInfo.getInstance(
                RecipientInfo.getInstance(envelopedData.getRecipientInfos().getObjectAt(0)).getInfo());

        AlgorithmIdentifier algorithm = recipientInfo.getKeyEncryptionAlgorithm();
        assertEquals(SECObjectIdentifiers.dhSinglePass_stdDH_sha256kdf_scheme, algorithm.getAlgorithm());
        assertEquals(NISTObjectIdentifiers.id_aes256_wrap,
                AlgorithmIdentifier.getInstance(algorithm.getParameters()).getAlgorithm());
        assertTrue(recipientInfo.getOriginator().getOriginatorKey() != null, "originatorKey");

        assertEquals(1, recipientInfo.getRecipientEncryptedKeys().size());
        RecipientEncryptedKey encryptedKey = RecipientEncryptedKey.getInstance(
                recipientInfo.getRecipientEncryptedKeys().getObjectAt(0));
        assertArrayEquals(expectedKeyIdentifier(ecP384Device.getPublic()),
                encryptedKey.getIdentifier().getRKeyID().getSubjectKeyIdentifier().getOctets());
    }

    @Test
    void ephemeralKeyDiffersPerEnvelope() {
        byte[] first = PackageEnvelope.seal(content, ecP256Device.getPublic());
        byte[] second = PackageEnvelope.seal(content, ecP256Device.getPublic());

        assertFalse(Arrays.equals(originatorKey(first), originatorKey(second)));
    }

    @Test
    void compressedEcKeyGetsSameIdentifier() throws Exception {
        PublicKey compressed = KeyFactory.getInstance("EC", TestPki.BOUNCY_CASTLE)
                .generatePublic(new X509EncodedKeySpec(ecP256Device.getPublic().getEncoded()));
        ((ECPointEncoder) compressed).setPointFormat("COMPRESSED");
        assertEquals(0x02, SubjectPublicKeyInfo.getInstance(compressed.getEncoded()).getPublicKeyData().getBytes()[0] & 0xFE);

        byte[] envelope = PackageEnvelope.seal(content, compressed);

        assertArrayEquals(content, PackageEnvelope.open(envelope, ecP256Device.getPrivate()));
    }

    @Test
    void emptyContentRoundTrips() {
        byte[] envelope = PackageEnvelope.seal(new byte[0], rsaDevice.getPublic());

        assertArrayEquals(new byte[0], PackageEnvelope.open(envelope, rsaDevice.getPrivate()));
    }

    static Stream<Arguments> unsupportedKeys() throws Exception {
        return Stream.of(
                Arguments.of("RSA-1024", jdkKeyPair("RSA", 1024).getPublic(), "RSA key with a 1024-bit modulus"),
                Arguments.of("DSA-2048", jdkKeyPair("DSA", 2048).getPublic(), "DSA key (algorithm 1.2.840.10040.4.1)"),
                Arguments.of("EC P-521", jdkEcKeyPair("secp521r1").getPublic(), "EC key on curve secp521r1 (1.3.132.0.35)"),
                Arguments.of("EC secp256k1", bouncyCastleEcKeyPair("secp256k1").getPublic(),
                        "EC key on curve secp256k1 (1.3.132.0.10)"),
                Arguments.of("Ed25519", KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic(),
                        "key (algorithm 1.3.101.112)"),
                Arguments.of("X25519", KeyPairGenerator.getInstance("X25519").generateKeyPair().getPublic(),
                        "key (algorithm 1.3.101.110)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unsupportedKeys")
    void sealRejectsUnsupportedKey(String name, PublicKey key, String expectedDescription) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PackageEnvelope.seal(content, key));

        assertTrue(e.getMessage().startsWith("Unsupported device key: "), e.getMessage());
        assertTrue(e.getMessage().contains(expectedDescription), e.getMessage());
        assertTrue(e.getMessage().contains("Accepted: RSA with a modulus of at least 2048 bits"), e.getMessage());
        assertTrue(e.getMessage().contains("P-256 (secp256r1) or P-384 (secp384r1)"), e.getMessage());
    }

    @Test
    void openRejectsOtherData() {
        byte[] notCms = "not an envelope".getBytes(StandardCharsets.US_ASCII);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PackageEnvelope.open(notCms, rsaDevice.getPrivate()));

        assertTrue(e.getMessage().contains("not a valid CMS EnvelopedData"), e.getMessage());
    }

    /** Computes RFC 5280 key identifier method 1 from the key's own X.509 encoding. */
    private static byte[] expectedKeyIdentifier(PublicKey key) throws Exception {
        return PackagingFixtures.sha1(SubjectPublicKeyInfo.getInstance(key.getEncoded()).getPublicKeyData().getBytes());
    }

    private static EnvelopedData envelopedData(byte[] envelope) {
        ContentInfo contentInfo = ContentInfo.getInstance(envelope);
        assertEquals(CMSObjectIdentifiers.envelopedData, contentInfo.getContentType());
        return EnvelopedData.getInstance(contentInfo.getContent());
    }

    private static byte[] originatorKey(byte[] envelope) {
        KeyAgreeRecipientInfo recipientInfo = KeyAgreeRecipientInfo.getInstance(
                RecipientInfo.getInstance(envelopedData(envelope).getRecipientInfos().getObjectAt(0)).getInfo());
        return recipientInfo.getOriginator().getOriginatorKey().getPublicKey().getBytes();
    }

    private Path writeKey(String fileName, KeyPair keyPair) throws Exception {
        Path file = directory.resolve(fileName);
        Files.writeString(file, PackagingFixtures.pkcs8Pem(keyPair.getPrivate()), StandardCharsets.US_ASCII);
        return file;
    }

    private static KeyPair jdkKeyPair(String algorithm, int bits) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
        generator.initialize(bits);
        return generator.generateKeyPair();
    }

    private static KeyPair jdkEcKeyPair(String curve) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(curve));
        return generator.generateKeyPair();
    }

    private static KeyPair bouncyCastleEcKeyPair(String curve) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", TestPki.BOUNCY_CASTLE);
        generator.initialize(new ECGenParameterSpec(curve));
        return generator.generateKeyPair();
    }
}
