package io.smimedelivery.certificate.delivery;

import static io.restassured.RestAssured.given;
import static io.smimedelivery.certificate.delivery.DeliveryTestSupport.assignment;
import static io.smimedelivery.certificate.delivery.DeliveryTestSupport.enrollment;
import static io.smimedelivery.certificate.delivery.DeliveryTestSupport.importCertificates;
import static io.smimedelivery.certificate.delivery.DeliveryTestSupport.newUser;
import static io.smimedelivery.certificate.delivery.DeliveryTestSupport.pem;
import static io.smimedelivery.certificate.delivery.DeliveryTestSupport.settings;
import static io.smimedelivery.certificate.delivery.DeliveryTestSupport.trustedRoot;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smimedelivery.certificate.delivery.DeliveryTestSupport.TestUser;
import io.smimedelivery.certificate.packaging.PackageEnvelope;
import io.smimedelivery.certificate.pkcs12.TestPki;
import io.smimedelivery.deviceauth.DeviceAuthorization;
import io.smimedelivery.deviceauth.DeviceTokenSigner;
import io.smimedelivery.events.CertificateRole;
import io.smimedelivery.events.DerivedCredentialRenewalDue;
import io.smimedelivery.events.EncryptionProfileType;
import io.smimedelivery.events.EndUserNotification;
import io.smimedelivery.events.EventJson;
import io.smimedelivery.events.PackageFailed;
import io.smimedelivery.events.PackageReady;
import io.smimedelivery.events.PackagedCertificate;
import io.smimedelivery.events.PolicySettings;
import io.smimedelivery.events.SigningProfileType;
import io.smimedelivery.events.SigningSource;
import io.smimedelivery.events.Topics;
import io.smimedelivery.infra.InfrastructureTestResource;
import io.smimedelivery.infra.TopicTraffic;

/**
 * Derived credentials through the real HTTP API and topics: a device reports the signing certificate a
 * derived-credential provider issued to it, the service checks it, and the package names it by thumbprint.
 */
@QuarkusTest
@WithTestResource(value = InfrastructureTestResource.class,
        initArgs = @ResourceArg(name = InfrastructureTestResource.DATABASE_ARG, value = "certificate"))
class DerivedCredentialTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String AUDIENCE = "certificate-service";
    private static TopicTraffic traffic;

    @BeforeAll
    static void watchTopics() {
        traffic = new TopicTraffic(Topics.CERTIFICATE_PACKAGES);
    }

    @AfterAll
    static void stopWatching() throws InterruptedException {
        traffic.close();
    }

    @Test
    void reportedCredentialJoinsThePackage() throws Exception {
        TestUser user = newUser("derek");
        importCertificates(user.email(), List.of(user.enc2023(), user.enc2026()));
        KeyPair deviceKeys = TestPki.get().rsa();
        String device = "dev-" + user.userId();
        TopicTraffic.send(assignment(user, "pol-" + user.userId(), 1,
                settings(SigningProfileType.DERIVED_CREDENTIAL, EncryptionProfileType.IMPORTED_PKCS)));
        TopicTraffic.send(enrollment(device, user.userId(), "iOS", deviceKeys));

        PackageFailed missing = traffic.await(PackageFailed.class, e -> e.deviceId().equals(device), 1, WAIT).get(0);
        assertEquals("DERIVED_CREDENTIAL_MISSING", missing.reasonCode());
        assertTrue(missing.detail().contains("signing"), missing.detail());

        // The provider issued an EC signing credential to the device; the device reports its certificate.
        TestPki.Issued credential = TestPki.get().user("Derek", null, user.email(), TestPki.get().ecP256(),
                Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(365)),
                KeyUsage.digitalSignature, KeyPurposeId.id_kp_emailProtection);
        DeviceTokenSigner signer = new DeviceTokenSigner(device, deviceKeys.getPrivate());
        given().header("Authorization", DeviceAuthorization.header(signer.sign(AUDIENCE))).contentType(ContentType.JSON)
                .body(Map.of("purpose", "SIGNING", "certificatePem", pem(credential.certificate()),
                        "chainPem", List.of(pem(TestPki.get().issuingCa.certificate()))))
                .post("/api/devices/{id}/derived-credentials", device).then().statusCode(200)
                .body("purpose", equalTo("SIGNING"));
        String thumbprint = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(credential.certificate().getEncoded()));

        PackageReady ready = traffic.await(PackageReady.class, e -> e.deviceId().equals(device), 1, WAIT).get(0);
        assertEquals(SigningSource.DERIVED_CREDENTIAL, ready.signingSource());
        final String expected = thumbprint;
        assertEquals(List.of(expected), ready.certificates().stream().filter(c -> c.role() == CertificateRole.SIGNING)
                .map(PackagedCertificate::thumbprintSha256).toList());

        byte[] envelope = given().header("Authorization", DeviceAuthorization.header(signer.sign(AUDIENCE)))
                .get("/api/devices/{id}/packages/{packageId}", device, ready.packageId()).then().statusCode(200)
                .extract().asByteArray();
        JsonNode document = EventJson.mapper().readTree(PackageEnvelope.open(envelope, deviceKeys.getPrivate()));
        JsonNode entry = null;
        for (JsonNode certificate : document.path("certificates")) {
            if (expected.equals(certificate.path("thumbprintSha256").asText())) {
                entry = certificate;
            }
        }
        assertTrue(entry != null, "the manifest names the derived credential");
        assertEquals("SIGNING", entry.path("role").asText());
        assertFalse(entry.path("inPkcs12").asBoolean(), "the device holds the key, so the PKCS#12 has none");
        assertEquals("DERIVED_CREDENTIAL", document.path("signing").path("source").asText());

        given().header("Authorization", DeviceAuthorization.header(signer.sign(AUDIENCE)))
                .get("/api/devices/{id}/derived-credentials", device).then().statusCode(200)
                .body("thumbprintSha256", hasItem(expected));
    }

    @Test
    void credentialPastEightyPercentIsAnnounced() {
        TestUser user = newUser("delia");
        importCertificates(user.email(), List.of(user.enc2026()));
        KeyPair deviceKeys = TestPki.get().rsa();
        String device = "dev-" + user.userId();
        TopicTraffic.send(assignment(user, "pol-" + user.userId(), 1,
                settings(SigningProfileType.DERIVED_CREDENTIAL, EncryptionProfileType.IMPORTED_PKCS)));
        TopicTraffic.send(enrollment(device, user.userId(), "iOS", deviceKeys));
        traffic.await(PackageFailed.class, e -> e.deviceId().equals(device), 1, WAIT);

        // 90 of its 100 days have passed, so the renewal is due at once.
        Instant now = Instant.now();
        TestPki.Issued credential = TestPki.get().user("Delia", null, user.email(), TestPki.get().ecP256(),
                now.minus(Duration.ofDays(90)), now.plus(Duration.ofDays(10)), KeyUsage.digitalSignature,
                KeyPurposeId.id_kp_emailProtection);
        DeviceTokenSigner signer = new DeviceTokenSigner(device, deviceKeys.getPrivate());
        report(signer, device, "SIGNING", pem(credential.certificate()), List.of(pem(TestPki.get().issuingCa.certificate())))
                .statusCode(200).body("renewalDueAt", org.hamcrest.Matchers.notNullValue());

        DerivedCredentialRenewalDue due = traffic.await(DerivedCredentialRenewalDue.class,
                e -> e.deviceId().equals(device), 1, WAIT).get(0);
        assertEquals("SIGNING", due.purpose());
        assertEquals("pol-" + user.userId(), due.policyId());
        assertTrue(due.dueAt().isBefore(now), "80 percent passed before now: " + due.dueAt());
    }

    @Test
    void invalidCredentialsAreRejected() {
        TestUser user = newUser("dina");
        KeyPair deviceKeys = TestPki.get().rsa();
        String device = "dev-" + user.userId();
        TopicTraffic.send(assignment(user, "pol-" + user.userId(), 1,
                settings(SigningProfileType.DERIVED_CREDENTIAL, EncryptionProfileType.DERIVED_CREDENTIAL)));
        TopicTraffic.send(enrollment(device, user.userId(), "iOS", deviceKeys));
        traffic.await(PackageFailed.class, e -> e.deviceId().equals(device), 1, WAIT);
        DeviceTokenSigner signer = new DeviceTokenSigner(device, deviceKeys.getPrivate());
        Instant now = Instant.now();
        String chain = pem(TestPki.get().issuingCa.certificate());

        // An encryption-only certificate reported for signing.
        TestPki.Issued encryptionOnly = TestPki.get().user("Dina", null, user.email(), TestPki.get().rsa(),
                now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)), KeyUsage.keyEncipherment,
                KeyPurposeId.id_kp_emailProtection);
        report(signer, device, "SIGNING", pem(encryptionOnly.certificate()), List.of(chain)).statusCode(400)
                .body("errors[0].field", equalTo("certificatePem"));

        // A certificate for another address.
        TestPki.Issued otherAddress = TestPki.get().user("Dina", null, "someone.else@example.test", TestPki.get().rsa(),
                now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)), KeyUsage.keyEncipherment,
                KeyPurposeId.id_kp_emailProtection);
        report(signer, device, "ENCRYPTION", pem(otherAddress.certificate()), List.of(chain)).statusCode(400)
                .body("errors[0].field", equalTo("certificatePem"));

        // A certificate from a CA that no policy trusts: the policy's roots are replaced by an unrelated root.
        TestPki.Issued valid = TestPki.get().user("Dina", null, user.email(), TestPki.get().rsa(),
                now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)), KeyUsage.keyEncipherment,
                KeyPurposeId.id_kp_emailProtection);
        TopicTraffic.send(assignment(user, "pol-" + user.userId(), 2, new PolicySettings(true, false, true,
                SigningProfileType.DERIVED_CREDENTIAL, EncryptionProfileType.DERIVED_CREDENTIAL,
                EndUserNotification.COMPANY_PORTAL, false, true, true, true, "ldaps://ldap.example.test:636",
                List.of(trustedRoot(TestPki.get().carolSignEc.certificate())), null)));
        traffic.await(PackageFailed.class, e -> e.deviceId().equals(device) && e.policyVersion() == 2, 1, WAIT);
        report(signer, device, "ENCRYPTION", pem(valid.certificate()), List.of(chain)).statusCode(400)
                .body("detail", org.hamcrest.Matchers.containsString("chain"));

        // Wrong purpose name, and no token at all.
        report(signer, device, "BOTH", pem(valid.certificate()), List.of(chain)).statusCode(400)
                .body("errors[0].field", equalTo("purpose"));
        given().contentType(ContentType.JSON).body(Map.of("purpose", "SIGNING", "certificatePem", "x"))
                .post("/api/devices/{id}/derived-credentials", device).then().statusCode(401);
    }

    @Test
    void overlongChainIsRejected() {
        TestUser user = newUser("dora");
        KeyPair deviceKeys = TestPki.get().rsa();
        String device = "dev-" + user.userId();
        TopicTraffic.send(assignment(user, "pol-" + user.userId(), 1,
                settings(SigningProfileType.DERIVED_CREDENTIAL, EncryptionProfileType.IMPORTED_PKCS)));
        TopicTraffic.send(enrollment(device, user.userId(), "iOS", deviceKeys));
        traffic.await(PackageFailed.class, e -> e.deviceId().equals(device), 1, WAIT);
        DeviceTokenSigner signer = new DeviceTokenSigner(device, deviceKeys.getPrivate());
        Instant now = Instant.now();
        TestPki.Issued credential = TestPki.get().user("Dora", null, user.email(), TestPki.get().ecP256(),
                now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)), KeyUsage.digitalSignature,
                KeyPurposeId.id_kp_emailProtection);
        // The test profile sets smime.limits.chain-certificates to 3.
        String chain = pem(TestPki.get().issuingCa.certificate());

        report(signer, device, "SIGNING", pem(credential.certificate()), List.of(chain, chain, chain, chain))
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("chainPem"))
                .body("errors[0].value", equalTo("4 certificates"))
                .body("errors[0].message", org.hamcrest.Matchers.containsString("smime.limits.chain-certificates"));
        given().header("Authorization", DeviceAuthorization.header(signer.sign(AUDIENCE)))
                .get("/api/devices/{id}/derived-credentials", device).then().statusCode(200)
                .body("size()", equalTo(0));
    }

    @Test
    void policyWithoutDerivedCredentialsGetsConflict() {
        TestUser user = newUser("dario");
        KeyPair deviceKeys = TestPki.get().rsa();
        String device = "dev-" + user.userId();
        TopicTraffic.send(assignment(user, "pol-" + user.userId(), 1,
                settings(SigningProfileType.IMPORTED_PKCS, EncryptionProfileType.IMPORTED_PKCS)));
        TopicTraffic.send(enrollment(device, user.userId(), "iOS", deviceKeys));
        traffic.await(PackageFailed.class, e -> e.deviceId().equals(device), 1, WAIT);
        DeviceTokenSigner signer = new DeviceTokenSigner(device, deviceKeys.getPrivate());
        report(signer, device, "SIGNING", pem(user.sign().certificate()), List.of()).statusCode(409);
    }

    private static io.restassured.response.ValidatableResponse report(DeviceTokenSigner signer, String device,
            String purpose, String certificatePem, List<String> chain) {
        return given().header("Authorization", DeviceAuthorization.header(signer.sign(AUDIENCE))).contentType(ContentType.JSON)
                .body(Map.of("purpose", purpose, "certificatePem", certificatePem, "chainPem", chain))
                .post("/api/devices/{id}/derived-credentials", device).then();
    }
}
