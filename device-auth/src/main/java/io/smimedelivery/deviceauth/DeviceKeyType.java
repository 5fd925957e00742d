package io.smimedelivery.deviceauth;

import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.util.Set;

/** Key types that device tokens can be signed with, and the JWS algorithms each one fits. */
enum DeviceKeyType {

    RSA("RSA", "RS256", Set.of("RS256", "PS256")),
    EC_P256("EC P-256", "ES256", Set.of("ES256")),
    EC_P384("EC P-384", "ES384", Set.of("ES384"));

    /** Smallest RSA modulus accepted, in bits, as RFC 7518 requires for RS256 and PS256. */
    static final int MIN_RSA_BITS = 2048;

    static final String SUPPORTED_KEYS =
            "RSA of at least " + MIN_RSA_BITS + " bits, EC P-256 or EC P-384";

    private static final ECParameterSpec P256 = namedCurve("secp256r1");
    private static final ECParameterSpec P384 = namedCurve("secp384r1");

    private final String displayName;
    private final String signingAlgorithm;
    private final Set<String> algorithms;

    DeviceKeyType(String displayName, String signingAlgorithm, Set<String> algorithms) {
        this.displayName = displayName;
        this.signingAlgorithm = signingAlgorithm;
        this.algorithms = algorithms;
    }

    /**
     * Classifies a public or private key.
     *
     * @throws IllegalArgumentException if the key is not one of {@link #SUPPORTED_KEYS}
     */
    static DeviceKeyType of(Key key) {
        if (key instanceof RSAKey rsa && rsa.getModulus().bitLength() >= MIN_RSA_BITS) {
            return RSA;
        }
        if (key instanceof ECKey ec && sameCurve(ec.getParams(), P256)) {
            return EC_P256;
        }
        if (key instanceof ECKey ec && sameCurve(ec.getParams(), P384)) {
            return EC_P384;
        }
        throw new IllegalArgumentException(
                "Unsupported device key: " + describe(key) + ". Device tokens need " + SUPPORTED_KEYS);
    }

    /** Returns the algorithm that a device with this key type signs with. */
    String signingAlgorithm() {
        return signingAlgorithm;
    }

    /** Returns whether a token with the given alg header can be verified with a key of this type. */
    boolean accepts(String algorithm) {
        return algorithms.contains(algorithm);
    }

    String displayName() {
        return displayName;
    }

    /** Describes a key's type and size for messages, without any key material. */
    static String describe(Key key) {
        if (key == null) {
            return "no key";
        }
        if (key instanceof RSAKey rsa) {
            return "RSA " + rsa.getModulus().bitLength() + "-bit key";
        }
        if (key instanceof ECKey ec) {
            if (sameCurve(ec.getParams(), P256)) {
                return "EC P-256 key";
            }
            if (sameCurve(ec.getParams(), P384)) {
                return "EC P-384 key";
            }
            return "EC key on a " + ec.getParams().getCurve().getField().getFieldSize() + "-bit curve other than P-256 and P-384";
        }
        return key.getAlgorithm() + " key";
    }

    private static boolean sameCurve(ECParameterSpec actual, ECParameterSpec expected) {
        return actual != null
                && actual.getCurve().equals(expected.getCurve())
                && actual.getGenerator().equals(expected.getGenerator())
                && actual.getOrder().equals(expected.getOrder())
                && actual.getCofactor() == expected.getCofactor();
    }

    private static ECParameterSpec namedCurve(String name) {
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec(name));
            return parameters.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The JDK does not provide the EC curve " + name, e);
        }
    }
}
