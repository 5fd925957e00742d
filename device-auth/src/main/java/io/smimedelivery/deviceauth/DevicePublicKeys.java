package io.smimedelivery.deviceauth;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Objects;

/**
 * Conversion of device public keys between {@link PublicKey} and PEM text of a SubjectPublicKeyInfo
 * ({@code -----BEGIN PUBLIC KEY-----}), the form in which devices register their enrollment key.
 * Uses only the JDK's providers.
 */
public final class DevicePublicKeys {

    private static final String PUBLIC_KEY_LABEL = "PUBLIC KEY";
    private static final String BEGIN = "-----BEGIN ";
    private static final String END = "-----END ";
    private static final String DASHES = "-----";

    private DevicePublicKeys() {
    }

    /**
     * Parses a PEM-encoded SubjectPublicKeyInfo. Only whitespace may surround the PEM block.
     *
     * @return an RSA or EC public key that device tokens can be verified with
     * @throws IllegalArgumentException if the text is not a single PEM public key, or the key is
     *     not RSA of at least 2048 bits, EC P-256 or EC P-384
     */
    public static PublicKey fromPem(String spkiPem) {
        Objects.requireNonNull(spkiPem, "spkiPem");
        byte[] der = decodePem(spkiPem.strip());
        PublicKey key = decodeKey(der);
        DeviceKeyType.of(key);
        return key;
    }

    /** Returns the PEM text of a public key's SubjectPublicKeyInfo, in lines of 64 characters. */
    public static String toPem(PublicKey key) {
        Objects.requireNonNull(key, "key");
        byte[] encoded = key.getEncoded();
        if (!"X.509".equals(key.getFormat()) || encoded == null) {
            throw new IllegalArgumentException("Public key of type " + key.getAlgorithm() + " has no SubjectPublicKeyInfo "
                    + "encoding (its format is " + key.getFormat() + ")");
        }
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(encoded);
        return BEGIN + PUBLIC_KEY_LABEL + DASHES + "\n" + base64 + "\n" + END + PUBLIC_KEY_LABEL + DASHES + "\n";
    }

    private static byte[] decodePem(String pem) {
        if (!pem.startsWith(BEGIN)) {
            throw new IllegalArgumentException("Device public key is not PEM text: it must start with "
                    + "\"-----BEGIN PUBLIC KEY-----\"");
        }
        int labelEnd = pem.indexOf(DASHES, BEGIN.length());
        if (labelEnd < 0) {
            throw new IllegalArgumentException("Device public key has an incomplete PEM BEGIN line");
        }
        String label = pem.substring(BEGIN.length(), labelEnd);
        if (!label.equals(PUBLIC_KEY_LABEL)) {
            throw new IllegalArgumentException(wrongLabelMessage(label));
        }

        String endLine = END + PUBLIC_KEY_LABEL + DASHES;
        if (!pem.endsWith(endLine)) {
            throw new IllegalArgumentException("Device public key PEM text must end with \"" + endLine
                    + "\", with nothing but whitespace after it");
        }
        int bodyStart = labelEnd + DASHES.length();
        int bodyEnd = pem.length() - endLine.length();
        if (pem.indexOf(BEGIN, bodyStart) >= 0) {
            throw new IllegalArgumentException(
                    "Device public key PEM text contains more than one PEM block. Send only the device's public key");
        }

        String body = bodyEnd < bodyStart ? "" : pem.substring(bodyStart, bodyEnd).replaceAll("\\s+", "");
        if (body.isEmpty()) {
            throw new IllegalArgumentException("Device public key PEM text has no content between its BEGIN and END lines");
        }
        try {
            return Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Device public key PEM content is not valid base64: " + e.getMessage(), e);
        }
    }

    private static String wrongLabelMessage(String label) {
        String hint = switch (label) {
            case "RSA PUBLIC KEY" -> ". This is a PKCS#1 RSA key, convert it with "
                    + "\"openssl rsa -RSAPublicKey_in -in key.pem -pubout\"";
            case "CERTIFICATE" -> ". Extract the key with \"openssl x509 -in cert.pem -pubkey -noout\"";
            case "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY" ->
                    ". A private key must stay on the device, register its public key instead";
            default -> "";
        };
        return "Device public key PEM block is " + LogText.quote(label)
                + ", expected \"" + PUBLIC_KEY_LABEL + "\" (SubjectPublicKeyInfo)" + hint;
    }

    /** Tries RSA and then EC, because the PEM label does not name the key algorithm. */
    private static PublicKey decodeKey(byte[] der) {
        X509EncodedKeySpec spec = new X509EncodedKeySpec(der);
        for (String algorithm : new String[] {"RSA", "EC"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePublic(spec);
            } catch (InvalidKeySpecException e) {
                // Not a key of this algorithm, so the loop tries the next one.
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("The JDK provides no " + algorithm + " key factory", e);
            }
        }
        throw new IllegalArgumentException("Device public key PEM content is not an RSA or EC SubjectPublicKeyInfo");
    }
}
