package io.smimedelivery.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

/**
 * A signing key for administrator tokens and the tokens it signs, for the local stack and the tests,
 * where no identity provider runs. The services verify the tokens with the public key in
 * {@link #publicKeyFile()}, as they would verify tokens of Entra ID or Keycloak with theirs.
 *
 * <p>The private key is written as PKCS#8 PEM readable by its owner only; the public key as
 * SubjectPublicKeyInfo PEM. Tokens are RS256 JWTs with the roles in the {@code groups} claim.
 */
public final class AdminTokens {

    /** Issuer of the tokens this class signs. */
    public static final String ISSUER = "https://smime-delivery.local/admin-tokens";
    /** Audience the services expect by default. */
    public static final String AUDIENCE = "smime-delivery";
    public static final String ADMIN = "smime-admin";
    public static final String READER = "smime-reader";
    public static final String ENROLLER = "smime-enroller";

    private static final String PRIVATE_KEY_FILE = "jwt-signing-key.pem";
    private static final String PUBLIC_KEY_FILE = "jwt-public-key.pem";

    private final Path directory;
    private final PrivateKey privateKey;
    private final String keyId;

    private AdminTokens(Path directory, PrivateKey privateKey, String keyId) {
        this.directory = directory;
        this.privateKey = privateKey;
        this.keyId = keyId;
    }

    /**
     * Returns the signing key in {@code directory}, made there first when the directory contains none.
     */
    public static synchronized AdminTokens inDirectory(Path directory) {
        Path privateFile = directory.resolve(PRIVATE_KEY_FILE);
        Path publicFile = directory.resolve(PUBLIC_KEY_FILE);
        try {
            Files.createDirectories(directory);
            if (!Files.exists(privateFile) || !Files.exists(publicFile)) {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                KeyPair pair = generator.generateKeyPair();
                writeOwnerOnly(privateFile, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
                Files.writeString(publicFile, pem("PUBLIC KEY", pair.getPublic().getEncoded()), StandardCharsets.US_ASCII);
            }
            PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(
                    new PKCS8EncodedKeySpec(fromPem(Files.readString(privateFile, StandardCharsets.US_ASCII))));
            return new AdminTokens(directory, key, keyIdOf(key));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write or read the administrator token signing key in " + directory, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot make or read the administrator token signing key in " + directory, e);
        }
    }

    /**
     * Returns the signing key of this test JVM: one key in a folder named after the process id, shared by
     * every class loader of the JVM, so the test resources and the tests sign and verify with the same key.
     * (Quarkus restores system properties after starting an application, so they cannot carry it.)
     */
    public static synchronized AdminTokens forTests() {
        Path directory = Path.of(System.getProperty("java.io.tmpdir"),
                "smime-admin-tokens-" + ProcessHandle.current().pid());
        if (Files.isDirectory(directory)) {
            return inDirectory(directory);
        }
        try {
            Path scratch = Files.createTempDirectory("smime-admin-tokens-new-");
            inDirectory(scratch);
            try {
                Files.move(scratch, directory, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                directory.resolve(PRIVATE_KEY_FILE).toFile().deleteOnExit();
                directory.resolve(PUBLIC_KEY_FILE).toFile().deleteOnExit();
                directory.toFile().deleteOnExit();
            } catch (java.nio.file.FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
                Files.delete(scratch.resolve(PRIVATE_KEY_FILE));
                Files.delete(scratch.resolve(PUBLIC_KEY_FILE));
                Files.delete(scratch);
            }
            return inDirectory(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot make a folder for the test token signing key", e);
        }
    }

    /** Returns the file of the public key that verifies the tokens, as SubjectPublicKeyInfo PEM. */
    public Path publicKeyFile() {
        return directory.resolve(PUBLIC_KEY_FILE);
    }

    /** Returns the public key that verifies the tokens, as Base64 of its SubjectPublicKeyInfo without PEM lines. */
    public String publicKeyBase64() {
        try {
            return Base64.getEncoder().encodeToString(fromPem(Files.readString(publicKeyFile(), StandardCharsets.US_ASCII)));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + publicKeyFile(), e);
        }
    }

    /** Returns a token of this issuer and audience with the given roles, valid for {@code lifetime}. */
    public String token(String subject, List<String> roles, Duration lifetime) {
        return token(ISSUER, AUDIENCE, subject, roles, Instant.now(), lifetime);
    }

    /** Returns a token with every claim chosen by the caller, for tests of rejected tokens. */
    public String token(String issuer, String audience, String subject, List<String> roles, Instant issuedAt,
            Duration lifetime) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setAudience(audience);
        claims.setSubject(subject);
        claims.setClaim("upn", subject);
        claims.setJwtId(UUID.randomUUID().toString());
        claims.setIssuedAt(NumericDate.fromSeconds(issuedAt.getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(issuedAt.plus(lifetime).getEpochSecond()));
        claims.setStringListClaim("groups", roles);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(privateKey);
        jws.setKeyIdHeaderValue(keyId);
        jws.setHeader("typ", "JWT");
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("Cannot sign an administrator token", e);
        }
    }

    /** Returns an administrator token (smime-admin) valid for {@code lifetime}. */
    public String adminToken(String subject, Duration lifetime) {
        return token(subject, List.of(ADMIN), lifetime);
    }

    private static String keyIdOf(PrivateKey key) throws GeneralSecurityException {
        RSAPrivateCrtKey rsa = (RSAPrivateCrtKey) key;
        PublicKey publicKey = KeyFactory.getInstance("RSA")
                .generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(publicKey.getEncoded());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 16);
    }

    private static void writeOwnerOnly(Path file, String text) throws IOException {
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
        Files.writeString(file, text, StandardCharsets.US_ASCII);
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    private static byte[] fromPem(String pem) {
        String body = pem.replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s", "");
        return Base64.getDecoder().decode(body);
    }
}
