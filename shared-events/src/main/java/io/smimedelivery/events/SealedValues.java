package io.smimedelivery.events;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.util.Base64;
import java.util.Objects;

import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

/**
 * Seals a short secret, such as an APNs device token, to the RSA public key of the one service that
 * may read it, and opens it there. The algorithm is RSAES-OAEP with SHA-256 and MGF1-SHA-256
 * ({@value #ALGORITHM}), with the JDK's provider.
 */
public final class SealedValues {

    /** Algorithm name recorded in {@link SealedValue#algorithm()}. */
    public static final String ALGORITHM = "RSA-OAEP-256";

    private static final OAEPParameterSpec OAEP_SHA256 = new OAEPParameterSpec("SHA-256", "MGF1",
            MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT);

    private SealedValues() {
    }

    /** Encrypts {@code secret} (UTF-8) to {@code recipientKey}, an RSA key of the reading service. */
    public static SealedValue seal(String secret, String keyId, PublicKey recipientKey) {
        Objects.requireNonNull(secret, "secret");
        try {
            Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPPadding");
            cipher.init(Cipher.ENCRYPT_MODE, recipientKey, OAEP_SHA256);
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return new SealedValue(keyId, ALGORITHM, Base64.getEncoder().encodeToString(sealed));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("Sealing failed with the " + recipientKey.getAlgorithm() + " key " + keyId
                    + "; use the reading service's RSA public key", e);
        }
    }

    /**
     * Decrypts a sealed value with the reading service's private key.
     *
     * @throws IllegalArgumentException when the algorithm is not {@value #ALGORITHM}, the ciphertext is not
     *     Base64, or the key does not open it
     */
    public static String open(SealedValue sealed, PrivateKey privateKey) {
        if (!ALGORITHM.equals(sealed.algorithm())) {
            throw new IllegalArgumentException("Sealed value uses algorithm " + sealed.algorithm() + "; only " + ALGORITHM
                    + " is supported");
        }
        byte[] ciphertext;
        try {
            ciphertext = Base64.getDecoder().decode(sealed.ciphertext());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Sealed value with key id " + sealed.keyId() + " is not valid Base64", e);
        }
        try {
            Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPPadding");
            cipher.init(Cipher.DECRYPT_MODE, privateKey, OAEP_SHA256);
            return new String(cipher.doFinal(ciphertext), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("Sealed value with key id " + sealed.keyId()
                    + " cannot be opened with this service's key; check that the sender used the current public key", e);
        }
    }
}
