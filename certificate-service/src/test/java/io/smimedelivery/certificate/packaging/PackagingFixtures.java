package io.smimedelivery.certificate.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smimedelivery.certificate.pkcs12.TestPki;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;

/** Test entries from {@link TestPki} and checks shared by the packaging tests. */
final class PackagingFixtures {

    private PackagingFixtures() {
    }

    static X509Certificate certificate(X509CertificateHolder holder) {
        try {
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (Exception e) {
            throw new IllegalStateException("Converting a test certificate failed", e);
        }
    }

    static KeyedCertificate entry(TestPki.Issued issued, String friendlyName) {
        return new KeyedCertificate(issued.keyPair().getPrivate(), certificate(issued.certificate()), friendlyName);
    }

    /** Returns the issuing CA and root CA certificates of the test PKI, in that order. */
    static List<X509Certificate> chain() {
        return TestPki.get().chain().stream().map(PackagingFixtures::certificate).toList();
    }

    /** Checks that a signature made with the private key verifies with the certificate's public key. */
    static void assertKeyMatchesCertificate(PrivateKey privateKey, X509Certificate certificate) throws Exception {
        String algorithm = privateKey.getAlgorithm().startsWith("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        byte[] data = "key pairing check".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance(algorithm, TestPki.BOUNCY_CASTLE);
        signer.initSign(privateKey);
        signer.update(data);
        byte[] signature = signer.sign();

        Signature verifier = Signature.getInstance(algorithm, TestPki.BOUNCY_CASTLE);
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(data);
        assertTrue(verifier.verify(signature),
                "private key does not match the certificate " + certificate.getSubjectX500Principal());
    }

    /** Checks that two private keys have the same private exponent (RSA) or private value (EC). */
    static void assertSamePrivateKey(PrivateKey expected, PrivateKey actual) {
        assertEquals(privateValue(expected), privateValue(actual), "private key of type " + expected.getAlgorithm());
    }

    private static BigInteger privateValue(PrivateKey key) {
        if (key instanceof RSAPrivateKey rsa) {
            return rsa.getPrivateExponent();
        }
        if (key instanceof ECPrivateKey ec) {
            return ec.getS();
        }
        throw new IllegalArgumentException("Unexpected test key type " + key.getAlgorithm());
    }

    /** Encodes a private key as PKCS#8 PEM ("BEGIN PRIVATE KEY"). */
    static String pkcs8Pem(PrivateKey key) {
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    static byte[] sha1(byte[] data) throws Exception {
        return MessageDigest.getInstance("SHA-1").digest(data);
    }
}
