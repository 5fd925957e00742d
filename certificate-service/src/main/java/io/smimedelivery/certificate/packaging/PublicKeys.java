package io.smimedelivery.certificate.packaging;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/** Public keys of RSA and EC key pairs: derived from the private key, compared, and identified. */
final class PublicKeys {

    private PublicKeys() {
    }

    /** Converts a JCA public key to BouncyCastle's parameters, or throws IllegalArgumentException naming the key. */
    static AsymmetricKeyParameter parse(PublicKey publicKey) {
        byte[] encoded = publicKey.getEncoded();
        if (encoded == null) {
            throw new IllegalArgumentException("The " + publicKey.getAlgorithm()
                    + " public key has no X.509 (SubjectPublicKeyInfo) encoding. Pass a key that can be exported.");
        }
        try {
            return PublicKeyFactory.createKey(SubjectPublicKeyInfo.getInstance(encoded));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("The " + publicKey.getAlgorithm()
                    + " public key cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * Derives the public key of an RSA or EC private key. Returns empty for other key types and for RSA
     * keys without the CRT parameters, which do not contain the public exponent.
     */
    static Optional<AsymmetricKeyParameter> derive(PrivateKey privateKey) {
        AsymmetricKeyParameter parameters = parsePrivate(privateKey);
        if (parameters instanceof RSAPrivateCrtKeyParameters rsa) {
            return Optional.of(new RSAKeyParameters(false, rsa.getModulus(), rsa.getPublicExponent()));
        }
        if (parameters instanceof ECPrivateKeyParameters ec) {
            ECPoint q = new FixedPointCombMultiplier().multiply(ec.getParameters().getG(), ec.getD()).normalize();
            return Optional.of(new ECPublicKeyParameters(q, ec.getParameters()));
        }
        return Optional.empty();
    }

    /** Returns whether two RSA or EC public keys are equal. Returns false for keys of different or other types. */
    static boolean same(AsymmetricKeyParameter first, AsymmetricKeyParameter second) {
        if (first instanceof RSAKeyParameters a && second instanceof RSAKeyParameters b) {
            return a.getModulus().equals(b.getModulus()) && a.getExponent().equals(b.getExponent());
        }
        if (first instanceof ECPublicKeyParameters a && second instanceof ECPublicKeyParameters b) {
            return a.getParameters().getCurve().equals(b.getParameters().getCurve())
                    && a.getQ().normalize().equals(b.getQ().normalize());
        }
        return false;
    }

    /**
     * Computes the key identifier of RFC 5280, section 4.2.1.2, method 1: the SHA-1 hash of the
     * subjectPublicKey BIT STRING value. That value is the DER RSAPublicKey for RSA and the uncompressed
     * point (0x04 | X | Y) for EC. A compressed EC point is expanded first, so that the sender and the
     * device compute the same identifier from either encoding.
     */
    static byte[] subjectKeyIdentifier(AsymmetricKeyParameter publicKey) {
        byte[] keyBits;
        if (publicKey instanceof RSAKeyParameters rsa && !rsa.isPrivate()) {
            try {
                keyBits = new RSAPublicKey(rsa.getModulus(), rsa.getExponent()).getEncoded(ASN1Encoding.DER);
            } catch (IOException e) {
                throw new IllegalStateException("Encoding an RSA public key failed", e);
            }
        } else if (publicKey instanceof ECPublicKeyParameters ec) {
            keyBits = ec.getQ().getEncoded(false);
        } else {
            throw new IllegalArgumentException("No key identifier for key type " + publicKey.getClass().getSimpleName()
                    + ". Use an RSA or EC public key.");
        }
        try {
            return MessageDigest.getInstance("SHA-1").digest(keyBits);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is not available in this JDK", e);
        }
    }

    private static AsymmetricKeyParameter parsePrivate(PrivateKey privateKey) {
        byte[] encoded = privateKey.getEncoded();
        if (encoded == null) {
            throw new IllegalArgumentException("The " + privateKey.getAlgorithm()
                    + " private key has no PKCS#8 encoding, as with keys kept in a hardware token. Pass an exportable key.");
        }
        try {
            return PrivateKeyFactory.createKey(PrivateKeyInfo.getInstance(encoded));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("The " + privateKey.getAlgorithm()
                    + " private key cannot be read: " + e.getMessage(), e);
        }
    }
}
