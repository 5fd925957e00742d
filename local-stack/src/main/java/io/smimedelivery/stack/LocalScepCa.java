package io.smimedelivery.stack;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The local stack's SCEP issuing CA and its registration authority (RA), made on first start and kept in
 * the data folder, with the keys readable only by their owner. The CA has an RSA-3072 key and signs only
 * certificates and CRLs. The RA has an RSA-2048 key and a certificate from the CA: devices encrypt their
 * requests to it and it signs the CertRep messages, as the RA certificates of Microsoft's NDES do. So the CA key never
 * decrypts what a client sent, and each enrollment takes one 3072-bit operation instead of three.
 * Production deployments configure their own CA and RA.
 */
final class LocalScepCa {

    static final String CERTIFICATE_FILE = "scep-ca.pem";
    static final String KEY_FILE = "scep-ca.key.pem";
    static final String RA_CERTIFICATE_FILE = "scep-ra.pem";
    static final String RA_KEY_FILE = "scep-ra.key.pem";
    private static final String SUBJECT = "CN=Local Stack SCEP CA,O=S/MIME Delivery local stack";
    private static final String RA_SUBJECT = "CN=Local Stack SCEP RA,O=S/MIME Delivery local stack";

    /** The files of the CA and the RA, as certificate-service's smime.scep.* settings name them. */
    record ScepFiles(Path caCertificate, Path caKey, Path raCertificate, Path raKey) {
    }

    private LocalScepCa() {
    }

    /**
     * Returns the CA's and the RA's files, making them first when they do not exist. A data folder from
     * before the RA existed keeps its CA and gets an RA issued by it.
     */
    static ScepFiles files(Path dataDir) {
        Path certificateFile = dataDir.resolve(CERTIFICATE_FILE);
        Path keyFile = dataDir.resolve(KEY_FILE);
        Path raCertificateFile = dataDir.resolve(RA_CERTIFICATE_FILE);
        Path raKeyFile = dataDir.resolve(RA_KEY_FILE);
        try {
            if (!Files.exists(certificateFile) || !Files.exists(keyFile)) {
                makeCa(certificateFile, keyFile);
                Files.deleteIfExists(raCertificateFile);
            }
            if (!Files.exists(raCertificateFile) || !Files.exists(raKeyFile)) {
                makeRa(certificateFile, keyFile, raCertificateFile, raKeyFile);
            }
            return new ScepFiles(certificateFile, keyFile, raCertificateFile, raKeyFile);
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("Failed to make the local SCEP CA in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    private static void makeCa(Path certificateFile, Path keyFile)
            throws IOException, GeneralSecurityException, OperatorCreationException {
        KeyPair keys = rsaKeys(3072);
        X500Name name = new X500Name(SUBJECT);
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(3650))), name, keys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        builder.addExtension(Extension.subjectKeyIdentifier, false,
                new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
        X509CertificateHolder certificate = builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate()));
        write(keyFile, certificateFile, keys.getPrivate(), certificate);
    }

    /** Makes an RA key and certificate, issued by the CA in the given files, valid as long as the CA. */
    private static void makeRa(Path caCertificateFile, Path caKeyFile, Path certificateFile, Path keyFile)
            throws IOException, GeneralSecurityException, OperatorCreationException {
        X509Certificate ca;
        try (var in = Files.newInputStream(caCertificateFile)) {
            ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        PrivateKey caKey = readKey(caKeyFile);
        KeyPair keys = rsaKeys(2048);
        Instant now = Instant.now();
        JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca, serial(),
                Date.from(now.minus(Duration.ofMinutes(5))), ca.getNotAfter(), new X500Name(RA_SUBJECT), keys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keys.getPublic()));
        builder.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(ca));
        X509CertificateHolder certificate = builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(caKey));
        write(keyFile, certificateFile, keys.getPrivate(), certificate);
    }

    private static KeyPair rsaKeys(int bits) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(bits);
        return generator.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(127, new SecureRandom()).setBit(126);
    }

    /** Writes the key, readable only by its owner, and then the certificate. */
    private static void write(Path keyFile, Path certificateFile, PrivateKey key, X509CertificateHolder certificate)
            throws IOException {
        Files.deleteIfExists(keyFile);
        Files.createFile(keyFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()));
        Files.writeString(certificateFile, pem("CERTIFICATE", certificate.getEncoded()));
    }

    /** Reads a PEM private key: PKCS#8, as this class writes it, or the PKCS#1 form of older OpenSSL. */
    private static PrivateKey readKey(Path file) throws IOException {
        try (PEMParser parser = new PEMParser(Files.newBufferedReader(file))) {
            Object object = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (object instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (object instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
            throw new IOException("Invalid SCEP CA key file " + file + ": no unencrypted PEM private key found");
        }
    }

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }
}
