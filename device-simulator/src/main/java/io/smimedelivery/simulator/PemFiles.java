package io.smimedelivery.simulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Set;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/** PEM text of keys and certificates, and files that only the owner may read. */
final class PemFiles {

    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_FOLDER = PosixFilePermissions.fromString("rwx------");
    private static final String PRIVATE_KEY_LABEL = "PRIVATE KEY";

    private PemFiles() {
    }

    /** Returns the PEM text of a DER structure, in lines of 64 characters. */
    static String pem(String label, byte[] der) {
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + base64 + "\n-----END " + label + "-----\n";
    }

    /** Returns the PKCS#8 PEM text of a private key. */
    static String privateKeyPem(PrivateKey key) {
        if (!"PKCS#8".equals(key.getFormat())) {
            throw new IllegalArgumentException("The " + key.getAlgorithm() + " private key has no PKCS#8 encoding");
        }
        return pem(PRIVATE_KEY_LABEL, key.getEncoded());
    }

    static String certificatePem(X509Certificate certificate) {
        try {
            return pem("CERTIFICATE", certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("Encoding the certificate " + certificate.getSubjectX500Principal()
                    + " failed", e);
        }
    }

    /** Reads an RSA or EC private key from PKCS#8 PEM text ({@code -----BEGIN PRIVATE KEY-----}). */
    static PrivateKey readPrivateKey(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new SimulatorException("Reading the device key " + file + " failed: " + e.getMessage()
                    + ". Enroll the device first with the enroll command.", e);
        }
        String begin = "-----BEGIN " + PRIVATE_KEY_LABEL + "-----";
        String end = "-----END " + PRIVATE_KEY_LABEL + "-----";
        int start = text.indexOf(begin);
        int stop = text.indexOf(end);
        if (start < 0 || stop < start) {
            throw new SimulatorException("The device key " + file + " is not PKCS#8 PEM text starting with " + begin + ".");
        }
        try {
            byte[] der = Base64.getMimeDecoder().decode(text.substring(start + begin.length(), stop));
            ASN1ObjectIdentifier algorithm = PrivateKeyInfo.getInstance(der).getPrivateKeyAlgorithm().getAlgorithm();
            String keyAlgorithm;
            if (PKCSObjectIdentifiers.rsaEncryption.equals(algorithm)) {
                keyAlgorithm = "RSA";
            } else if (X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm)) {
                keyAlgorithm = "EC";
            } else {
                throw new SimulatorException("The device key " + file + " has algorithm " + algorithm
                        + "; the simulator reads RSA and EC keys.");
            }
            return KeyFactory.getInstance(keyAlgorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new SimulatorException("The device key " + file + " is not a valid PKCS#8 private key: " + e.getMessage(), e);
        }
    }

    /** Writes a file that only the owner can read and write (mode 600), replacing an existing file. */
    static void writeOwnerOnly(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
        } catch (FileAlreadyExistsException e) {
            throw new IOException("File " + file + " was created by another process while it was being replaced", e);
        }
        // The umask may have removed bits at creation, but never adds any, so set the mode again explicitly.
        Files.setPosixFilePermissions(file, OWNER_ONLY_FILE);
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    /** Writes bytes to a file that only the owner can read and write (mode 600), replacing an existing file. */
    static void writeOwnerOnly(Path file, byte[] content) throws IOException {
        writeOwnerOnly(file, "");
        Files.write(file, content);
    }

    /** Creates a folder and its missing parents; a folder created here gets mode 700. */
    static void createOwnerOnlyFolder(Path folder) throws IOException {
        if (Files.isDirectory(folder)) {
            return;
        }
        Path parent = folder.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FOLDER));
    }
}
