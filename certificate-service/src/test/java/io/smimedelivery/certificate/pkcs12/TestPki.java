package io.smimedelivery.certificate.pkcs12;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A small test PKI made with BouncyCastle: a root CA, an issuing CA and the user certificates of a
 * fictitious organisation (alice, bob and carol at example.test). Keys are RSA 2048 except carol's EC
 * P-256 signing key. The instance is built once per test JVM because RSA key generation is slow.
 */
public final class TestPki {

    public static final Provider BOUNCY_CASTLE = new BouncyCastleProvider();

    /** A user's key pair and certificate. */
    public record Issued(KeyPair keyPair, X509CertificateHolder certificate) {
    }

    private static TestPki instance;

    private final SecureRandom random = new SecureRandom();
    private final AtomicLong serials = new AtomicLong(0x1000);

    public final Issued rootCa;
    public final Issued issuingCa;
    public final Issued aliceSign;
    public final Issued aliceEnc2020;
    public final Issued aliceEnc2023;
    public final Issued aliceEnc2026;
    public final Issued bobDual;
    public final Issued carolSignEc;
    public final Issued carolClientAuth;
    public final Issued carolUpper;

    public static synchronized TestPki get() {
        if (instance == null) {
            instance = new TestPki();
        }
        return instance;
    }

    private TestPki() {
        KeyPair rootKeys = rsa();
        X500Name rootName = caName("Example Test Root CA");
        rootCa = new Issued(rootKeys, build(rootName, rootName, rootKeys, rootKeys,
                Instant.parse("2020-01-01T00:00:00Z"), Instant.parse("2040-01-01T00:00:00Z"), this::rootExtensions));

        KeyPair issuingKeys = rsa();
        X500Name issuingName = caName("Example Test Issuing CA 1");
        issuingCa = new Issued(issuingKeys, build(issuingName, rootName, issuingKeys, rootKeys,
                Instant.parse("2020-01-01T00:00:00Z"), Instant.parse("2035-01-01T00:00:00Z"), this::issuingExtensions));

        int signing = KeyUsage.digitalSignature | KeyUsage.nonRepudiation;
        int encryption = KeyUsage.keyEncipherment;
        int dual = KeyUsage.digitalSignature | KeyUsage.keyEncipherment;
        KeyPurposeId email = KeyPurposeId.id_kp_emailProtection;

        aliceSign = user("Alice Example", "alice@example.test", "alice@example.test", rsa(),
                "2025-03-01", "2027-03-01", signing, email);
        aliceEnc2020 = user("Alice Example", "alice@example.test", "alice@example.test", rsa(),
                "2020-02-01", "2022-02-01", encryption, email);
        aliceEnc2023 = user("Alice Example", "alice@example.test", "alice@example.test", rsa(),
                "2023-02-01", "2027-07-01", encryption, email);
        aliceEnc2026 = user("Alice Example", "alice@example.test", "alice@example.test", rsa(),
                "2026-11-01", "2029-11-01", encryption, email);
        bobDual = user("Bob Example", null, "bob@example.test", rsa(),
                "2026-01-15", "2028-01-15", dual, email);
        carolSignEc = user("Carol Example", "carol@example.test", "carol@example.test", ecP256(),
                "2026-02-01", "2028-02-01", KeyUsage.digitalSignature, email);
        carolClientAuth = user("Carol Example", "carol@example.test", "carol@example.test", rsa(),
                "2026-02-01", "2028-02-01", dual, KeyPurposeId.id_kp_clientAuth);
        carolUpper = user("Carol Example", null, "Carol@Example.TEST", rsa(),
                "2026-03-01", "2028-03-01", dual, email);
    }

    /** Returns the issuing CA and root CA certificates, in that order. */
    public List<X509CertificateHolder> chain() {
        return List.of(issuingCa.certificate(), rootCa.certificate());
    }

    /** Issues a user certificate from the issuing CA. {@code subjectEmail} and {@code sanEmail} may be null. */
    public Issued user(String commonName, String subjectEmail, String sanEmail, KeyPair keys,
            String notBefore, String notAfter, int keyUsage, KeyPurposeId... extendedKeyUsages) {
        return user(commonName, subjectEmail, sanEmail, keys, Instant.parse(notBefore + "T00:00:00Z"),
                Instant.parse(notAfter + "T00:00:00Z"), keyUsage, extendedKeyUsages);
    }

    /** Issues a user certificate valid from {@code notBefore} to {@code notAfter}, to the second. */
    public Issued user(String commonName, String subjectEmail, String sanEmail, KeyPair keys,
            Instant notBefore, Instant notAfter, int keyUsage, KeyPurposeId... extendedKeyUsages) {
        X500NameBuilder subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.C, "US")
                .addRDN(BCStyle.O, "Example Test Corp")
                .addRDN(BCStyle.OU, "Staff")
                .addRDN(BCStyle.CN, commonName);
        if (subjectEmail != null) {
            subject.addRDN(BCStyle.EmailAddress, subjectEmail);
        }
        X509CertificateHolder certificate = build(subject.build(), issuingCa.certificate().getSubject(), keys,
                issuingCa.keyPair(), notBefore, notAfter,
                builder -> {
                    if (keyUsage != 0) {
                        builder.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
                    }
                    if (extendedKeyUsages.length > 0) {
                        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(extendedKeyUsages));
                    }
                    if (sanEmail != null) {
                        builder.addExtension(Extension.subjectAlternativeName, false,
                                new GeneralNames(new GeneralName(GeneralName.rfc822Name, sanEmail)));
                    }
                });
        return new Issued(keys, certificate);
    }

    public KeyPair rsa() {
        return generate("RSA", 2048);
    }

    public KeyPair ecP256() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", BOUNCY_CASTLE);
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            return generator.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private KeyPair generate(String algorithm, int size) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            generator.initialize(size, random);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X500Name caName(String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.C, "US")
                .addRDN(BCStyle.O, "Example Test Corp")
                .addRDN(BCStyle.OU, "PKI")
                .addRDN(BCStyle.CN, commonName)
                .build();
    }

    private interface ExtensionWriter {
        void write(X509v3CertificateBuilder builder) throws Exception;
    }

    private void rootExtensions(X509v3CertificateBuilder builder) throws Exception {
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    }

    private void issuingExtensions(X509v3CertificateBuilder builder) throws Exception {
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    }

    private X509CertificateHolder build(X500Name subject, X500Name issuer, KeyPair subjectKeys, KeyPair issuerKeys,
            Instant notBefore, Instant notAfter, ExtensionWriter extensions) {
        try {
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(issuer,
                    BigInteger.valueOf(serials.incrementAndGet()), Date.from(notBefore), Date.from(notAfter), subject,
                    SubjectPublicKeyInfo.getInstance(subjectKeys.getPublic().getEncoded()));
            extensions.write(builder);
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withRSA")
                    .setProvider(BOUNCY_CASTLE)
                    .build(issuerKeys.getPrivate());
            return builder.build(signer);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot issue test certificate for " + subject, e);
        }
    }

    /** Returns every user certificate of alice, for selection tests. */
    public List<X509CertificateHolder> aliceCertificates() {
        List<X509CertificateHolder> certificates = new ArrayList<>();
        certificates.add(aliceSign.certificate());
        certificates.add(aliceEnc2020.certificate());
        certificates.add(aliceEnc2023.certificate());
        certificates.add(aliceEnc2026.certificate());
        return certificates;
    }
}
