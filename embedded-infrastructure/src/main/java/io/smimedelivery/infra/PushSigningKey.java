package io.smimedelivery.infra;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/** An EC key pair on the given curve with its private key as PKCS#8 PEM, like the .p8 file Apple issues. */
public record PushSigningKey(KeyPair keyPair, String pem) {

    public static PushSigningKey generate(String curve) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(curve));
        KeyPair keyPair = generator.generateKeyPair();
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(keyPair.getPrivate().getEncoded());
        return new PushSigningKey(keyPair, "-----BEGIN PRIVATE KEY-----\n" + base64 + "\n-----END PRIVATE KEY-----\n");
    }

    public static PushSigningKey generateP256() throws GeneralSecurityException {
        return generate("secp256r1");
    }

    /** Writes the PEM to a .p8 file in the directory and returns its path. */
    public Path writeTo(Path directory) throws Exception {
        Path file = Files.createTempFile(directory, "AuthKey_", ".p8");
        Files.writeString(file, pem, StandardCharsets.US_ASCII);
        return file;
    }

    /** Returns the Base64 body of the PEM without line breaks, to search logs for key material. */
    public String base64Body() {
        return Base64.getEncoder().encodeToString(keyPair.getPrivate().getEncoded());
    }
}
