package io.smimedelivery.certificate.pkcs12;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.operator.GenericKey;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.pkcs.PKCS12PfxPduBuilder;
import org.bouncycastle.pkcs.PKCS12SafeBag;
import org.bouncycastle.pkcs.PKCS12SafeBagBuilder;
import org.bouncycastle.pkcs.bc.BcPKCS12MacCalculatorBuilder;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEOutputEncryptorBuilder;

/** Writes PKCS#12 files in the layouts of OpenSSL 3, OpenSSL's legacy mode and JDK 17 keytool. */
public final class TestPkcs12Files {

    /** The encryption and MAC layout of an exporting tool. */
    public enum Style {
        /** OpenSSL 3 default: PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC, SHA-256 MAC, 2048 iterations. */
        OPENSSL_AES256,
        /** {@code openssl pkcs12 -export -legacy}: certificates RC2-40, keys 3DES, SHA-1 MAC. */
        OPENSSL_LEGACY,
        /** JDK 17 keytool: keys first, AES-256 for keys and certificates, SHA-256 MAC, 10000 iterations. */
        KEYTOOL_AES256
    }

    /** A private key with its certificate and bag attributes. {@code friendlyName} and {@code localKeyId} may be null. */
    public record KeyEntry(PrivateKey privateKey, X509CertificateHolder certificate, String friendlyName, byte[] localKeyId) {

        public static KeyEntry of(TestPki.Issued issued, String friendlyName, byte[] localKeyId) {
            return new KeyEntry(issued.keyPair().getPrivate(), issued.certificate(), friendlyName, localKeyId);
        }
    }

    private TestPkcs12Files() {
    }

    /** Writes one key with its certificate, the issuing chain when {@code withChain}, and localKeyId 0x01. */
    public static byte[] single(Style style, TestPki.Issued issued, boolean withChain, char[] password) {
        List<X509CertificateHolder> chain = withChain ? TestPki.get().chain() : List.of();
        return write(style, password, List.of(KeyEntry.of(issued, null, new byte[] {1})), chain);
    }

    /** Writes the keys and, after each key's certificate, the extra certificates in file order. */
    public static byte[] write(Style style, char[] password, List<KeyEntry> keys, List<X509CertificateHolder> extraCertificates) {
        try {
            int iterations = style == Style.KEYTOOL_AES256 ? 10000 : 2048;
            List<PKCS12SafeBag> keyBags = new ArrayList<>();
            List<PKCS12SafeBag> certificateBags = new ArrayList<>();
            for (KeyEntry key : keys) {
                PKCS12SafeBagBuilder keyBag = new PKCS12SafeBagBuilder(
                        PrivateKeyInfo.getInstance(key.privateKey().getEncoded()), keyEncryptor(style, iterations, password));
                PKCS12SafeBagBuilder certificateBag = new PKCS12SafeBagBuilder(key.certificate());
                addAttributes(keyBag, key);
                addAttributes(certificateBag, key);
                keyBags.add(keyBag.build());
                certificateBags.add(certificateBag.build());
            }
            for (X509CertificateHolder certificate : extraCertificates) {
                certificateBags.add(new PKCS12SafeBagBuilder(certificate).build());
            }

            PKCS12PfxPduBuilder pfx = new PKCS12PfxPduBuilder();
            OutputEncryptor certificateEncryptor = certificateEncryptor(style, iterations, password);
            if (style == Style.KEYTOOL_AES256) {
                for (PKCS12SafeBag keyBag : keyBags) {
                    pfx.addData(keyBag);
                }
                pfx.addEncryptedData(certificateEncryptor, certificateBags.toArray(PKCS12SafeBag[]::new));
            } else {
                pfx.addEncryptedData(certificateEncryptor, certificateBags.toArray(PKCS12SafeBag[]::new));
                for (PKCS12SafeBag keyBag : keyBags) {
                    pfx.addData(keyBag);
                }
            }
            return pfx.build(macBuilder(style, iterations), password).getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot write test PKCS#12 file", e);
        }
    }

    /**
     * Writes an unencrypted key bag and certificate bag without a MAC when {@code password} is null,
     * else with the certificates and key encrypted and no MAC, as {@code openssl pkcs12 -nomac} does.
     */
    public static byte[] withoutMac(TestPki.Issued issued, char[] password) {
        try {
            PrivateKeyInfo keyInfo = PrivateKeyInfo.getInstance(issued.keyPair().getPrivate().getEncoded());
            PKCS12SafeBag certificateBag = new PKCS12SafeBagBuilder(issued.certificate()).build();
            PKCS12PfxPduBuilder pfx = new PKCS12PfxPduBuilder();
            if (password == null) {
                pfx.addData(certificateBag);
                pfx.addData(new PKCS12SafeBagBuilder(keyInfo).build());
            } else {
                pfx.addEncryptedData(aes256(2048, password), certificateBag);
                pfx.addData(new PKCS12SafeBagBuilder(keyInfo, aes256(2048, password)).build());
            }
            return pfx.build(null, null).getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot write test PKCS#12 file", e);
        }
    }

    /** Writes certificates only, as OpenSSL does with {@code -nokeys}. */
    public static byte[] certificatesOnly(char[] password, List<X509CertificateHolder> certificates) {
        return write(Style.OPENSSL_AES256, password, List.of(), certificates);
    }

    /**
     * Writes a file whose certificates are "encrypted" under an algorithm OID that no provider supports,
     * with a valid SHA-256 MAC.
     */
    public static byte[] unknownEncryption(char[] password, TestPki.Issued issued) {
        OutputEncryptor unknown = new OutputEncryptor() {
            @Override
            public AlgorithmIdentifier getAlgorithmIdentifier() {
                return new AlgorithmIdentifier(new ASN1ObjectIdentifier("1.3.6.1.4.1.99999.1"), DERNull.INSTANCE);
            }

            @Override
            public OutputStream getOutputStream(OutputStream out) {
                return out;
            }

            @Override
            public GenericKey getKey() {
                return new GenericKey(new byte[16]);
            }
        };
        try {
            PKCS12PfxPduBuilder pfx = new PKCS12PfxPduBuilder();
            pfx.addEncryptedData(unknown, new PKCS12SafeBagBuilder(issued.certificate()).build());
            return pfx.build(macBuilder(Style.OPENSSL_AES256, 2048), password).getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot write test PKCS#12 file", e);
        }
    }

    private static void addAttributes(PKCS12SafeBagBuilder bag, KeyEntry key) {
        if (key.friendlyName() != null) {
            bag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_friendlyName, new DERBMPString(key.friendlyName()));
        }
        if (key.localKeyId() != null) {
            bag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_localKeyId, new DEROctetString(key.localKeyId()));
        }
    }

    private static OutputEncryptor keyEncryptor(Style style, int iterations, char[] password) throws Exception {
        return style == Style.OPENSSL_LEGACY
                ? legacy(PKCSObjectIdentifiers.pbeWithSHAAnd3_KeyTripleDES_CBC, iterations, password)
                : aes256(iterations, password);
    }

    private static OutputEncryptor certificateEncryptor(Style style, int iterations, char[] password) throws Exception {
        return style == Style.OPENSSL_LEGACY
                ? legacy(PKCSObjectIdentifiers.pbeWithSHAAnd40BitRC2_CBC, iterations, password)
                : aes256(iterations, password);
    }

    private static OutputEncryptor aes256(int iterations, char[] password) throws Exception {
        return new JcePKCSPBEOutputEncryptorBuilder(NISTObjectIdentifiers.id_aes256_CBC)
                .setProvider(TestPki.BOUNCY_CASTLE)
                .setPRF(new AlgorithmIdentifier(PKCSObjectIdentifiers.id_hmacWithSHA256, DERNull.INSTANCE))
                .setIterationCount(iterations)
                .build(password);
    }

    private static OutputEncryptor legacy(ASN1ObjectIdentifier algorithm, int iterations, char[] password) throws Exception {
        return new JcePKCSPBEOutputEncryptorBuilder(algorithm)
                .setProvider(TestPki.BOUNCY_CASTLE)
                .setIterationCount(iterations)
                .build(password);
    }

    private static BcPKCS12MacCalculatorBuilder macBuilder(Style style, int iterations) {
        BcPKCS12MacCalculatorBuilder builder = style == Style.OPENSSL_LEGACY
                ? new BcPKCS12MacCalculatorBuilder()
                : new BcPKCS12MacCalculatorBuilder(new SHA256Digest(),
                        new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256, DERNull.INSTANCE));
        return builder.setIterationCount(iterations);
    }

    /** Returns the first {@code length} bytes, as an interrupted upload would leave them. */
    public static byte[] truncate(byte[] pkcs12, int length) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(pkcs12, 0, length);
        return out.toByteArray();
    }
}
