package io.smimedelivery.certificate.packaging;

import static io.smimedelivery.certificate.crypto.Providers.SUN_JCE;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.pkcs.PKCS12MacCalculatorBuilder;
import org.bouncycastle.pkcs.PKCS12PfxPduBuilder;
import org.bouncycastle.pkcs.PKCS12SafeBag;
import org.bouncycastle.pkcs.PKCS12SafeBagBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.bc.BcPKCS12MacCalculatorBuilder;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEOutputEncryptorBuilder;

/**
 * Writes the PKCS#12 file of a device package: private keys with their certificates, and CA
 * certificates.
 *
 * <p>As in files from OpenSSL 3, the certificate bags come first, in one password-encrypted safe,
 * followed by the shrouded key bags in unencrypted safes and a MAC over everything. OpenSSL puts all key
 * bags in one safe, and this class writes one safe per key bag. A key bag and its certificate bag carry the same friendlyName and the same localKeyId (the
 * SHA-1 hash of the certificate's DER encoding), which is how OpenSSL, the JDK's {@code KeyStore} and
 * {@code Pkcs12Reader} pair them. CA certificate bags carry neither attribute.
 *
 * <p>The MAC and the PKCS#12 PBE scheme of {@link Pkcs12Profile#LEGACY_3DES} encode the password as a
 * BMPString, and PBES2 encodes it as UTF-8, as OpenSSL 3 does. The JDK 17 {@code KeyStore} reads only
 * files with ASCII passwords, which {@link PackagePasswords#random()} returns.
 *
 * <p>Password-based key derivations per file, each with the given iteration count: one for the MAC, plus
 * one PBKDF2 run for all bags with {@link Pkcs12Profile#AES256} (see {@link Pbes2Aes256Encryption}), or two
 * runs per key bag and two for the certificate safe with {@link Pkcs12Profile#LEGACY_3DES}. The legacy
 * scheme derives both the 3DES key and the IV from password and salt, so each bag needs its own salt to
 * get its own IV.
 *
 * <p>Instances are thread-safe.
 */
public final class Pkcs12Builder {

    /** Iteration count of the key derivations when the caller gives none, as in OpenSSL 3. */
    public static final int DEFAULT_ITERATIONS = 2048;

    /** Minimum iteration count, the minimum that PKCS #5 (RFC 8018) recommends for PBKDF2. */
    public static final int MIN_ITERATIONS = 1000;


    private final SecureRandom random = new SecureRandom();

    /**
     * Builds a file with {@link #DEFAULT_ITERATIONS} iterations, as
     * {@link #build(List, List, char[], Pkcs12Profile, int)} does.
     */
    public byte[] build(List<KeyedCertificate> entries, List<X509Certificate> caCertificates,
            char[] password, Pkcs12Profile profile) {
        return build(entries, caCertificates, password, profile, DEFAULT_ITERATIONS);
    }

    /**
     * Encrypts the private keys and certificates with the password and returns the DER encoding of the
     * PKCS#12 file. A CA certificate that equals an entry's certificate or an earlier CA certificate is
     * written once.
     *
     * @param entries at least one private key with its certificate, in the order of the file
     * @param caCertificates certificates of the issuing chain, possibly empty
     * @param password a non-empty password for the MAC and the encryption
     * @param iterations iteration count of every key derivation, at least {@link #MIN_ITERATIONS}
     * @throws IllegalArgumentException if an argument is invalid, a private key does not match its
     *     certificate, two entries have the same certificate, or a friendlyName cannot be a BMPString
     */
    public byte[] build(List<KeyedCertificate> entries, List<X509Certificate> caCertificates,
            char[] password, Pkcs12Profile profile, int iterations) {
        Objects.requireNonNull(entries, "entries");
        Objects.requireNonNull(caCertificates, "caCertificates");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(profile, "profile");
        validate(entries, password, iterations);

        Supplier<OutputEncryptor> encryptors = encryptors(profile, password, iterations);
        Set<ByteBuffer> writtenCertificates = new HashSet<>();
        List<PKCS12SafeBag> certificateBags = new ArrayList<>();
        List<PKCS12SafeBag> keyBags = new ArrayList<>();
        for (KeyedCertificate entry : entries) {
            X509CertificateHolder certificate = toHolder(entry.certificate());
            requireKeyMatchesCertificate(entry);
            byte[] der = encoded(certificate);
            if (!writtenCertificates.add(ByteBuffer.wrap(der))) {
                throw new IllegalArgumentException("Two entries have the same certificate ("
                        + entry.certificate().getSubjectX500Principal().getName()
                        + "). Pass each key with its certificate once.");
            }

            byte[] localKeyId = sha1(der);
            PKCS12SafeBagBuilder keyBag = new PKCS12SafeBagBuilder(privateKeyInfo(entry), encryptors.get());
            PKCS12SafeBagBuilder certificateBag = newCertificateBag(certificate);
            addAttributes(keyBag, entry.friendlyName(), localKeyId);
            addAttributes(certificateBag, entry.friendlyName(), localKeyId);
            keyBags.add(keyBag.build());
            certificateBags.add(certificateBag.build());
        }
        for (X509Certificate caCertificate : caCertificates) {
            X509CertificateHolder certificate = toHolder(Objects.requireNonNull(caCertificate, "caCertificates element"));
            if (writtenCertificates.add(ByteBuffer.wrap(encoded(certificate)))) {
                certificateBags.add(newCertificateBag(certificate).build());
            }
        }

        try {
            PKCS12PfxPduBuilder pfx = new PKCS12PfxPduBuilder();
            pfx.addEncryptedData(encryptors.get(), certificateBags.toArray(PKCS12SafeBag[]::new));
            for (PKCS12SafeBag keyBag : keyBags) {
                pfx.addData(keyBag);
            }
            return pfx.build(macBuilder(profile, password, iterations), password).getEncoded(ASN1Encoding.DER);
        } catch (IOException | PKCSException e) {
            throw new IllegalStateException("Writing the PKCS#12 file failed", e);
        }
    }

    private static void validate(List<KeyedCertificate> entries, char[] password, int iterations) {
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("A PKCS#12 file for a device needs at least one private key with its certificate.");
        }
        if (password.length == 0) {
            // BouncyCastle 1.87 rejects an empty password for PBKDF2, and OpenSSL encodes an empty MAC password in two ways.
            throw new IllegalArgumentException("The PKCS#12 password is empty. Use a password such as PackagePasswords.random() returns.");
        }
        if (iterations < MIN_ITERATIONS) {
            throw new IllegalArgumentException("Invalid PKCS#12 iteration count " + iterations
                    + ". Use at least " + MIN_ITERATIONS + " (default " + DEFAULT_ITERATIONS + ").");
        }
        for (KeyedCertificate entry : entries) {
            Objects.requireNonNull(entry, "entries element");
            if (entry.friendlyName() != null && hasCharacterOutsideBmp(entry.friendlyName())) {
                throw new IllegalArgumentException("The friendlyName '" + entry.friendlyName()
                        + "' contains a character outside the Unicode Basic Multilingual Plane, which a BMPString cannot hold. "
                        + "Remove characters such as emoji from the name.");
            }
        }
    }

    private static boolean hasCharacterOutsideBmp(String text) {
        return text.chars().anyMatch(c -> Character.isSurrogate((char) c));
    }

    /** Returns a source of encryptors for the bags and the certificate safe, one encryptor for each. */
    private Supplier<OutputEncryptor> encryptors(Pkcs12Profile profile, char[] password, int iterations) {
        return switch (profile) {
            case AES256 -> new Pbes2Aes256Encryption(password, iterations, random)::newEncryptor;
            case LEGACY_3DES -> () -> tripleDesEncryptor(password, iterations);
        };
    }

    private OutputEncryptor tripleDesEncryptor(char[] password, int iterations) {
        try {
            // SunJCE implements the same scheme as PBEWithSHA1AndDESede, with the JDK's much faster SHA-1.
            return new JcePKCSPBEOutputEncryptorBuilder(PKCSObjectIdentifiers.pbeWithSHAAnd3_KeyTripleDES_CBC)
                    .setProvider(SUN_JCE)
                    .setRandom(random)
                    .setIterationCount(iterations)
                    .build(password);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("pbeWithSHAAnd3-KeyTripleDES-CBC is not available from the JDK provider SunJCE", e);
        }
    }

    /**
     * Returns the MAC of the profile: SunJCE's for passwords of printable ASCII characters, such as
     * {@link PackagePasswords#random()} returns, because its SHA digests run as HotSpot intrinsics, and
     * BouncyCastle's for other passwords.
     */
    private PKCS12MacCalculatorBuilder macBuilder(Pkcs12Profile profile, char[] password, int iterations) {
        if (JdkPkcs12Mac.accepts(password)) {
            return switch (profile) {
                case AES256 -> JdkPkcs12Mac.sha256(iterations, random);
                case LEGACY_3DES -> JdkPkcs12Mac.sha1(iterations, random);
            };
        }
        BcPKCS12MacCalculatorBuilder builder = switch (profile) {
            case AES256 -> new BcPKCS12MacCalculatorBuilder(new SHA256Digest(),
                    new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256, DERNull.INSTANCE));
            case LEGACY_3DES -> new BcPKCS12MacCalculatorBuilder();
        };
        return builder.setIterationCount(iterations);
    }

    /** Rejects an RSA or EC key whose public key differs from the certificate's. Other key types are not checked. */
    private static void requireKeyMatchesCertificate(KeyedCertificate entry) {
        PublicKeys.derive(entry.privateKey()).ifPresent(derived -> {
            if (!PublicKeys.same(derived, PublicKeys.parse(entry.certificate().getPublicKey()))) {
                throw new IllegalArgumentException("The " + entry.privateKey().getAlgorithm()
                        + " private key does not match the public key of its certificate ("
                        + entry.certificate().getSubjectX500Principal().getName()
                        + "). Pass each key with its own certificate.");
            }
        });
    }

    private static PrivateKeyInfo privateKeyInfo(KeyedCertificate entry) {
        byte[] encoded = entry.privateKey().getEncoded();
        if (encoded == null) {
            throw new IllegalArgumentException("The " + entry.privateKey().getAlgorithm()
                    + " private key has no PKCS#8 encoding, as with keys kept in a hardware token. Pass an exportable key.");
        }
        return PrivateKeyInfo.getInstance(encoded);
    }

    private static PKCS12SafeBagBuilder newCertificateBag(X509CertificateHolder certificate) {
        try {
            return new PKCS12SafeBagBuilder(certificate);
        } catch (IOException e) {
            throw new IllegalStateException("Encoding a certificate bag failed", e);
        }
    }

    private static void addAttributes(PKCS12SafeBagBuilder bag, String friendlyName, byte[] localKeyId) {
        if (friendlyName != null) {
            bag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_friendlyName, new DERBMPString(friendlyName));
        }
        bag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_localKeyId, new DEROctetString(localKeyId));
    }

    private static X509CertificateHolder toHolder(X509Certificate certificate) {
        try {
            return new X509CertificateHolder(certificate.getEncoded());
        } catch (CertificateEncodingException | IOException e) {
            throw new IllegalArgumentException("The certificate " + certificate.getSubjectX500Principal().getName()
                    + " cannot be encoded: " + e.getMessage(), e);
        }
    }

    private static byte[] encoded(X509CertificateHolder certificate) {
        try {
            return certificate.getEncoded();
        } catch (IOException e) {
            throw new IllegalStateException("Encoding a certificate failed", e);
        }
    }

    private static byte[] sha1(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is not available in this JDK", e);
        }
    }
}
