package io.smimedelivery.certificate.packaging;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Encryption and MAC algorithms of a PKCS#12 file written by {@link Pkcs12Builder}. OpenSSL 3
 * reads both profiles without its {@code -legacy} option, because 3DES is in its default provider
 * (the tests run OpenSSL 3.0).
 */
public enum Pkcs12Profile {

    /**
     * pbeWithSHAAnd3-KeyTripleDES-CBC for the shrouded key bags and for the safe with the certificates,
     * and an HMAC-SHA1 MAC, for clients that cannot read PBES2, such as older iOS versions. This is the
     * layout of {@code openssl pkcs12 -export -legacy} except that the certificates use 3DES instead of
     * RC2-40.
     */
    LEGACY_3DES("legacy-3des"),

    /**
     * PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC for the shrouded key bags and for the safe with
     * the certificates, and an HMAC-SHA256 MAC. OpenSSL 3 writes this layout by default.
     */
    AES256("aes256");

    private final String configName;

    Pkcs12Profile(String configName) {
        this.configName = configName;
    }

    /** Returns the name of the profile in configuration values, such as {@code legacy-3des}. */
    public String configName() {
        return configName;
    }

    /**
     * Returns the profile with the given {@link #configName()}, ignoring case and surrounding blanks.
     *
     * @throws IllegalArgumentException if the name is null, blank or not a profile name
     */
    public static Pkcs12Profile parse(String configName) {
        if (configName != null) {
            String normalized = configName.trim().toLowerCase(Locale.ROOT);
            for (Pkcs12Profile profile : values()) {
                if (profile.configName.equals(normalized)) {
                    return profile;
                }
            }
        }
        throw new IllegalArgumentException("Invalid PKCS#12 profile "
                + (configName == null ? "(missing)" : "'" + configName + "'")
                + ". Use one of: " + validNames() + ".");
    }

    private static String validNames() {
        return Arrays.stream(values()).map(Pkcs12Profile::configName).collect(Collectors.joining(", "));
    }
}
