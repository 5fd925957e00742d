package io.smimedelivery.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs deploy/jwt/mint-admin-token.sh in a copy and verifies its token with jose4j, the library under
 * smallrye-jwt, as the services would: RS256 with the public key it wrote, issuer, audience and role.
 */
class MintAdminTokenScriptTest {

    private static final Path SCRIPT = Path.of(System.getProperty("project.root", ".."))
            .resolve("deploy/jwt/mint-admin-token.sh").toAbsolutePath().normalize();

    @TempDir
    Path folder;

    @Test
    void tokenVerifiesWithWrittenKey() throws Exception {
        Path script = copyScript();
        String token = run(script, "--role", "smime-reader", "--hours", "2", "--subject", "anna.admin@example.it");

        JwtClaims claims = consumer(publicKey(), "urn:smime-delivery:local-tokens").processToClaims(token);
        assertEquals("anna.admin@example.it", claims.getSubject());
        assertEquals(List.of("smime-reader"), claims.getStringListClaimValue("groups"));
        long lifetime = claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue();
        assertEquals(2 * 3600, lifetime);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(folder.resolve("signing-key.pem"))));

        // A second token reuses the key; a token checked for another issuer is rejected.
        String second = run(script);
        assertEquals(List.of("smime-admin"), consumer(publicKey(), "urn:smime-delivery:local-tokens")
                .processToClaims(second).getStringListClaimValue("groups"));
        assertThrows(InvalidJwtException.class, () -> consumer(publicKey(), "https://other.example").processToClaims(second));
    }

    @Test
    void unknownRoleRejected() throws Exception {
        Process process = new ProcessBuilder(copyScript().toString(), "--role", "root").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, process.exitValue(), output);
        assertTrue(output.contains("--role must be smime-admin, smime-reader or smime-enroller"), output);
    }

    private Path copyScript() throws Exception {
        Path copy = folder.resolve("mint-admin-token.sh");
        Files.copy(SCRIPT, copy);
        copy.toFile().setExecutable(true);
        return copy;
    }

    private static String run(Path script, String... arguments) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(script.toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the script ended");
        assertEquals(0, process.exitValue(), "exit status");
        return output;
    }

    private PublicKey publicKey() throws Exception {
        String pem = Files.readString(folder.resolve("public-key.pem"), StandardCharsets.US_ASCII);
        byte[] der = Base64.getDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""));
        return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
    }

    private static JwtConsumer consumer(PublicKey key, String issuer) {
        return new JwtConsumerBuilder().setVerificationKey(key).setExpectedIssuer(issuer)
                .setExpectedAudience("smime-delivery").setRequireExpirationTime().setRequireSubject().build();
    }
}
