package io.smimedelivery.simulator;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;

import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.KeyAgreeRecipientId;
import org.bouncycastle.cms.KeyTransRecipientId;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.jcajce.JceKeyAgreeEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

import com.fasterxml.jackson.databind.JsonNode;

import io.smimedelivery.events.EventJson;

/**
 * Opens a downloaded package as the device does: decrypts the CMS EnvelopedData with the device
 * enrollment key, parses the JSON document and reads the PKCS#12 with the password the document
 * carries.
 *
 * <p>certificate-service identifies the recipient by subjectKeyIdentifier, the SHA-1 hash of the
 * subjectPublicKey BIT STRING value (method 1 of RFC 5280, section 4.2.1.2), because a device has no
 * certificate. The opener computes the same hash from the device key to find its recipient info.
 */
final class PackageOpener {

    static final String FORMAT = "smime-device-package/1";

    private static final Provider BOUNCY_CASTLE = new BouncyCastleProvider();

    private PackageOpener() {
    }

    /** A private key from the PKCS#12 with its certificate. */
    record KeyEntry(String alias, PrivateKey privateKey, X509Certificate certificate) {

        /** Never prints the key. */
        @Override
        public String toString() {
            return "KeyEntry[" + alias + ", " + certificate.getSubjectX500Principal() + "]";
        }
    }

    /** The opened package. {@code document} still contains the PKCS#12 password. */
    record OpenedPackage(JsonNode document, List<KeyEntry> keys, List<X509Certificate> trustedCertificates) {

        /** Never prints the document, which contains the PKCS#12 password. */
        @Override
        public String toString() {
            return "OpenedPackage[" + document.path("packageId").asText() + ", " + keys.size() + " keys, "
                    + trustedCertificates.size() + " trusted certificates]";
        }
    }

    /**
     * Decrypts and reads a package.
     *
     * @throws SimulatorException if the envelope, the document or the PKCS#12 is invalid
     */
    static OpenedPackage open(byte[] envelope, PrivateKey deviceKey) {
        byte[] content = decrypt(envelope, deviceKey);
        JsonNode document;
        try {
            document = EventJson.mapper().readTree(content);
        } catch (IOException e) {
            throw new SimulatorException("The decrypted package is not a JSON document: " + e.getMessage(), e);
        }
        if (document == null || !document.isObject()) {
            throw new SimulatorException("The decrypted package is not a JSON object.");
        }
        if (!FORMAT.equals(document.path("format").asText())) {
            throw new SimulatorException("The package has format \"" + document.path("format").asText()
                    + "\"; this simulator reads only " + FORMAT + ".");
        }
        List<KeyEntry> keys = document.hasNonNull("pkcs12") ? readPkcs12(document.get("pkcs12")) : List.of();
        List<X509Certificate> trusted = new ArrayList<>();
        for (JsonNode pem : document.path("trustedCertificates")) {
            trusted.add(parseCertificate(pem.asText()));
        }
        return new OpenedPackage(document, keys, List.copyOf(trusted));
    }

    /**
     * Decrypts the EnvelopedData with the device key and returns its content: RSA keys through a
     * KeyTransRecipientInfo (RSAES-OAEP), EC keys through a KeyAgreeRecipientInfo (ECDH).
     */
    static byte[] decrypt(byte[] envelope, PrivateKey deviceKey) {
        CMSEnvelopedData enveloped;
        try {
            enveloped = new CMSEnvelopedData(envelope);
        } catch (CMSException | RuntimeException e) {
            throw new SimulatorException("The package is not a CMS EnvelopedData structure: " + e.getMessage(), e);
        }
        byte[] subjectKeyIdentifier = subjectKeyIdentifier(DeviceKeyPairs.publicKeyOf(deviceKey));
        boolean rsa = deviceKey instanceof RSAPrivateKey;
        RecipientInformation recipient = enveloped.getRecipientInfos().get(rsa
                ? new KeyTransRecipientId(subjectKeyIdentifier)
                : new KeyAgreeRecipientId(subjectKeyIdentifier));
        if (recipient == null) {
            throw new SimulatorException("The package has no recipient info for this device's key (subjectKeyIdentifier "
                    + HexFormat.of().formatHex(subjectKeyIdentifier) + "). It was encrypted to another key; "
                    + "enroll the device again if its key changed.");
        }
        try {
            return recipient.getContent(rsa
                    ? new JceKeyTransEnvelopedRecipient(deviceKey).setProvider(BOUNCY_CASTLE)
                    : new JceKeyAgreeEnvelopedRecipient(deviceKey).setProvider(BOUNCY_CASTLE));
        } catch (CMSException e) {
            throw new SimulatorException("Decrypting the package with the device key failed: " + e.getMessage(), e);
        }
    }

    /** Returns the thumbprint of a certificate: the SHA-256 hash of its DER encoding, lower-case hex. */
    static String thumbprint(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateException e) {
            throw new IllegalStateException("Hashing the certificate " + certificate.getSubjectX500Principal() + " failed", e);
        }
    }

    private static List<KeyEntry> readPkcs12(JsonNode pkcs12) {
        String encoding = pkcs12.path("encoding").asText();
        char[] password = pkcs12.path("password").asText().toCharArray();
        byte[] data;
        try {
            data = Base64.getDecoder().decode(pkcs12.path("data").asText());
        } catch (IllegalArgumentException e) {
            throw new SimulatorException("The package's pkcs12.data is not Base64: " + e.getMessage(), e);
        }
        try {
            // The JDK's PKCS12 KeyStore reads both encodings that certificate-service writes: 3DES with a
            // SHA-1 MAC (legacy-3des), and PBES2 with AES-256 and a SHA-256 MAC (aes256).
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(data), password);
            List<KeyEntry> keys = new ArrayList<>();
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    PrivateKey key = (PrivateKey) store.getKey(alias, password);
                    keys.add(new KeyEntry(alias, key, (X509Certificate) store.getCertificate(alias)));
                }
            }
            return keys;
        } catch (IOException | GeneralSecurityException | ClassCastException e) {
            throw new SimulatorException("Reading the package's PKCS#12 (encoding " + encoding + ") failed: "
                    + e.getMessage(), e);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private static X509Certificate parseCertificate(String pem) {
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            return (X509Certificate) factory.generateCertificate(
                    new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        } catch (CertificateException e) {
            throw new SimulatorException("A trusted certificate of the package is not a PEM certificate: "
                    + e.getMessage(), e);
        }
    }

    private static byte[] subjectKeyIdentifier(PublicKey publicKey) {
        byte[] subjectPublicKey = SubjectPublicKeyInfo.getInstance(publicKey.getEncoded()).getPublicKeyData().getOctets();
        try {
            return MessageDigest.getInstance("SHA-1").digest(subjectPublicKey);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from the JDK", e);
        }
    }
}
