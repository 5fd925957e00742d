package io.smimedelivery.policy.trust;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v1CertificateBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v1CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Certificates and keys generated with BouncyCastle for parser tests. Keys are generated once per test run. */
final class TestCertificates {

    static final KeyPair RSA_ROOT_KEYS = generate("RSA");
    static final KeyPair RSA_OTHER_KEYS = generate("RSA");
    static final KeyPair EC_KEYS = generate("EC");

    static final X500Name ROOT_NAME = new X500Name("C=IT,O=Contoso Italia,CN=Contoso Root CA");
    static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    private TestCertificates() {
    }

    /** Builder with the settings of a valid self-signed RSA root CA; each test changes what it checks. */
    static final class Builder {
        X500Name subject = ROOT_NAME;
        X500Name issuer = ROOT_NAME;
        KeyPair subjectKeys = RSA_ROOT_KEYS;
        PrivateKey signingKey = RSA_ROOT_KEYS.getPrivate();
        BigInteger serial = new BigInteger("00a1b2c3d4e5f6", 16);
        Instant notBefore = NOW.minus(1, ChronoUnit.DAYS);
        Instant notAfter = NOW.plus(3650, ChronoUnit.DAYS);
        /** basicConstraints cA flag, or null for no basicConstraints extension. */
        Boolean ca = true;
        /** keyUsage bits, or null for no keyUsage extension. */
        Integer keyUsage = KeyUsage.keyCertSign | KeyUsage.cRLSign;

        Builder subject(String name) {
            subject = new X500Name(name);
            return this;
        }

        Builder issuer(String name) {
            issuer = new X500Name(name);
            return this;
        }

        X509CertificateHolder build() {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, serial,
                    Date.from(notBefore), Date.from(notAfter), subject, subjectKeys.getPublic());
            try {
                if (ca != null) {
                    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
                }
                if (keyUsage != null) {
                    builder.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
                }
            } catch (CertIOException e) {
                throw new UncheckedIOException(e);
            }
            return builder.build(signer(signingKey));
        }
    }

    static Builder rootCa() {
        return new Builder();
    }

    /** Returns an X.509 v1 self-signed certificate, which has no extensions. */
    static X509CertificateHolder version1Root() {
        X509v1CertificateBuilder builder = new JcaX509v1CertificateBuilder(ROOT_NAME, BigInteger.TEN,
                Date.from(NOW.minus(1, ChronoUnit.DAYS)), Date.from(NOW.plus(365, ChronoUnit.DAYS)), ROOT_NAME,
                RSA_ROOT_KEYS.getPublic());
        return builder.build(signer(RSA_ROOT_KEYS.getPrivate()));
    }

    static byte[] der(X509CertificateHolder certificate) {
        try {
            return certificate.getEncoded();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Encodes certificates or keys as PEM with BouncyCastle's writer, which uses the platform line separator. */
    static String pem(Object... objects) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            for (Object object : objects) {
                writer.writeObject(object);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    private static ContentSigner signer(PrivateKey key) {
        String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        try {
            return new JcaContentSignerBuilder(algorithm).build(key);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair generate(String algorithm) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            if (algorithm.equals("EC")) {
                generator.initialize(new ECGenParameterSpec("secp256r1"));
            } else {
                generator.initialize(2048);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
