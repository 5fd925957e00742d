package io.smimedelivery.certificate;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Base64;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smimedelivery.certificate.crypto.KeyEncryptionProvider;
import io.smimedelivery.certificate.entity.ImportedCertificate;
import io.smimedelivery.certificate.pkcs12.TestPkcs12Files;
import io.smimedelivery.certificate.pkcs12.TestPki;
import io.smimedelivery.infra.InfrastructureTestResource;

@QuarkusTest
@WithTestResource(value = InfrastructureTestResource.class,
        initArgs = @ResourceArg(name = InfrastructureTestResource.DATABASE_ARG, value = "certificate"))
class CertificateImportTest {

    private static final char[] PASSWORD = "pässwörd".toCharArray();

    @Inject
    KeyEncryptionProvider keyEncryption;

    private static Map<String, Object> file(String email, String purpose, byte[] pkcs12, String password) {
        return Map.of("email", email, "purpose", purpose, "pkcs12", Base64.getEncoder().encodeToString(pkcs12),
                "password", password);
    }

    @Test
    void importStoresEncryptedKeyOnce() {
        TestPki pki = TestPki.get();
        byte[] pkcs12 = TestPkcs12Files.single(TestPkcs12Files.Style.OPENSSL_AES256, pki.aliceEnc2026, true, PASSWORD);
        Map<String, Object> body = Map.of("files", List.of(file("alice@example.test", "ENCRYPTION", pkcs12, "pässwörd")));

        String thumbprint = given().contentType(ContentType.JSON).body(body).post("/api/certificates/imports")
                .then().statusCode(200)
                .body("results[0].status", equalTo("IMPORTED"))
                .body("results[0].certificates", hasSize(1))
                .body("results[0].certificates[0].purpose", equalTo("ENCRYPTION"))
                .extract().path("results[0].certificates[0].thumbprintSha256");
        given().contentType(ContentType.JSON).body(body).post("/api/certificates/imports")
                .then().statusCode(200).body("results[0].status", equalTo("UNCHANGED"));

        ImportedCertificate stored = QuarkusTransaction.requiringNew().call(() -> ImportedCertificate
                .<ImportedCertificate>find("thumbprintSha256", thumbprint).singleResult());
        byte[] pkcs8 = pki.aliceEnc2026.keyPair().getPrivate().getEncoded();
        assertEquals("test-kek", stored.kekId);
        assertFalse(java.util.Arrays.equals(pkcs8, stored.privateKeyEncrypted), "the key is not stored in clear");
        assertArrayEquals(pkcs8, keyEncryption.require().decrypt(stored.privateKeyEncrypted));
        given().queryParam("user", "Alice@Example.TEST").get("/api/certificates")
                .then().statusCode(200).body("thumbprintSha256", org.hamcrest.Matchers.hasItem(thumbprint));
    }

    @Test
    void eachFileGetsItsOwnResult() {
        TestPki pki = TestPki.get();
        byte[] good = TestPkcs12Files.single(TestPkcs12Files.Style.OPENSSL_LEGACY, pki.aliceSign, true, PASSWORD);
        byte[] clientAuth = TestPkcs12Files.single(TestPkcs12Files.Style.OPENSSL_AES256, pki.carolClientAuth, true, PASSWORD);
        byte[] truncated = TestPkcs12Files.truncate(good, good.length / 2);
        byte[] otherUser = TestPkcs12Files.single(TestPkcs12Files.Style.KEYTOOL_AES256, pki.bobDual, true, PASSWORD);
        Map<String, Object> body = Map.of("files", List.of(
                file("alice@example.test", "SIGNING", good, "pässwörd"),
                file("alice@example.test", "UNASSIGNED", good, "wrong"),
                file("carol@example.test", "UNASSIGNED", clientAuth, "pässwörd"),
                file("alice@example.test", "UNASSIGNED", truncated, "pässwörd"),
                file("alice@example.test", "UNASSIGNED", otherUser, "pässwörd"),
                file("alice@example.test", "ENCRYPTION", good, "pässwörd"),
                Map.of("email", "alice@example.test", "pkcs12", "not base64!", "password", "x"),
                Map.of("email", "alice@example.test", "pkcs12", "!!!", "password", "x")));

        String response = given().contentType(ContentType.JSON).body(body).post("/api/certificates/imports")
                .then().statusCode(200)
                .body("results.status", equalTo(List.of("IMPORTED", "REJECTED", "REJECTED", "REJECTED", "REJECTED",
                        "REJECTED", "REJECTED", "REJECTED")))
                .body("results.reasonCode", equalTo(java.util.Arrays.asList(null, "WRONG_PASSWORD", "NOT_SMIME",
                        "CORRUPT_FILE", "EMAIL_MISMATCH", "PURPOSE_MISMATCH", "INVALID_BASE64", "INVALID_BASE64")))
                .extract().asString();
        // The results name each problem without repeating a password or the file.
        org.junit.jupiter.api.Assertions.assertFalse(response.contains("pässwörd"), response);
        org.junit.jupiter.api.Assertions.assertFalse(response.contains("\"wrong\""), response);
        org.junit.jupiter.api.Assertions.assertFalse(
                response.contains(java.util.Base64.getEncoder().encodeToString(good).substring(0, 64)), response);
        org.junit.jupiter.api.Assertions.assertFalse(response.contains("not base64!"), response);
    }

    @Test
    void encryptedPasswordAccepted() throws Exception {
        String pem = given().get("/api/certificates/import-key").then().statusCode(200)
                .body("algorithm", equalTo("RSA-OAEP-256")).extract().path("publicKeyPem");
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        java.security.PublicKey publicKey = java.security.KeyFactory.getInstance("RSA")
                .generatePublic(new java.security.spec.X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
        javax.crypto.Cipher cipher = javax.crypto.Cipher.getInstance("RSA/ECB/OAEPPadding");
        cipher.init(javax.crypto.Cipher.ENCRYPT_MODE, publicKey, new javax.crypto.spec.OAEPParameterSpec("SHA-256", "MGF1",
                java.security.spec.MGF1ParameterSpec.SHA256, javax.crypto.spec.PSource.PSpecified.DEFAULT));
        String encrypted = Base64.getEncoder().encodeToString(cipher.doFinal("pässwörd".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        byte[] pkcs12 = TestPkcs12Files.single(TestPkcs12Files.Style.OPENSSL_AES256, TestPki.get().bobDual, true, PASSWORD);

        given().contentType(ContentType.JSON)
                .body(Map.of("files", List.of(
                        Map.of("email", "bob@example.test", "pkcs12", Base64.getEncoder().encodeToString(pkcs12),
                                "encryptedPassword", encrypted),
                        Map.of("email", "bob@example.test", "pkcs12", Base64.getEncoder().encodeToString(pkcs12),
                                "encryptedPassword", Base64.getEncoder().encodeToString(new byte[384])))))
                .post("/api/certificates/imports")
                .then().statusCode(200)
                .body("results[0].status", equalTo("IMPORTED"))
                .body("results[0].certificates[0].purpose", equalTo("DUAL"))
                .body("results[1].reasonCode", equalTo("INVALID_ENCRYPTED_PASSWORD"));
    }

    @Test
    void multipartUploadImportsEachFile() {
        TestPki pki = TestPki.get();
        byte[] first = TestPkcs12Files.single(TestPkcs12Files.Style.KEYTOOL_AES256, pki.aliceEnc2023, true, PASSWORD);
        byte[] second = TestPkcs12Files.single(TestPkcs12Files.Style.OPENSSL_LEGACY, pki.aliceEnc2020, false, PASSWORD);

        given().multiPart("file", "alice-2023.p12", first, "application/x-pkcs12")
                .multiPart("file", "alice-2020.p12", second, "application/x-pkcs12")
                .multiPart("email", "alice@example.test")
                .multiPart("purpose", "ENCRYPTION")
                .multiPart("password", "pässwörd", "text/plain; charset=UTF-8")
                .post("/api/certificates/imports")
                .then().statusCode(200)
                .body("results.status", equalTo(List.of("IMPORTED", "IMPORTED")))
                .body("results[1].certificates[0].purpose", equalTo("ENCRYPTION"));
    }

    @Test
    void emptyRequestIsProblem() {
        given().contentType(ContentType.JSON).body(Map.of("files", List.of())).post("/api/certificates/imports")
                .then().statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("files"));
    }
}
