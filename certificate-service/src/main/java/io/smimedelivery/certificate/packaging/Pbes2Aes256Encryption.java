package io.smimedelivery.certificate.packaging;

import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.EncryptionScheme;
import org.bouncycastle.asn1.pkcs.KeyDerivationFunc;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.crypto.PBEParametersGenerator;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.jcajce.io.CipherOutputStream;
import org.bouncycastle.operator.GenericKey;
import org.bouncycastle.operator.OutputEncryptor;

/**
 * PBES2 encryption (RFC 8018) with PBKDF2-HMAC-SHA256 and AES-256-CBC that derives the key once and
 * encrypts each item under a new random IV.
 *
 * <p>All items carry the same salt and iteration count, so a reader derives the same key for each of
 * them. The items of one PKCS#12 file share one password, and the file's MAC already lets an attacker
 * test password guesses with a single derivation. A salt per item would therefore cost one PBKDF2 run
 * per item without making a guess more expensive. CBC stays secure under one key because no two items
 * share an IV.
 *
 * <p>The password is encoded as UTF-8 for PBKDF2, as OpenSSL 3 and BouncyCastle's PBES2 reader do.
 */
final class Pbes2Aes256Encryption {

    /** Salt length in bytes. PKCS #5 (RFC 8018, section 4.1) recommends at least 8. */
    private static final int SALT_LENGTH = 16;
    private static final int KEY_BITS = 256;
    private static final int IV_LENGTH = 16;
    private static final AlgorithmIdentifier HMAC_SHA256 =
            new AlgorithmIdentifier(PKCSObjectIdentifiers.id_hmacWithSHA256, DERNull.INSTANCE);

    private final SecureRandom random;
    private final KeyDerivationFunc keyDerivation;
    private final SecretKeySpec key;

    Pbes2Aes256Encryption(char[] password, int iterations, SecureRandom random) {
        this.random = random;
        byte[] salt = new byte[SALT_LENGTH];
        random.nextBytes(salt);

        byte[] passwordBytes = PBEParametersGenerator.PKCS5PasswordToUTF8Bytes(password);
        try {
            PKCS5S2ParametersGenerator generator = new PKCS5S2ParametersGenerator(new SHA256Digest());
            generator.init(passwordBytes, salt, iterations);
            byte[] derived = ((KeyParameter) generator.generateDerivedParameters(KEY_BITS)).getKey();
            this.key = new SecretKeySpec(derived, "AES");
            Arrays.fill(derived, (byte) 0);
        } finally {
            Arrays.fill(passwordBytes, (byte) 0);
        }

        // The key length is left out of the PBKDF2 parameters because AES-256 fixes it, as OpenSSL 3 does.
        this.keyDerivation = new KeyDerivationFunc(PKCSObjectIdentifiers.id_PBKDF2,
                new PBKDF2Params(salt, iterations, HMAC_SHA256));
    }

    /** Creates an encryptor for one item, with a new random IV. */
    OutputEncryptor newEncryptor() {
        byte[] iv = new byte[IV_LENGTH];
        random.nextBytes(iv);
        Cipher cipher;
        try {
            // The JDK's provider is used because HotSpot runs its AES on the CPU's AES instructions where the CPU has them.
            cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(iv));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-CBC is not available in this JDK", e);
        }

        AlgorithmIdentifier algorithm = new AlgorithmIdentifier(PKCSObjectIdentifiers.id_PBES2,
                new PBES2Parameters(keyDerivation,
                        new EncryptionScheme(NISTObjectIdentifiers.id_aes256_CBC, new DEROctetString(iv))));
        return new OutputEncryptor() {
            @Override
            public AlgorithmIdentifier getAlgorithmIdentifier() {
                return algorithm;
            }

            @Override
            public OutputStream getOutputStream(OutputStream out) {
                return new CipherOutputStream(out, cipher);
            }

            @Override
            public GenericKey getKey() {
                return new GenericKey(algorithm, key.getEncoded());
            }
        };
    }
}
