package io.smimedelivery.certificate.packaging;

import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/** The device key types that {@link PackageEnvelope} encrypts to. */
enum DeviceKeyType {

    RSA(null),
    EC_P256("secp256r1"),
    EC_P384("secp384r1");

    /** Minimum RSA modulus length in bits. */
    static final int MIN_RSA_BITS = 2048;

    static final String ACCEPTED = "RSA with a modulus of at least " + MIN_RSA_BITS
            + " bits, or EC on the named curve P-256 (secp256r1) or P-384 (secp384r1)";

    private final String curveName;

    DeviceKeyType(String curveName) {
        this.curveName = curveName;
    }

    /** Returns the standard name of the EC curve, for {@code ECGenParameterSpec}, or null for RSA. */
    String curveName() {
        return curveName;
    }

    /** Returns the type of a device public key, or throws IllegalArgumentException naming the key and the accepted types. */
    static DeviceKeyType of(PublicKey key) {
        byte[] encoded = key.getEncoded();
        if (encoded == null) {
            throw unsupported(key.getAlgorithm() + " key without an X.509 (SubjectPublicKeyInfo) encoding");
        }
        SubjectPublicKeyInfo info;
        try {
            info = SubjectPublicKeyInfo.getInstance(encoded);
        } catch (RuntimeException e) {
            throw unsupported(key.getAlgorithm() + " key with an invalid X.509 (SubjectPublicKeyInfo) encoding");
        }

        ASN1ObjectIdentifier algorithm = info.getAlgorithm().getAlgorithm();
        if (PKCSObjectIdentifiers.rsaEncryption.equals(algorithm)) {
            if (!(key instanceof RSAPublicKey rsa)) {
                throw unsupported(key.getAlgorithm() + " key of class " + key.getClass().getName());
            }
            int bits = rsa.getModulus().bitLength();
            if (bits < MIN_RSA_BITS) {
                throw unsupported("RSA key with a " + bits + "-bit modulus");
            }
            return RSA;
        }
        if (X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm)) {
            Object parameters = info.getAlgorithm().getParameters();
            if (SECObjectIdentifiers.secp256r1.equals(parameters)) {
                return EC_P256;
            }
            if (SECObjectIdentifiers.secp384r1.equals(parameters)) {
                return EC_P384;
            }
            throw unsupported(parameters instanceof ASN1ObjectIdentifier curve
                    ? "EC key on curve " + curveDescription(curve)
                    : "EC key with explicit curve parameters instead of a named curve");
        }
        throw unsupported(key.getAlgorithm() + " key (algorithm " + algorithm.getId() + ")");
    }

    private static String curveDescription(ASN1ObjectIdentifier curve) {
        String name = ECNamedCurveTable.getName(curve);
        return name == null ? curve.getId() : name + " (" + curve.getId() + ")";
    }

    private static IllegalArgumentException unsupported(String description) {
        return new IllegalArgumentException("Unsupported device key: " + description + ". Accepted: " + ACCEPTED + ".");
    }
}
