package io.smimedelivery.simulator;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Locale;

import org.bouncycastle.jcajce.provider.asymmetric.util.EC5Util;
import org.bouncycastle.math.ec.ECPoint;

/** Device key types of the simulator, and the public key of a stored private key. */
final class DeviceKeyPairs {

    /** The key types a device may enroll with; certificate-service accepts each of them. */
    enum KeyType {
        RSA_2048("rsa", "RSA-2048"),
        EC_P256("ec-p256", "EC P-256"),
        EC_P384("ec-p384", "EC P-384");

        private final String option;
        private final String label;

        KeyType(String option, String label) {
            this.option = option;
            this.label = label;
        }

        String option() {
            return option;
        }

        String label() {
            return label;
        }

        static KeyType fromOption(String text) {
            for (KeyType type : values()) {
                if (type.option.equals(text.toLowerCase(Locale.ROOT))) {
                    return type;
                }
            }
            throw new UsageException("Invalid --key-type \"" + text + "\". Use rsa, ec-p256 or ec-p384.");
        }
    }

    private DeviceKeyPairs() {
    }

    static PrivateKey generate(KeyType type) {
        try {
            KeyPairGenerator generator;
            switch (type) {
                case RSA_2048 -> {
                    generator = KeyPairGenerator.getInstance("RSA");
                    generator.initialize(2048);
                }
                case EC_P256, EC_P384 -> {
                    generator = KeyPairGenerator.getInstance("EC");
                    generator.initialize(new ECGenParameterSpec(type == KeyType.EC_P256 ? "secp256r1" : "secp384r1"));
                }
                default -> throw new IllegalArgumentException("Unknown key type " + type);
            }
            return generator.generateKeyPair().getPrivate();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Generating an " + type.label() + " key failed", e);
        }
    }

    /**
     * Returns the public key of an RSA private key with CRT parameters, or of an EC private key (the
     * curve's generator multiplied by the private scalar).
     */
    static PublicKey publicKeyOf(PrivateKey key) {
        try {
            if (key instanceof RSAPrivateCrtKey rsa) {
                return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
            }
            if (key instanceof ECPrivateKey ec) {
                ECPoint point = EC5Util.convertSpec(ec.getParams()).getG().multiply(ec.getS()).normalize();
                // The JDK's key factory keeps the named curve of the private key's parameters, so the
                // public key names its curve by OID, as device-service requires.
                return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(
                        new java.security.spec.ECPoint(point.getAffineXCoord().toBigInteger(),
                                point.getAffineYCoord().toBigInteger()), ec.getParams()));
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Deriving the public key of the " + key.getAlgorithm() + " device key failed", e);
        }
        throw new SimulatorException("The device key is a " + key.getAlgorithm() + " key of class "
                + key.getClass().getSimpleName() + "; the simulator needs an RSA key with CRT parameters or an EC key.");
    }

    /** Returns a label such as "RSA-2048" or "EC P-256" for output. */
    static String describe(PrivateKey key) {
        if (key instanceof RSAPrivateCrtKey rsa) {
            return "RSA-" + rsa.getModulus().bitLength();
        }
        if (key instanceof ECPrivateKey ec) {
            return "EC P-" + ec.getParams().getCurve().getField().getFieldSize();
        }
        return key.getAlgorithm();
    }
}
