package io.smimedelivery.certificate.packaging;

import java.security.SecureRandom;

/** Random passwords for the PKCS#12 files of device packages. */
public final class PackagePasswords {

    /** Password length in characters. 24 characters from {@link #ALPHABET} give about 139 bits of entropy. */
    public static final int LENGTH = 24;

    /**
     * ASCII letters and digits without the characters that are easy to confuse when a user types the
     * password: 0, O, o, 1, I and l. An ASCII password also works with the JDK 17 {@code KeyStore}, which
     * rejects non-ASCII passwords.
     */
    static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";

    private static final SecureRandom RANDOM = new SecureRandom();

    private PackagePasswords() {
    }

    /** Returns a new password of {@link #LENGTH} characters, each drawn uniformly from {@link #ALPHABET}. */
    public static char[] random() {
        char[] password = new char[LENGTH];
        for (int i = 0; i < password.length; i++) {
            password[i] = ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length()));
        }
        return password;
    }
}
