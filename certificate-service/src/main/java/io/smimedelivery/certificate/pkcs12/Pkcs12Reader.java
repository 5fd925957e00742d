package io.smimedelivery.certificate.pkcs12;

import static io.smimedelivery.certificate.crypto.Providers.BOUNCY_CASTLE;

import java.io.IOException;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.CertBag;
import org.bouncycastle.asn1.pkcs.ContentInfo;
import org.bouncycastle.asn1.pkcs.EncryptedData;
import org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.SafeBag;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.InputDecryptorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.bc.BcDefaultDigestProvider;
import org.bouncycastle.pkcs.PKCS12PfxPdu;
import org.bouncycastle.pkcs.PKCS12SafeBag;
import org.bouncycastle.pkcs.PKCS12SafeBagFactory;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.bc.BcPKCS12MacCalculatorBuilderProvider;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEInputDecryptorProviderBuilder;

import io.smimedelivery.certificate.pkcs12.Pkcs12Exception.Reason;

/**
 * Reads the private keys and certificates of a PKCS#12 file with BouncyCastle.
 *
 * <p>BouncyCastle is used instead of the JDK {@code KeyStore} because JDK 17 rejects non-ASCII
 * passwords. BouncyCastle encodes the password characters as a BMPString for the MAC and the PKCS#12
 * PBE schemes (RFC 7292, appendix B.1) and as UTF-8 for PBKDF2 in PBES2. OpenSSL 3 uses the same
 * encodings. A caller therefore passes the password exactly as the user typed it, for example decoded
 * from a UTF-8 JSON string.
 *
 * <p>Supported: SHA-1 and SHA-256 MACs, PBES2 with PBKDF2 and AES-CBC, and the legacy PKCS#12 PBE
 * schemes (RC2-40 for certificates and 3DES for keys), as written by OpenSSL, Windows and keytool.
 */
public final class Pkcs12Reader {


    private Pkcs12Reader() {
    }

    /**
     * Parses the file, verifies its MAC with the password, decrypts every bag and pairs each private
     * key with its certificate.
     *
     * @throws Pkcs12Exception with a {@link Reason} for each kind of failure the uploader can fix
     */
    public static Pkcs12Contents read(byte[] pkcs12, char[] password) {
        Objects.requireNonNull(pkcs12, "pkcs12");
        Objects.requireNonNull(password, "password");

        PKCS12PfxPdu pfx = parse(pkcs12);
        ContentInfo[] contentInfos = readContentInfos(pfx);
        MacCheck macCheck = verifyMac(pfx, password);

        // An empty password that matched the MAC only in OpenSSL's encoding is encoded the same way for
        // the PKCS#12 PBE schemes.
        InputDecryptorProvider decryptorProvider = new JcePKCSPBEInputDecryptorProviderBuilder()
                .setProvider(BOUNCY_CASTLE)
                .setTryWrongPKCS12Zero(macCheck == MacCheck.VERIFIED_AS_EMPTY_BMP_STRING)
                .build(password);
        Decryption decryption = new Decryption(decryptorProvider, macCheck != MacCheck.ABSENT, password.length == 0);
        List<BagEntry.KeyEntry> keys = new ArrayList<>();
        List<BagEntry.CertificateEntry> certificates = new ArrayList<>();
        for (ContentInfo contentInfo : contentInfos) {
            for (PKCS12SafeBag bag : openSafeContents(contentInfo, decryption)) {
                collect(bag, decryption, keys, certificates);
            }
        }

        return KeyCertificatePairing.pair(keys, certificates);
    }

    private static PKCS12PfxPdu parse(byte[] pkcs12) {
        if (pkcs12.length == 0) {
            throw new Pkcs12Exception(Reason.CORRUPT_FILE,
                    "The PKCS#12 file is empty. Upload the complete .p12 or .pfx file again.");
        }
        try {
            return new PKCS12PfxPdu(pkcs12);
        } catch (IOException | RuntimeException e) {
            throw corrupt(e);
        }
    }

    /** Decodes the authenticated safe before the MAC check, so that a truncated file is reported as corrupt and not as a wrong password. */
    private static ContentInfo[] readContentInfos(PKCS12PfxPdu pfx) {
        try {
            return pfx.getContentInfos();
        } catch (RuntimeException e) {
            throw corrupt(e);
        }
    }

    /** Result of the MAC check when the file has a MAC, or ABSENT when it has none. */
    private enum MacCheck { ABSENT, VERIFIED, VERIFIED_AS_EMPTY_BMP_STRING }

    /** Checks the MAC with the password and throws WRONG_PASSWORD when it does not match. */
    private static MacCheck verifyMac(PKCS12PfxPdu pfx, char[] password) {
        if (!pfx.hasMac()) {
            return MacCheck.ABSENT;
        }
        try {
            if (pfx.isMacValid(new BcPKCS12MacCalculatorBuilderProvider(BcDefaultDigestProvider.INSTANCE), password)) {
                return MacCheck.VERIFIED;
            }
            if (password.length == 0 && EmptyPasswordMac.isValid(pfx.toASN1Structure())) {
                return MacCheck.VERIFIED_AS_EMPTY_BMP_STRING;
            }
        } catch (PKCSException | OperatorCreationException | RuntimeException e) {
            throw new Pkcs12Exception(Reason.UNSUPPORTED_ALGORITHM,
                    "The PKCS#12 file uses an unsupported integrity (MAC) algorithm "
                            + pfx.getMacAlgorithmID().getAlgorithm().getId()
                            + ". Export it again with a SHA-1 or SHA-256 MAC, for example with OpenSSL 3 defaults.", e);
        }
        throw new Pkcs12Exception(Reason.WRONG_PASSWORD,
                "The password for the PKCS#12 file is wrong. Enter the password that was set when the file was exported.");
    }

    /** The decryptor for the bags, and the facts that decide how a decryption failure is reported. */
    private record Decryption(InputDecryptorProvider provider, boolean macVerified, boolean emptyPassword) {
    }

    private static PKCS12SafeBag[] openSafeContents(ContentInfo contentInfo, Decryption decryption) {
        try {
            if (PKCSObjectIdentifiers.encryptedData.equals(contentInfo.getContentType())) {
                return new PKCS12SafeBagFactory(contentInfo, decryption.provider()).getSafeBags();
            }
            if (PKCSObjectIdentifiers.data.equals(contentInfo.getContentType())) {
                return new PKCS12SafeBagFactory(contentInfo).getSafeBags();
            }
        } catch (PKCSException | RuntimeException e) {
            throw decryptionFailure(e, decryption, "contents", encryptionAlgorithmOf(contentInfo));
        }
        // Public-key (enveloped) privacy mode needs the recipient's key, which an upload never comes with.
        throw new Pkcs12Exception(Reason.UNSUPPORTED_ALGORITHM,
                "The PKCS#12 file protects its contents with content type " + contentInfo.getContentType().getId()
                        + ", which is not supported. Export it again with password-based encryption.");
    }

    private static void collect(PKCS12SafeBag bag, Decryption decryption,
            List<BagEntry.KeyEntry> keys, List<BagEntry.CertificateEntry> certificates) {
        BagEntry.Attributes attributes = readAttributes(bag);
        if (PKCSObjectIdentifiers.pkcs8ShroudedKeyBag.equals(bag.getType())) {
            PrivateKeyInfo keyInfo = decryptKey(bag, decryption);
            keys.add(new BagEntry.KeyEntry(keyInfo, toPrivateKey(keyInfo), attributes));
        } else if (PKCSObjectIdentifiers.keyBag.equals(bag.getType())) {
            PrivateKeyInfo keyInfo = readUnencryptedKey(bag);
            keys.add(new BagEntry.KeyEntry(keyInfo, toPrivateKey(keyInfo), attributes));
        } else if (PKCSObjectIdentifiers.certBag.equals(bag.getType())) {
            readCertificate(bag).ifPresent(c -> certificates.add(new BagEntry.CertificateEntry(c, attributes)));
        } else if (PKCSObjectIdentifiers.safeContentsBag.equals(bag.getType())) {
            for (ASN1Encodable nested : ASN1Sequence.getInstance(bag.toASN1Structure().getBagValue())) {
                collect(new PKCS12SafeBag(SafeBag.getInstance(nested)), decryption, keys, certificates);
            }
        }
        // CRL bags and secret bags carry nothing that a device package needs, so they are skipped.
    }

    private static PrivateKeyInfo decryptKey(PKCS12SafeBag bag, Decryption decryption) {
        EncryptedPrivateKeyInfo encrypted;
        try {
            encrypted = EncryptedPrivateKeyInfo.getInstance(bag.toASN1Structure().getBagValue());
        } catch (RuntimeException e) {
            throw corrupt(e);
        }
        try {
            return new PKCS8EncryptedPrivateKeyInfo(encrypted).decryptPrivateKeyInfo(decryption.provider());
        } catch (PKCSException | RuntimeException e) {
            throw decryptionFailure(e, decryption, "private key", describe(encrypted.getEncryptionAlgorithm()));
        }
    }

    private static PrivateKeyInfo readUnencryptedKey(PKCS12SafeBag bag) {
        try {
            return PrivateKeyInfo.getInstance(bag.toASN1Structure().getBagValue());
        } catch (RuntimeException e) {
            throw corrupt(e);
        }
    }

    private static PrivateKey toPrivateKey(PrivateKeyInfo keyInfo) {
        try {
            return new JcaPEMKeyConverter().setProvider(BOUNCY_CASTLE).getPrivateKey(keyInfo);
        } catch (PEMException | RuntimeException e) {
            throw new Pkcs12Exception(Reason.UNSUPPORTED_ALGORITHM,
                    "The PKCS#12 file contains a private key of unsupported type "
                            + keyInfo.getPrivateKeyAlgorithm().getAlgorithm().getId()
                            + ". Use an RSA or EC key.", e);
        }
    }

    /** Returns the X.509 certificate of a certificate bag, or empty for other certificate types such as SDSI. */
    private static Optional<X509CertificateHolder> readCertificate(PKCS12SafeBag bag) {
        try {
            CertBag certBag = CertBag.getInstance(bag.toASN1Structure().getBagValue());
            if (!PKCSObjectIdentifiers.x509Certificate.equals(certBag.getCertId())) {
                return Optional.empty();
            }
            return Optional.of(new X509CertificateHolder(
                    ASN1OctetString.getInstance(certBag.getCertValue()).getOctets()));
        } catch (IOException | RuntimeException e) {
            throw corrupt(e);
        }
    }

    private static BagEntry.Attributes readAttributes(PKCS12SafeBag bag) {
        String friendlyName = null;
        byte[] localKeyId = null;
        Attribute[] attributes = bag.getAttributes();
        if (attributes == null) {
            return new BagEntry.Attributes(null, null);
        }
        for (Attribute attribute : attributes) {
            if (attribute.getAttrValues().size() == 0) {
                continue;
            }
            ASN1Encodable value = attribute.getAttrValues().getObjectAt(0);
            if (PKCSObjectIdentifiers.pkcs_9_at_friendlyName.equals(attribute.getAttrType())
                    && value instanceof ASN1String text) {
                friendlyName = text.getString();
            } else if (PKCSObjectIdentifiers.pkcs_9_at_localKeyId.equals(attribute.getAttrType())
                    && value instanceof ASN1OctetString octets) {
                localKeyId = octets.getOctets();
            }
        }
        return new BagEntry.Attributes(friendlyName, localKeyId);
    }

    /**
     * Maps a failure to decrypt a bag. BouncyCastle raises OperatorCreationException while it sets up
     * the cipher, before any data is decrypted, so that cause means an unknown or invalid algorithm or
     * an empty password that the algorithm rejects, and not a wrong password. Without a MAC a wrong password is the likely cause of any other failure.
     * After a verified MAC the content is what the exporter wrote, so the file is reported as corrupt.
     */
    private static Pkcs12Exception decryptionFailure(
            Exception e, Decryption decryption, String protectedPart, String algorithm) {
        if (hasCause(e, OperatorCreationException.class) && decryption.emptyPassword()) {
            // BouncyCastle 1.87 rejects an empty password for PBKDF2, which PBES2 uses.
            return new Pkcs12Exception(Reason.UNSUPPORTED_ALGORITHM,
                    "The PKCS#12 file encrypts its " + protectedPart + " with algorithm " + algorithm
                            + " and an empty password, which is not supported. Export the file again with a password.", e);
        }
        if (hasCause(e, OperatorCreationException.class)) {
            return new Pkcs12Exception(Reason.UNSUPPORTED_ALGORITHM,
                    "The PKCS#12 file encrypts its " + protectedPart + " with unsupported algorithm " + algorithm + ". "
                            + "Export the file again with AES-256 (the OpenSSL 3 default) or with 3DES and RC2 (OpenSSL -legacy).", e);
        }
        if (!decryption.macVerified()) {
            return new Pkcs12Exception(Reason.WRONG_PASSWORD,
                    "Decrypting the " + protectedPart + " of the PKCS#12 file failed, most likely because the password is wrong. "
                            + "Enter the password that was set when the file was exported.", e);
        }
        return new Pkcs12Exception(Reason.CORRUPT_FILE,
                "Decrypting the " + protectedPart + " of the PKCS#12 file failed although the password matches its MAC. "
                        + "Export the file again with one password for integrity and encryption.", e);
    }

    private static String encryptionAlgorithmOf(ContentInfo contentInfo) {
        try {
            return describe(EncryptedData.getInstance(contentInfo.getContent()).getEncryptionAlgorithm());
        } catch (RuntimeException e) {
            return "(unreadable algorithm identifier)";
        }
    }

    /** Returns the OID of a PBE scheme, and for PBES2 also the OID of its encryption scheme. */
    private static String describe(AlgorithmIdentifier algorithm) {
        String id = algorithm.getAlgorithm().getId();
        if (PKCSObjectIdentifiers.id_PBES2.equals(algorithm.getAlgorithm())) {
            try {
                return id + " (PBES2 with " + PBES2Parameters.getInstance(algorithm.getParameters())
                        .getEncryptionScheme().getAlgorithm().getId() + ")";
            } catch (RuntimeException e) {
                return id;
            }
        }
        return id;
    }

    private static boolean hasCause(Throwable e, Class<? extends Exception> type) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    private static Pkcs12Exception corrupt(Exception e) {
        return new Pkcs12Exception(Reason.CORRUPT_FILE,
                "The file is not a valid PKCS#12 file, or it is incomplete. Upload the complete .p12 or .pfx file again.", e);
    }
}
