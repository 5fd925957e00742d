package io.smimedelivery.certificate.packaging;

import static io.smimedelivery.certificate.crypto.Providers.SUN_JCE;

import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.PBEParameterSpec;

import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCS12PBEParams;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.GenericKey;
import org.bouncycastle.operator.MacCalculator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JceGenericKey;
import org.bouncycastle.pkcs.PKCS12MacCalculatorBuilder;

/**
 * The MAC of a PKCS#12 file (RFC 7292: HMAC with a key from the key derivation of its appendix B),
 * computed by the JDK's SunJCE provider ({@code HmacPBESHA1}, {@code HmacPBESHA256}), whose SHA digests
 * run as HotSpot intrinsics. It writes the same MacData as BouncyCastle's
 * {@code BcPKCS12MacCalculatorBuilder}: a random salt as long as the digest, and the iteration count.
 * SunJCE takes only passwords of printable ASCII characters, see {@link #accepts(char[])}.
 */
final class JdkPkcs12Mac implements PKCS12MacCalculatorBuilder {

    private final String algorithm;
    private final AlgorithmIdentifier digest;
    private final int saltLength;
    private final int iterations;
    private final SecureRandom random;

    private JdkPkcs12Mac(String algorithm, AlgorithmIdentifier digest, int saltLength, int iterations,
            SecureRandom random) {
        this.algorithm = algorithm;
        this.digest = digest;
        this.saltLength = saltLength;
        this.iterations = iterations;
        this.random = random;
    }

    /** Returns the MAC with SHA-1, as OpenSSL's legacy files have it. */
    static JdkPkcs12Mac sha1(int iterations, SecureRandom random) {
        return new JdkPkcs12Mac("HmacPBESHA1", new AlgorithmIdentifier(OIWObjectIdentifiers.idSHA1, DERNull.INSTANCE), 20,
                iterations, random);
    }

    /** Returns the MAC with SHA-256, as OpenSSL 3 writes it by default. */
    static JdkPkcs12Mac sha256(int iterations, SecureRandom random) {
        return new JdkPkcs12Mac("HmacPBESHA256", new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256, DERNull.INSTANCE),
                32, iterations, random);
    }

    /** Returns whether SunJCE takes the password: every character is printable ASCII (U+0020 to U+007E). */
    static boolean accepts(char[] password) {
        for (char c : password) {
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    @Override
    public AlgorithmIdentifier getDigestAlgorithmIdentifier() {
        return digest;
    }

    @Override
    public MacCalculator build(char[] password) throws OperatorCreationException {
        byte[] salt = new byte[saltLength];
        random.nextBytes(salt);
        Mac mac;
        SecretKey key;
        try {
            key = SecretKeyFactory.getInstance("PBE", SUN_JCE).generateSecret(new PBEKeySpec(password));
            mac = Mac.getInstance(algorithm, SUN_JCE);
            mac.init(key, new PBEParameterSpec(salt, iterations));
        } catch (GeneralSecurityException e) {
            throw new OperatorCreationException("Setting up the PKCS#12 MAC " + algorithm + " failed: " + e.getMessage(), e);
        }
        AlgorithmIdentifier identifier = new AlgorithmIdentifier(digest.getAlgorithm(), new PKCS12PBEParams(salt, iterations));
        return new MacCalculator() {
            @Override
            public AlgorithmIdentifier getAlgorithmIdentifier() {
                return identifier;
            }

            @Override
            public OutputStream getOutputStream() {
                return new OutputStream() {
                    @Override
                    public void write(int b) {
                        mac.update((byte) b);
                    }

                    @Override
                    public void write(byte[] bytes, int offset, int length) {
                        mac.update(bytes, offset, length);
                    }
                };
            }

            @Override
            public byte[] getMac() {
                return mac.doFinal();
            }

            @Override
            public GenericKey getKey() {
                return new JceGenericKey(identifier, key);
            }
        };
    }
}
