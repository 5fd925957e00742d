package io.smimedelivery.stack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local stack's SCEP CA and RA files: made once, the RA issued by the CA, the keys private. */
class LocalScepCaTest {

    @TempDir
    Path dataDir;

    @Test
    void makesCaAndRa() throws Exception {
        LocalScepCa.ScepFiles files = LocalScepCa.files(dataDir);

        X509Certificate ca = certificate(files.caCertificate());
        X509Certificate ra = certificate(files.raCertificate());
        assertEquals(3072, ((RSAPublicKey) ca.getPublicKey()).getModulus().bitLength());
        assertEquals(2048, ((RSAPublicKey) ra.getPublicKey()).getModulus().bitLength());
        assertTrue(ca.getBasicConstraints() >= 0, "the CA certificate is a CA");
        assertEquals(-1, ra.getBasicConstraints(), "the RA certificate is not a CA");
        assertEquals(ca.getSubjectX500Principal(), ra.getIssuerX500Principal());
        ra.verify(ca.getPublicKey());
        // keyUsage: digitalSignature (0) for CertRep signatures, keyEncipherment (2) for the requests.
        assertTrue(ra.getKeyUsage()[0]);
        assertTrue(ra.getKeyUsage()[2]);
        assertFalse(ca.getKeyUsage()[2], "the CA key does not decrypt requests");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(files.caKey())));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(files.raKey())));
    }

    @Test
    void keepsExistingFiles() throws Exception {
        LocalScepCa.ScepFiles first = LocalScepCa.files(dataDir);
        byte[] caKey = Files.readAllBytes(first.caKey());
        byte[] raKey = Files.readAllBytes(first.raKey());

        LocalScepCa.ScepFiles second = LocalScepCa.files(dataDir);

        assertArrayEquals(caKey, Files.readAllBytes(second.caKey()));
        assertArrayEquals(raKey, Files.readAllBytes(second.raKey()));
    }

    @Test
    void addsRaToOlderCa() throws Exception {
        LocalScepCa.ScepFiles first = LocalScepCa.files(dataDir);
        byte[] caKey = Files.readAllBytes(first.caKey());
        Files.delete(first.raCertificate());
        Files.delete(first.raKey());

        LocalScepCa.ScepFiles second = LocalScepCa.files(dataDir);

        assertArrayEquals(caKey, Files.readAllBytes(second.caKey()), "the CA stays");
        certificate(second.raCertificate()).verify(certificate(second.caCertificate()).getPublicKey());
    }

    private static X509Certificate certificate(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }
}
