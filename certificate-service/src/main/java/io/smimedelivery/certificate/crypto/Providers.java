package io.smimedelivery.certificate.crypto;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Security;
import java.security.interfaces.RSAPrivateKey;

import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Security providers of certificate-service, each made once. Constructing a BouncyCastleProvider registers
 * all its algorithms, which is too slow to repeat for every request.
 */
public final class Providers {

    /** BouncyCastle, for PKCS#12 reading, CMS key agreement and SCEP. */
    public static final Provider BOUNCY_CASTLE = new BouncyCastleProvider();

    /** The JDK's SunJCE provider: its AES and SHA-1 use processor instructions, BouncyCastle's run in plain Java. */
    public static final Provider SUN_JCE = Security.getProvider("SunJCE");

    /**
     * The JDK's SunRsaSign provider. Its RSA private-key operations keep their blinding values per key and
     * update them cheaply, where BouncyCastle's compute a modular inverse for every operation.
     */
    public static final Provider SUN_RSA_SIGN = Security.getProvider("SunRsaSign");

    private Providers() {
    }

    /** Returns the provider that signs with {@code key}: SunRsaSign for RSA keys, BouncyCastle for the others. */
    public static Provider signing(PrivateKey key) {
        return key instanceof RSAPrivateKey ? SUN_RSA_SIGN : BOUNCY_CASTLE;
    }

    /**
     * Returns an RSA key in SunRsaSign's own form, so the JDK's providers use it without translating it
     * for every operation. Other keys are returned as they are.
     */
    public static PrivateKey forJdk(PrivateKey key) {
        if (!(key instanceof RSAPrivateKey) || key.getClass().getName().startsWith("sun.security.rsa.")) {
            return key;
        }
        try {
            return (PrivateKey) KeyFactory.getInstance("RSA", SUN_RSA_SIGN).translateKey(key);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Converting an RSA key for the JDK's provider failed: " + e.getMessage(), e);
        }
    }
}
