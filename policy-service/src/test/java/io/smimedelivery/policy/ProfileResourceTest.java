package io.smimedelivery.policy;

import static io.restassured.RestAssured.given;
import static io.smimedelivery.policy.PolicyApi.createPolicy;
import static io.smimedelivery.policy.PolicyApi.validPolicy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.io.StringWriter;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smimedelivery.infra.InfrastructureTestResource;

@QuarkusTest
@WithTestResource(value = InfrastructureTestResource.class,
        initArgs = @ResourceArg(name = InfrastructureTestResource.DATABASE_ARG, value = "policy"))
class ProfileResourceTest {

    @Test
    void caCertificateUploadedAsPemAndDer() throws Exception {
        X509CertificateHolder root = certificate("CN=Contoso Root CA " + System.nanoTime() + ",O=Contoso,C=IT", true);
        X509CertificateHolder other = certificate("CN=Contoso Other CA " + System.nanoTime() + ",O=Contoso,C=IT", true);

        given().contentType(ContentType.JSON).body(Map.of("name", "Contoso Root", "certificatePem", pem(root)))
                .post("/api/trusted-roots")
                .then().statusCode(201).body("name", equalTo("Contoso Root")).body("subjectDn", containsString("Contoso Root CA"));
        given().contentType("application/pkix-cert").queryParam("name", "Other").body(other.getEncoded())
                .post("/api/trusted-roots")
                .then().statusCode(201).body("expired", equalTo(false));
        given().contentType(ContentType.JSON).body(Map.of("name", "Again", "certificatePem", pem(root)))
                .post("/api/trusted-roots")
                .then().statusCode(409).contentType("application/problem+json");
    }

    @Test
    void endEntityCertificateRejected() throws Exception {
        X509CertificateHolder leaf = certificate("CN=mario.rossi@example.it", false);

        given().contentType(ContentType.JSON).body(Map.of("name", "Not a CA", "certificatePem", pem(leaf)))
                .post("/api/trusted-roots")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("certificate"))
                .body("errors[0].message", containsString("NOT_A_CA"));
    }

    @Test
    void scepProfileValidatedAndUsedBySigning() throws Exception {
        String rootId = given().contentType(ContentType.JSON)
                .body(Map.of("name", "SCEP root", "certificatePem", pem(certificate("CN=SCEP Root " + System.nanoTime(), true))))
                .post("/api/trusted-roots").then().statusCode(201).extract().path("id");
        Map<String, Object> profile = scepProfile(rootId);

        String profileId = given().contentType(ContentType.JSON).body(profile).post("/api/scep-profiles")
                .then().statusCode(201)
                .body("definition.extendedKeyUsages", hasItem("1.3.6.1.5.5.7.3.4"))
                .extract().path("id");
        Map<String, Object> policy = validPolicy("SCEP signing");
        policy.put("signingCertificateProfileType", "SCEP");
        policy.put("scepProfileId", profileId);
        policy.put("trustedRootProfileIds", List.of(rootId));
        createPolicy(policy);

        given().delete("/api/scep-profiles/{id}", profileId).then().statusCode(409).contentType("application/problem+json");
        given().delete("/api/trusted-roots/{id}", rootId).then().statusCode(409).contentType("application/problem+json");
    }

    @Test
    void badScepProfileReportsEveryField() throws Exception {
        Map<String, Object> profile = scepProfile("00000000-0000-4000-8000-000000000000");
        profile.put("subjectNameFormat", "CN={{Foo}}");
        profile.put("keySize", 1024);
        profile.put("validityMonths", 36);

        given().contentType(ContentType.JSON).body(profile).post("/api/scep-profiles")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("subjectNameFormat"))
                .body("errors.field", hasItem("keySize"))
                .body("errors.field", hasItem("validityMonths"))
                .body("errors.find { it.field == 'subjectNameFormat' }.message", containsString("position 3"));
    }

    private static Map<String, Object> scepProfile(String rootId) {
        Map<String, Object> profile = new HashMap<>();
        profile.put("name", "Per-device signing");
        profile.put("certificateType", "user");
        profile.put("subjectNameFormat", "CN={{UserName}},E={{EmailAddress}},O=Contoso Italia,C=IT");
        profile.put("subjectAlternativeNames", List.of(Map.of("type", "EMAIL", "value", "{{EmailAddress}}"),
                Map.of("type", "UPN", "value", "{{UserPrincipalName}}")));
        profile.put("keySize", 2048);
        profile.put("keyUsages", List.of("DIGITAL_SIGNATURE"));
        profile.put("validityMonths", 12);
        profile.put("extendedKeyUsages", List.of("emailProtection", "1.3.6.1.5.5.7.3.2"));
        profile.put("renewalThresholdPercent", 20);
        profile.put("rootProfileId", rootId);
        return profile;
    }

    static X509CertificateHolder certificate(String subject, boolean ca) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        Instant now = Instant.now();
        X500Name name = new X500Name(subject);
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(1, ChronoUnit.DAYS)), Date.from(now.plus(365, ChronoUnit.DAYS)), name, keys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        builder.addExtension(Extension.keyUsage, true,
                new KeyUsage(ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature));
        return builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate()));
    }

    static String pem(X509CertificateHolder certificate) throws Exception {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(certificate);
        }
        return text.toString();
    }
}
