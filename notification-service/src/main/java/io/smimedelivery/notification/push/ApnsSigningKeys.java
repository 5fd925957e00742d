package io.smimedelivery.notification.push;

import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * Reads the APNs signing key from PEM. Error messages never contain key material, so callers may log them.
 */
final class ApnsSigningKeys {

    private static final String BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String END = "-----END PRIVATE KEY-----";

    private ApnsSigningKeys() {
    }

    /**
     * Parses an unencrypted PKCS#8 EC private key in PEM, the format of the .p8 file that Apple issues.
     * Text before and after the PEM block is ignored.
     *
     * @throws IllegalArgumentException if the text contains no such key. The message continues a sentence
     *     that starts with the name of the setting, such as "contains no ... block".
     */
    static PrivateKey parsePkcs8Pem(String pem) {
        if (pem.contains("-----BEGIN EC PRIVATE KEY-----")) {
            throw new IllegalArgumentException("contains a SEC1 EC PRIVATE KEY block instead of PKCS#8 PRIVATE KEY. "
                    + "Convert it with: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key.p8");
        }
        if (pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
            throw new IllegalArgumentException("contains an encrypted key, but the key must be unencrypted PKCS#8");
        }
        int begin = pem.indexOf(BEGIN);
        int end = pem.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("contains no " + BEGIN + " block");
        }

        String base64 = pem.substring(begin + BEGIN.length(), end).replaceAll("\\s", "");
        byte[] der;
        try {
            der = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("contains a PRIVATE KEY block that is not valid Base64");
        }

        try {
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (InvalidKeySpecException e) {
            throw new IllegalArgumentException("contains a PRIVATE KEY block that is not a PKCS#8 EC key");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JDK provides no EC key factory", e);
        }
    }
}
