package io.smimedelivery.deviceauth;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Key pairs for tests, generated once per name because RSA key generation takes a while. */
final class TestKeys {

    private static final Map<String, KeyPair> PAIRS = new ConcurrentHashMap<>();

    private TestKeys() {
    }

    static KeyPair rsa2048() {
        return rsa("rsa2048", 2048);
    }

    static KeyPair otherRsa2048() {
        return rsa("rsa2048-other", 2048);
    }

    static KeyPair rsa1024() {
        return rsa("rsa1024", 1024);
    }

    static KeyPair p256() {
        return ec("p256", "secp256r1");
    }

    static KeyPair otherP256() {
        return ec("p256-other", "secp256r1");
    }

    static KeyPair p384() {
        return ec("p384", "secp384r1");
    }

    static KeyPair p521() {
        return ec("p521", "secp521r1");
    }

    /** Returns a key lookup that contains only the given device's public key. */
    static DeviceKeys only(String deviceId, KeyPair pair) {
        return id -> id.equals(deviceId) ? Optional.of(pair.getPublic()) : Optional.empty();
    }

    private static KeyPair rsa(String name, int bits) {
        return PAIRS.computeIfAbsent(name, n -> {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(bits);
                return generator.generateKeyPair();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static KeyPair ec(String name, String curve) {
        return PAIRS.computeIfAbsent(name, n -> {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec(curve));
                return generator.generateKeyPair();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
