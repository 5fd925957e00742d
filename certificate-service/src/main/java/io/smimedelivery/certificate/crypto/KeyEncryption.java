package io.smimedelivery.certificate.crypto;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts private keys and PKCS#12 passwords at rest with AES-256-GCM under a key-encryption key
 * (KEK). Every ciphertext records the id of the KEK that made it, so KEKs can be rotated: new data uses
 * the current KEK, and older KEKs stay available for decryption until their data is re-encrypted.
 *
 * <p>Format: {@code version (1 byte) | key id length (1 byte) | key id (UTF-8) | nonce (12 bytes) |
 * ciphertext with tag}. The key id and version are authenticated as associated data. The JDK's
 * provider is used because its AES-GCM is much faster than BouncyCastle's.
 */
public final class KeyEncryption {

    private static final byte FORMAT_VERSION = 1;
    private static final int NONCE_LENGTH = 12;
    private static final int TAG_BITS = 128;
    private static final int KEY_LENGTH = 32;

    private final String currentKeyId;
    private final Map<String, SecretKey> keys;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param currentKeyId id of the KEK that encrypts new data
     * @param keys         every KEK by id, 32 bytes each; must contain the current one
     */
    public KeyEncryption(String currentKeyId, Map<String, byte[]> keys) {
        if (!keys.containsKey(currentKeyId)) {
            throw new IllegalArgumentException("No key-encryption key with the current id " + currentKeyId
                    + "; configure a 256-bit key under that id");
        }
        java.util.HashMap<String, SecretKey> copies = new java.util.HashMap<>();
        keys.forEach((id, key) -> {
            if (id.isEmpty() || id.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 64) {
                throw new IllegalArgumentException("Invalid key-encryption key id '" + id + "': use 1 to 64 bytes");
            }
            if (key.length != KEY_LENGTH) {
                throw new IllegalArgumentException("Key-encryption key " + id + " has " + key.length
                        + " bytes; use a 256-bit key (32 bytes, 44 characters in Base64)");
            }
            copies.put(id, new SecretKeySpec(key.clone(), "AES"));
        });
        this.currentKeyId = currentKeyId;
        this.keys = Map.copyOf(copies);
    }

    /** Returns a KEK set from Base64 keys, such as configuration values. */
    public static KeyEncryption fromBase64(String currentKeyId, Map<String, String> base64Keys) {
        java.util.HashMap<String, byte[]> keys = new java.util.HashMap<>();
        base64Keys.forEach((id, text) -> {
            try {
                keys.put(id, Base64.getDecoder().decode(text.trim()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Key-encryption key " + id + " is not valid Base64", e);
            }
        });
        return new KeyEncryption(currentKeyId, keys);
    }

    public String currentKeyId() {
        return currentKeyId;
    }

    /** Returns the ids of every configured KEK, the current one included. */
    public java.util.Set<String> keyIds() {
        return keys.keySet();
    }

    /** Encrypts {@code plaintext} under the current KEK. */
    public byte[] encrypt(byte[] plaintext) {
        byte[] keyId = currentKeyId.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] header = ByteBuffer.allocate(2 + keyId.length).put(FORMAT_VERSION).put((byte) keyId.length).put(keyId).array();
        byte[] nonce = new byte[NONCE_LENGTH];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(currentKeyId), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(header);
            byte[] sealed = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(header.length + NONCE_LENGTH + sealed.length).put(header).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    /**
     * Decrypts data made by {@link #encrypt}, with whichever KEK made it.
     *
     * @throws UnconfiguredKeyException if the data names a KEK id that is not configured
     * @throws IllegalArgumentException if the data is malformed or was altered
     */
    public byte[] decrypt(byte[] data) {
        String keyId = keyIdOf(data);
        SecretKey key = keys.get(keyId);
        if (key == null) {
            throw new UnconfiguredKeyException(keyId);
        }
        int headerLength = 2 + (data[1] & 0xff);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, data, headerLength, NONCE_LENGTH));
            cipher.updateAAD(data, 0, headerLength);
            return cipher.doFinal(data, headerLength + NONCE_LENGTH, data.length - headerLength - NONCE_LENGTH);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new IllegalArgumentException("Encrypted data failed authentication: it was altered or made with"
                    + " another key under the id " + keyId, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed", e);
        }
    }

    /** Returns the KEK id recorded in encrypted data, without decrypting it. */
    public static String keyIdOf(byte[] data) {
        if (data == null || data.length < 2 || data[0] != FORMAT_VERSION) {
            throw new IllegalArgumentException("Not data encrypted by KeyEncryption (unknown format)");
        }
        int length = data[1] & 0xff;
        if (length == 0 || data.length < 2 + length + NONCE_LENGTH + TAG_BITS / 8) {
            throw new IllegalArgumentException("Encrypted data is truncated");
        }
        return new String(Arrays.copyOfRange(data, 2, 2 + length), java.nio.charset.StandardCharsets.UTF_8);
    }
}
