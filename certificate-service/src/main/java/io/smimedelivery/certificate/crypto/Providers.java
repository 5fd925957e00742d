package io.smimedelivery.certificate.crypto;

import java.security.Provider;
import java.security.Security;

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

    private Providers() {
    }
}
