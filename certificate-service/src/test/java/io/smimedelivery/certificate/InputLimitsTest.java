package io.smimedelivery.certificate;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.smimedelivery.certificate.entity.ImportedCertificate;
import io.smimedelivery.certificate.pkcs12.TestPkcs12Files;
import io.smimedelivery.certificate.pkcs12.TestPki;
import io.smimedelivery.infra.InfrastructureTestResource;

/**
 * The smime.limits settings over HTTP, with the small values of the test profile in
 * application.properties: 8 files per import, 16 KiB per PKCS#12 file and 16 KiB per SCEP message. A
 * rejected import stores none of its files.
 */
@QuarkusTest
@WithTestResource(value = InfrastructureTestResource.class,
        initArgs = @ResourceArg(name = InfrastructureTestResource.DATABASE_ARG, value = "certificate"))
class InputLimitsTest {

    private static final int MAX_FILES = 8;
    private static final int MAX_FILE_BYTES = 16 * 1024;
    private static final int MAX_SCEP_MESSAGE_BYTES = 16 * 1024;
    private static final String PASSWORD = "pässwörd";

    @Test
    void tooManyJsonFilesIsProblem() {
        List<Map<String, Object>> files = new ArrayList<>();
        for (int i = 0; i <= MAX_FILES; i++) {
            files.add(file(validPkcs12()));
        }
        long before = storedCertificates();

        given().contentType(ContentType.JSON).body(Map.of("files", files)).post("/api/certificates/imports")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("files"))
                .body("errors[0].value", equalTo(Integer.toString(MAX_FILES + 1)))
                .body("detail", containsString("smime.limits.import-files"))
                .body("detail", containsString("at most " + MAX_FILES));

        assertEquals(before, storedCertificates());
    }

    @Test
    void tooManyUploadsIsProblem() {
        RequestSpecification request = given();
        for (int i = 0; i <= MAX_FILES; i++) {
            request = request.multiPart("file", "alice-" + i + ".p12", validPkcs12(), "application/x-pkcs12");
        }
        long before = storedCertificates();

        request.multiPart("email", "alice@example.test").multiPart("password", PASSWORD, "text/plain; charset=UTF-8")
                .post("/api/certificates/imports")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("file"))
                .body("detail", containsString("smime.limits.import-files"));

        assertEquals(before, storedCertificates());
    }

    @Test
    void oversizedJsonFileIsProblem() {
        byte[] oversized = new byte[MAX_FILE_BYTES + 1];
        long before = storedCertificates();

        given().contentType(ContentType.JSON).body(Map.of("files", List.of(file(validPkcs12()), file(oversized))))
                .post("/api/certificates/imports")
                .then().statusCode(413)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:smime-delivery:problem:file-too-large"))
                .body("errors[0].field", equalTo("files[1].pkcs12"))
                .body("errors[0].value", equalTo((MAX_FILE_BYTES + 1) + " bytes"))
                .body("detail", containsString("smime.limits.pkcs12-file-size"))
                .body("detail", containsString(Integer.toString(MAX_FILE_BYTES)));

        assertEquals(before, storedCertificates(), "the valid first file is not imported either");
    }

    @Test
    void fileAtLimitPassesSizeCheck() {
        // Exactly the maximum passes the size check; the importer then rejects the bytes as no PKCS#12.
        given().contentType(ContentType.JSON).body(Map.of("files", List.of(file(new byte[MAX_FILE_BYTES]))))
                .post("/api/certificates/imports")
                .then().statusCode(200)
                .body("results[0].status", equalTo("REJECTED"));
    }

    @Test
    void oversizedUploadIsProblem() {
        long before = storedCertificates();

        given().multiPart("file", "alice.p12", validPkcs12(), "application/x-pkcs12")
                .multiPart("file", "big.p12", new byte[MAX_FILE_BYTES + 1], "application/x-pkcs12")
                .multiPart("email", "alice@example.test").multiPart("password", PASSWORD, "text/plain; charset=UTF-8")
                .post("/api/certificates/imports")
                .then().statusCode(413)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("file[1]"))
                .body("detail", containsString("smime.limits.pkcs12-file-size"));

        assertEquals(before, storedCertificates());
    }

    @Test
    void oversizedScepMessageIsProblem() {
        given().contentType("application/x-pki-message").body(new byte[MAX_SCEP_MESSAGE_BYTES + 1])
                .post("/scep?operation=PKIOperation")
                .then().statusCode(413)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:smime-delivery:problem:message-too-large"))
                .body("errors[0].field", equalTo("body"))
                .body("errors[0].value", equalTo((MAX_SCEP_MESSAGE_BYTES + 1) + " bytes"))
                .body("detail", containsString("smime.limits.scep-message-size"));
    }

    private static byte[] validPkcs12() {
        TestPki pki = TestPki.get();
        return TestPkcs12Files.single(TestPkcs12Files.Style.OPENSSL_AES256, pki.aliceEnc2026, true, PASSWORD.toCharArray());
    }

    private static Map<String, Object> file(byte[] pkcs12) {
        return Map.of("email", "alice@example.test", "purpose", "ENCRYPTION",
                "pkcs12", Base64.getMimeEncoder().encodeToString(pkcs12), "password", PASSWORD);
    }

    private static long storedCertificates() {
        return QuarkusTransaction.requiringNew().call(() -> ImportedCertificate.count());
    }
}
