package io.smimedelivery.certificate.imports;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.List;

import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import io.smimedelivery.certificate.crypto.KeyEncryption;
import io.smimedelivery.certificate.crypto.KeyEncryptionProvider;
import io.smimedelivery.certificate.crypto.UnconfiguredKeyException;
import io.smimedelivery.common.problem.ProblemException;

/**
 * The service's import key: an RSA-3072 key pair whose public key the API publishes, so an
 * administrator can encrypt a PKCS#12 password with RSA-OAEP (SHA-256, MGF1 with SHA-256) before upload.
 * The pair is made on first use and stored with its private key encrypted under the key-encryption key.
 */
@ApplicationScoped
public class ImportKey {

    /** Id of the one import key; a rotation would add another id. */
    static final String KEY_ID = "import-1";

    private static final Logger LOG = Logger.getLogger(ImportKey.class);
    private static final OAEPParameterSpec OAEP_SHA256 =
            new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT);

    private final DataSource dataSource;
    private final KeyEncryptionProvider keyEncryption;
    private volatile KeyPair keyPair;

    public ImportKey(DataSource dataSource, KeyEncryptionProvider keyEncryption) {
        this.dataSource = dataSource;
        this.keyEncryption = keyEncryption;
    }

    /** Returns the public key as PEM (SubjectPublicKeyInfo). */
    public String publicKeyPem() {
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(keyPair().getPublic().getEncoded());
        return "-----BEGIN PUBLIC KEY-----\n" + base64 + "\n-----END PUBLIC KEY-----\n";
    }

    public String keyId() {
        return KEY_ID;
    }

    /**
     * Decrypts a password encrypted to the public key.
     *
     * @throws IllegalArgumentException when the text is not Base64 or not encrypted to this key
     */
    public String decryptPassword(String base64Ciphertext) {
        byte[] ciphertext;
        try {
            ciphertext = Base64.getMimeDecoder().decode(base64Ciphertext);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("encryptedPassword is not valid Base64");
        }
        try {
            Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPPadding");
            cipher.init(Cipher.DECRYPT_MODE, keyPair().getPrivate(), OAEP_SHA256);
            return new String(cipher.doFinal(ciphertext), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("encryptedPassword cannot be decrypted with import key " + KEY_ID
                    + "; encrypt the UTF-8 password with RSA-OAEP (SHA-256, MGF1-SHA-256) to the key from"
                    + " GET /api/certificates/import-key");
        }
    }

    private KeyPair keyPair() {
        KeyPair current = keyPair;
        if (current == null) {
            synchronized (this) {
                if (keyPair == null) {
                    keyPair = loadOrCreate(keyEncryption.require());
                }
                current = keyPair;
            }
        }
        return current;
    }

    private KeyPair loadOrCreate(KeyEncryption encryption) {
        try (Connection connection = dataSource.getConnection()) {
            KeyPair stored = load(connection, encryption);
            if (stored != null) {
                return stored;
            }
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(3072);
            KeyPair created = generator.generateKeyPair();
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO import_key (id, public_key_der, private_key_encrypted, kek_id) VALUES (?, ?, ?, ?)
                    ON CONFLICT (id) DO NOTHING""")) {
                insert.setString(1, KEY_ID);
                insert.setBytes(2, created.getPublic().getEncoded());
                insert.setBytes(3, encryption.encrypt(created.getPrivate().getEncoded()));
                insert.setString(4, encryption.currentKeyId());
                insert.executeUpdate();
            }
            // Another instance may have stored its pair first; every instance uses the stored one.
            KeyPair winner = load(connection, encryption);
            LOG.infof("Created import key %s", KEY_ID);
            return winner;
        } catch (SQLException | GeneralSecurityException e) {
            throw new IllegalStateException("Failed to load or create import key " + KEY_ID, e);
        }
    }

    private static KeyPair load(Connection connection, KeyEncryption encryption)
            throws SQLException, GeneralSecurityException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT public_key_der, private_key_encrypted FROM import_key WHERE id = ?")) {
            select.setString(1, KEY_ID);
            try (ResultSet result = select.executeQuery()) {
                if (!result.next()) {
                    return null;
                }
                KeyFactory factory = KeyFactory.getInstance("RSA");
                PublicKey publicKey = factory.generatePublic(new X509EncodedKeySpec(result.getBytes(1)));
                byte[] pkcs8;
                try {
                    pkcs8 = encryption.decrypt(result.getBytes(2));
                } catch (UnconfiguredKeyException e) {
                    LOG.errorf("Import key %s cannot be read: %s", KEY_ID, e.getMessage());
                    throw new ProblemException(Response.Status.SERVICE_UNAVAILABLE, "key-encryption-key-missing",
                            "Key-encryption key missing", "The import key is stored under key-encryption key id "
                                    + e.keyId() + ", which is not configured; add " + e.keyId()
                                    + ":<base64 key> to SMIME_KEK_KEYS and restart certificate-service", List.of());
                }
                PrivateKey privateKey = factory.generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
                java.util.Arrays.fill(pkcs8, (byte) 0);
                return new KeyPair(publicKey, privateKey);
            }
        }
    }
}
