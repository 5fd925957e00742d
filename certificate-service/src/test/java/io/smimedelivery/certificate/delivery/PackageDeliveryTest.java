package io.smimedelivery.certificate.delivery;

import static io.restassured.RestAssured.given;
import static io.smimedelivery.certificate.delivery.DeliveryTestSupport.assignment;
import static io.smimedelivery.certificate.delivery.DeliveryTestSupport.enrollment;
import static io.smimedelivery.certificate.delivery.DeliveryTestSupport.importCertificates;
import static io.smimedelivery.certificate.delivery.DeliveryTestSupport.newUser;
import static io.smimedelivery.certificate.delivery.DeliveryTestSupport.openssl;
import static io.smimedelivery.certificate.delivery.DeliveryTestSupport.opensslExit;
import static io.smimedelivery.certificate.delivery.DeliveryTestSupport.settings;
import static io.smimedelivery.certificate.delivery.DeliveryTestSupport.writeKey;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.smimedelivery.infra.TopicTraffic;
import io.quarkus.test.junit.QuarkusTest;
import io.smimedelivery.certificate.delivery.DeliveryTestSupport.TestUser;
import io.smimedelivery.certificate.pkcs12.TestPki;
import io.smimedelivery.deviceauth.DeviceAuthorization;
import io.smimedelivery.deviceauth.DeviceTokenSigner;
import io.smimedelivery.events.CertificateRole;
import io.smimedelivery.events.DeviceRetired;
import io.smimedelivery.common.jdbc.Sql;
import io.smimedelivery.events.EncryptionProfileType;
import io.smimedelivery.events.EventJson;
import io.smimedelivery.events.PackageFailed;
import io.smimedelivery.events.SigningCertificateFailed;
import io.smimedelivery.events.SigningCertificateIssued;
import io.smimedelivery.events.PackageReady;
import io.smimedelivery.events.PackageRetrieved;
import io.smimedelivery.events.PackageRevoked;
import io.smimedelivery.events.PackagedCertificate;
import io.smimedelivery.events.PolicyAssigned;
import io.smimedelivery.events.PolicyUnassigned;
import io.smimedelivery.events.SigningProfileType;
import io.smimedelivery.events.SigningSource;
import io.smimedelivery.events.Topics;
import io.smimedelivery.infra.InfrastructureTestResource;

/**
 * Assignment, enrollment, renewal, retirement and unassignment through the real topics, with packages
 * opened by openssl as a device would open them.
 */
@QuarkusTest
@WithTestResource(value = InfrastructureTestResource.class,
        initArgs = @ResourceArg(name = InfrastructureTestResource.DATABASE_ARG, value = "certificate"))
@WithTestResource(io.smimedelivery.certificate.scep.ScepCaTestResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PackageDeliveryTest {

    /** Bytes that must never appear on a topic, collected while the tests run. */
    private static final List<byte[]> SECRETS = new java.util.concurrent.CopyOnWriteArrayList<>();

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String AUDIENCE = "certificate-service";
    private static TopicTraffic traffic;

    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @BeforeAll
    static void watchTopics() {
        traffic = new TopicTraffic(Topics.CERTIFICATE_PACKAGES);
    }

    @AfterAll
    static void stopWatching() throws InterruptedException {
        traffic.close();
    }

    @Test
    @Order(1)
    void devicesReceiveWhatOnlyTheyCanOpen(@TempDir Path dir) throws Exception {
        TestUser user = newUser("dora");
        user.all().forEach(issued -> secret(issued.keyPair().getPrivate().getEncoded()));
        secret(utf8(DeliveryTestSupport.PASSWORD));
        importCertificates(user.email(), user.all());
        KeyPair phoneKeys = TestPki.get().rsa();
        KeyPair padKeys = ecP256();
        String phone = "dev-phone-" + user.userId();
        String pad = "dev-pad-" + user.userId();
        String android = "dev-android-" + user.userId();

        PolicyAssigned assigned = assignment(user, "pol-" + user.userId(), 1,
                settings(SigningProfileType.IMPORTED_PKCS, EncryptionProfileType.IMPORTED_PKCS));
        String assignmentEventId = TopicTraffic.send(assigned);
        TopicTraffic.send(enrollment(phone, user.userId(), "iOS", phoneKeys));
        TopicTraffic.send(enrollment(pad, user.userId(), "iPadOS", padKeys));
        TopicTraffic.send(enrollment(android, user.userId(), "Android", TestPki.get().rsa()));

        List<PackageReady> ready = traffic.await(PackageReady.class, e -> e.userId().equals(user.userId()), 2, WAIT);
        assertEquals(Set.of(phone, pad), ready.stream().map(PackageReady::deviceId).collect(Collectors.toSet()),
                "one package per managed iPhone and iPad, none for Android");
        PackageReady phoneReady = ready.stream().filter(e -> e.deviceId().equals(phone)).findFirst().orElseThrow();
        assertEquals(SigningSource.IMPORTED_PKCS, phoneReady.signingSource());
        List<PackagedCertificate> encryption = phoneReady.certificates().stream()
                .filter(c -> c.role() == CertificateRole.ENCRYPTION).toList();
        assertEquals(List.of(thumbprint(user.enc2026()), thumbprint(user.enc2023()), thumbprint(user.enc2020())),
                encryption.stream().map(PackagedCertificate::thumbprintSha256).toList(),
                "the whole encryption history, current first, expired included");
        assertTrue(encryption.get(0).current());
        assertFalse(encryption.get(1).current());
        assertEquals(List.of(thumbprint(user.sign())), phoneReady.certificates().stream()
                .filter(c -> c.role() == CertificateRole.SIGNING).map(PackagedCertificate::thumbprintSha256).toList());
        assertEquals(2, phoneReady.certificates().stream().filter(c -> c.role() == CertificateRole.TRUSTED_ROOT
                || c.role() == CertificateRole.INTERMEDIATE).count());

        // The device lists its packages and downloads the body with a token signed by its key.
        DeviceTokenSigner phoneSigner = new DeviceTokenSigner(phone, phoneKeys.getPrivate());
        String downloadPath = given().header("Authorization", DeviceAuthorization.header(phoneSigner.sign(AUDIENCE)))
                .get("/api/devices/{id}/packages", phone)
                .then().statusCode(200).body("", hasSize(1)).body("[0].status", equalTo("READY"))
                .body("[0].packageId", equalTo(phoneReady.packageId()))
                .extract().path("[0].downloadPath");
        byte[] envelope = given().header("Authorization", DeviceAuthorization.header(phoneSigner.sign(AUDIENCE)))
                .get(downloadPath).then().statusCode(200)
                .header("Content-Type", org.hamcrest.Matchers.startsWith("application/pkcs7-mime"))
                .extract().asByteArray();
        traffic.await(PackageRetrieved.class, e -> e.packageId().equals(phoneReady.packageId()), 1, WAIT);

        // openssl opens the envelope with the device key and nothing else.
        Files.write(dir.resolve("package.p7m"), envelope);
        writeKey(dir, "phone-key.pem", phoneKeys.getPrivate());
        writeKey(dir, "pad-key.pem", padKeys.getPrivate());
        openssl(dir, "cms", "-decrypt", "-inform", "DER", "-in", "package.p7m", "-inkey", "phone-key.pem",
                "-out", "package.json");
        assertNotEquals(0, opensslExit(dir, "cms", "-decrypt", "-debug_decrypt", "-inform", "DER", "-in", "package.p7m", "-inkey",
                "pad-key.pem", "-out", "other.json"), "another device's key cannot open the package");
        String structure = openssl(dir, "cms", "-cmsout", "-print", "-inform", "DER", "-in", "package.p7m");
        assertTrue(structure.contains("rsaesOaep"), structure);
        assertTrue(structure.contains("sha256"), structure);
        assertTrue(structure.contains("aes-256-cbc"), structure);

        JsonNode document = EventJson.mapper().readTree(Files.readAllBytes(dir.resolve("package.json")));
        assertEquals("smime-device-package/1", document.path("format").asText());
        assertEquals(phone, document.path("deviceId").asText());
        assertEquals("true", document.path("appConfig").path("com.microsoft.outlook.Mail.SMIMEEnabled").asText());
        assertEquals(user.upn(), document.path("appConfig").path("IntuneMAMUPN").asText());
        assertEquals("legacy-3des", document.path("pkcs12").path("encoding").asText());
        byte[] pkcs12 = Base64.getDecoder().decode(document.path("pkcs12").path("data").asText());
        secret(pkcs12);
        secret(utf8(document.path("pkcs12").path("password").asText()));
        secret(envelope);
        Files.write(dir.resolve("user.p12"), pkcs12);
        Files.writeString(dir.resolve("p12-password.txt"), document.path("pkcs12").path("password").asText());

        // openssl reads the PKCS#12: four keys with their certificates and the two CA certificates.
        String contents = openssl(dir, "pkcs12", "-in", "user.p12", "-passin", "file:p12-password.txt", "-nodes");
        assertEquals(4, count(contents, "-----BEGIN PRIVATE KEY-----"), "three encryption keys and one signing key");
        assertEquals(6, count(contents, "-----BEGIN CERTIFICATE-----"));
        assertEquals(4, contents.lines().map(String::strip).filter(line -> line.startsWith("friendlyName:")).distinct()
                .count(), "each key has a name of its own, because readers keep one entry per name");
        openssl(dir, "pkcs12", "-in", "user.p12", "-passin", "file:p12-password.txt", "-nodes", "-out", "all.pem");

        // Mail encrypted in the past to the superseded 2023 certificate is still readable on the device.
        Files.writeString(dir.resolve("enc-2023.pem"), DeliveryTestSupport.pem(user.enc2023().certificate()));
        Files.writeString(dir.resolve("old-mail.txt"), "Messaggio del 2024: la chiave vecchia serve ancora.\n");
        openssl(dir, "cms", "-encrypt", "-aes128", "-in", "old-mail.txt", "-out", "old-mail.eml", "enc-2023.pem");
        openssl(dir, "pkcs12", "-in", "user.p12", "-passin", "file:p12-password.txt", "-nodes", "-nocerts", "-out",
                "keys.pem");
        String decrypted = decryptWithAnyKey(dir, "old-mail.eml", "keys.pem").replace("\r\n", "\n");
        assertEquals("Messaggio del 2024: la chiave vecchia serve ancora.\n", decrypted);

        // The current keys sign and encrypt a new message that openssl verifies and decrypts.
        Files.writeString(dir.resolve("sign.pem"), DeliveryTestSupport.pem(user.sign().certificate()));
        Files.writeString(dir.resolve("enc-2026.pem"), DeliveryTestSupport.pem(user.enc2026().certificate()));
        writeKey(dir, "sign-key.pem", user.sign().keyPair().getPrivate());
        Files.writeString(dir.resolve("chain.pem"), DeliveryTestSupport.pem(TestPki.get().rootCa.certificate())
                + DeliveryTestSupport.pem(TestPki.get().issuingCa.certificate()));
        Files.writeString(dir.resolve("new-mail.txt"), "Nuovo messaggio firmato e cifrato.\n");
        openssl(dir, "cms", "-sign", "-in", "new-mail.txt", "-signer", "sign.pem", "-inkey", "sign-key.pem", "-out",
                "signed.eml");
        openssl(dir, "cms", "-encrypt", "-aes256", "-in", "signed.eml", "-out", "new-mail.eml", "enc-2026.pem");
        String opened = decryptWithAnyKey(dir, "new-mail.eml", "keys.pem");
        Files.writeString(dir.resolve("opened.eml"), opened);
        assertTrue(openssl(dir, "cms", "-verify", "-in", "opened.eml", "-CAfile", "chain.pem", "-purpose", "smimesign")
                .contains("Nuovo messaggio firmato e cifrato."));

        // A redelivered assignment changes nothing.
        TopicTraffic.send(assignmentEventId, assigned);

        // Renewal: a new encryption certificate replaces both packages.
        TestPki.Issued enc2026b = TestPki.get().user("dora", user.email(), user.email(), TestPki.get().rsa(),
                "2026-12-01", "2029-12-01", KeyUsage.keyEncipherment, KeyPurposeId.id_kp_emailProtection);
        importCertificates(user.email(), List.of(enc2026b));
        List<PackageReady> renewed = traffic.await(PackageReady.class, e -> e.userId().equals(user.userId())
                && e.certificates().stream().anyMatch(c -> c.current() && c.thumbprintSha256().equals(thumbprint(enc2026b))),
                2, WAIT);
        assertEquals(4, renewed.get(0).certificates().stream().filter(c -> c.role() == CertificateRole.ENCRYPTION).count());
        traffic.await(PackageRevoked.class, e -> e.userId().equals(user.userId()) && e.reason().equals("SUPERSEDED"), 2, WAIT);
        given().header("Authorization", DeviceAuthorization.header(phoneSigner.sign(AUDIENCE))).get(downloadPath)
                .then().statusCode(410);

        // Retirement revokes the device's package; unassignment revokes the rest.
        TopicTraffic.send(new DeviceRetired(pad, user.userId(), "Lost", java.time.Instant.now()));
        traffic.await(PackageRevoked.class, e -> e.deviceId().equals(pad) && e.reason().equals("DEVICE_RETIRED"), 1, WAIT);
        TopicTraffic.send(new PolicyUnassigned(assigned.policyId(), 1, user.userId(), "USER_LEFT_GROUP",
                java.time.Instant.now()));
        traffic.await(PackageRevoked.class, e -> e.deviceId().equals(phone) && e.reason().equals("POLICY_UNASSIGNED"), 1,
                WAIT);

        Thread.sleep(1500);
        assertEquals(4, traffic.events(PackageReady.class, e -> e.userId().equals(user.userId())).size(),
                "two first packages and two renewals, no package from the redelivered assignment");
        assertEquals(0, traffic.events(PackageFailed.class, e -> e.userId().equals(user.userId())).size());
        given().header("Authorization", DeviceAuthorization.header(phoneSigner.sign(AUDIENCE)))
                .get("/api/devices/{id}/packages", phone).then().statusCode(200).body("", hasSize(0));
        given().header("Authorization", DeviceAuthorization.header(new DeviceTokenSigner(pad, padKeys.getPrivate())
                .sign(AUDIENCE))).get("/api/devices/{id}/packages", pad).then().statusCode(401);
    }

    @Test
    @Order(2)
    void failuresNameTheirReason() {
        // No certificate at all.
        TestUser erin = newUser("erin");
        TopicTraffic.send(assignment(erin, "pol-" + erin.userId(), 1,
                settings(SigningProfileType.IMPORTED_PKCS, EncryptionProfileType.IMPORTED_PKCS)));
        TopicTraffic.send(enrollment("dev-" + erin.userId(), erin.userId(), "iOS", TestPki.get().rsa()));
        PackageFailed none = traffic.await(PackageFailed.class, e -> e.userId().equals(erin.userId()), 1, WAIT).get(0);
        assertEquals("NO_ENCRYPTION_CERTIFICATE", none.reasonCode());
        assertTrue(none.detail().contains(erin.email()), none.detail());

        // Certificates imported by principal name before the assignment, issued to an old address.
        TestUser gina = newUser("gina");
        TestUser oldGina = newUser("gina-old");
        importCertificates("userPrincipalName", gina.upn(), List.of(oldGina.enc2026(), oldGina.sign()));
        TopicTraffic.send(assignment(gina, "pol-" + gina.userId(), 1,
                settings(SigningProfileType.IMPORTED_PKCS, EncryptionProfileType.IMPORTED_PKCS)));
        TopicTraffic.send(enrollment("dev-" + gina.userId(), gina.userId(), "iOS", TestPki.get().rsa()));
        PackageFailed mismatch = traffic.await(PackageFailed.class, e -> e.userId().equals(gina.userId()), 1, WAIT).get(0);
        assertEquals("EMAIL_MISMATCH", mismatch.reasonCode());
        assertTrue(mismatch.detail().contains(oldGina.email()), mismatch.detail());
        assertTrue(mismatch.detail().contains(gina.email()), mismatch.detail());

        // Once the user is assigned, an import by principal name is checked against the primary address.
        TestUser other = newUser("other");
        given().contentType(io.restassured.http.ContentType.JSON).body(java.util.Map.of("files", List.of(java.util.Map.of(
                "userPrincipalName", gina.upn(), "pkcs12", Base64.getEncoder().encodeToString(
                        io.smimedelivery.certificate.pkcs12.TestPkcs12Files.single(
                                io.smimedelivery.certificate.pkcs12.TestPkcs12Files.Style.OPENSSL_LEGACY, other.enc2026(),
                                true, DeliveryTestSupport.PASSWORD.toCharArray())),
                "password", DeliveryTestSupport.PASSWORD))))
                .post("/api/certificates/imports").then().statusCode(200)
                .body("results[0].status", equalTo("REJECTED"))
                .body("results[0].reasonCode", equalTo("EMAIL_MISMATCH"));

        // A correct import afterwards replaces the failure with a package.
        importCertificates("userPrincipalName", gina.upn(), List.of(gina.enc2026(), gina.sign()));
        traffic.await(PackageReady.class, e -> e.userId().equals(gina.userId()), 1, WAIT);
    }

    @Test
    @Order(3)
    void scepSigningLeavesSigningToTheDevice() throws Exception {
        TestUser hugo = newUser("hugo");
        importCertificates(hugo.email(), hugo.all());
        KeyPair deviceKeys = TestPki.get().rsa();
        String device = "dev-" + hugo.userId();
        TopicTraffic.send(assignment(hugo, "pol-" + hugo.userId(), 1,
                settings(SigningProfileType.SCEP, EncryptionProfileType.IMPORTED_PKCS)));
        TopicTraffic.send(enrollment(device, hugo.userId(), "iOS", deviceKeys));
        PackageReady ready = traffic.await(PackageReady.class, e -> e.userId().equals(hugo.userId()), 1, WAIT).get(0);
        assertEquals(SigningSource.SCEP, ready.signingSource());
        assertEquals(0, ready.certificates().stream().filter(c -> c.role() == CertificateRole.SIGNING).count());
        assertEquals(3, ready.certificates().stream().filter(c -> c.role() == CertificateRole.ENCRYPTION).count());

        // The package contains the SCEP request to make, with a challenge only this device can read.
        DeviceTokenSigner signer = new DeviceTokenSigner(device, deviceKeys.getPrivate());
        byte[] envelope = given().header("Authorization", DeviceAuthorization.header(signer.sign(AUDIENCE)))
                .get("/api/devices/{id}/packages/{packageId}", device, ready.packageId()).then().statusCode(200)
                .extract().asByteArray();
        com.fasterxml.jackson.databind.JsonNode scep = io.smimedelivery.events.EventJson.mapper()
                .readTree(io.smimedelivery.certificate.packaging.PackageEnvelope.open(envelope, deviceKeys.getPrivate()))
                .path("scep");
        String userName = hugo.upn().substring(0, hugo.upn().indexOf('@')).toLowerCase(java.util.Locale.ROOT);
        assertEquals("CN=" + userName + ",E=" + hugo.email(), scep.path("subject").asText());
        assertEquals(hugo.email(), scep.path("subjectAlternativeNames").path(0).path("value").asText());
        assertEquals(2048, scep.path("keySize").asInt());
        assertEquals(600, scep.path("challengeLifetimeSeconds").asLong(), "PT10M from ScepCaTestResource");
        assertEquals(32, scep.path("challenge").asText().length());
        assertTrue(scep.path("url").asText().endsWith("/scep"), scep.path("url").asText());

        // A SCEP client enrolls with the challenge; the same challenge does not work twice.
        String challenge = scep.path("challenge").asText();
        SECRETS.add(challenge.getBytes(StandardCharsets.US_ASCII));
        io.smimedelivery.certificate.scep.ScepTestClient client = new io.smimedelivery.certificate.scep.ScepTestClient(
                "http://127.0.0.1:" + port + "/scep");
        KeyPair signingKeys = TestPki.get().rsa();
        assertTrue(client.enroll(signingKeys, scep.path("subject").asText(), challenge, hugo.email()).isSuccess());
        SigningCertificateIssued issued = traffic.await(SigningCertificateIssued.class,
                e -> e.deviceId().equals(device), 1, WAIT).get(0);
        assertEquals("pol-" + hugo.userId(), issued.policyId());
        assertTrue(client.enroll(TestPki.get().rsa(), scep.path("subject").asText(), challenge, hugo.email()).isFailure());
        SigningCertificateFailed failed = traffic.await(SigningCertificateFailed.class,
                e -> e.deviceId().equals(device), 1, WAIT).get(0);
        assertEquals("CHALLENGE_REUSED", failed.reasonCode());
        assertFalse(failed.detail().contains(challenge), "the failure names no challenge");

        // Retiring the device revokes its SCEP certificate, and the CA's CRL lists it.
        TopicTraffic.send(new DeviceRetired(device, hugo.userId(), "Lost", java.time.Instant.now()));
        traffic.await(io.smimedelivery.events.PackageRevoked.class, e -> e.deviceId().equals(device), 1, WAIT);
        Path dir = java.nio.file.Files.createTempDirectory("scep-crl");
        java.nio.file.Files.write(dir.resolve("crl.der"), given().get("/scep/crl").then().statusCode(200)
                .contentType("application/pkix-crl").extract().asByteArray());
        java.nio.file.Files.writeString(dir.resolve("ca.pem"), DeliveryTestSupport.pem(new org.bouncycastle.cert.X509CertificateHolder(
                io.smimedelivery.certificate.scep.ScepCaTestResource.caCertificate().getEncoded())));
        // openssl crl exits with 1 when the signature does not verify against -CAfile; openssl() fails on that.
        String crl = openssl(dir, "crl", "-inform", "DER", "-in", "crl.der", "-CAfile", "ca.pem", "-noout", "-text");
        assertTrue(java.nio.file.Files.readString(dir.resolve("openssl-stderr.txt")).contains("verify OK"),
                "openssl reports the CA signature as verified");
        assertTrue(crl.toUpperCase(java.util.Locale.ROOT).contains(issued.serialNumber().toUpperCase(java.util.Locale.ROOT)),
                "the CRL lists serial " + issued.serialNumber() + ":\n" + crl);
        assertTrue(crl.contains("Cessation Of Operation"), crl);
    }

    @Test
    @Order(3)
    void scepPolicyWithoutProfileFails() {
        TestUser ida = newUser("ida");
        importCertificates(ida.email(), ida.all());
        TopicTraffic.send(assignment(ida, "pol-" + ida.userId(), 1,
                settings(SigningProfileType.SCEP, EncryptionProfileType.IMPORTED_PKCS, null)));
        TopicTraffic.send(enrollment("dev-" + ida.userId(), ida.userId(), "iOS", TestPki.get().rsa()));
        PackageFailed failed = traffic.await(PackageFailed.class, e -> e.userId().equals(ida.userId()), 1, WAIT).get(0);
        assertEquals("SCEP_PROFILE_MISSING", failed.reasonCode());
    }

    @Test
    @Order(4)
    void onlyTheDeviceItselfGetsIn() {
        TestUser ivo = newUser("ivo");
        importCertificates(ivo.email(), ivo.all());
        KeyPair mine = TestPki.get().rsa();
        KeyPair theirs = TestPki.get().rsa();
        String myDevice = "dev-mine-" + ivo.userId();
        String theirDevice = "dev-theirs-" + ivo.userId();
        TopicTraffic.send(assignment(ivo, "pol-" + ivo.userId(), 1,
                settings(SigningProfileType.IMPORTED_PKCS, EncryptionProfileType.IMPORTED_PKCS)));
        TopicTraffic.send(enrollment(myDevice, ivo.userId(), "iOS", mine));
        TopicTraffic.send(enrollment(theirDevice, ivo.userId(), "iOS", theirs));
        List<PackageReady> ready = traffic.await(PackageReady.class, e -> e.userId().equals(ivo.userId()), 2, WAIT);
        String theirPackage = ready.stream().filter(e -> e.deviceId().equals(theirDevice)).findFirst().orElseThrow()
                .packageId();
        DeviceTokenSigner signer = new DeviceTokenSigner(myDevice, mine.getPrivate());

        given().get("/api/devices/{id}/packages", myDevice).then().statusCode(401)
                .header("WWW-Authenticate", org.hamcrest.Matchers.startsWith("Device"))
                .contentType("application/problem+json");
        given().header("Authorization", DeviceAuthorization.header(signer.sign(AUDIENCE)))
                .get("/api/devices/{id}/packages/{p}", theirDevice, theirPackage).then().statusCode(403);
        given().header("Authorization", DeviceAuthorization.header(new DeviceTokenSigner(theirDevice, mine.getPrivate())
                .sign(AUDIENCE))).get("/api/devices/{id}/packages/{p}", theirDevice, theirPackage).then().statusCode(401);
        given().header("Authorization", DeviceAuthorization.header(signer.sign("device-service")))
                .get("/api/devices/{id}/packages", myDevice).then().statusCode(401);
        String token = signer.sign(AUDIENCE);
        given().header("Authorization", DeviceAuthorization.header(token)).get("/api/devices/{id}/packages", myDevice)
                .then().statusCode(200);
        given().header("Authorization", DeviceAuthorization.header(token)).get("/api/devices/{id}/packages", myDevice)
                .then().statusCode(401).body("detail", org.hamcrest.Matchers.containsString("REPLAYED"));
        String badIdToken = signer.sign(AUDIENCE);
        given().header("Authorization", DeviceAuthorization.header(badIdToken))
                .get("/api/devices/{id}/packages/{p}", myDevice, "not-a-uuid").then().statusCode(400)
                .contentType("application/problem+json");
        // A token that passed its check stays used when the download returns a problem response.
        given().header("Authorization", DeviceAuthorization.header(badIdToken))
                .get("/api/devices/{id}/packages/{p}", myDevice, "not-a-uuid").then().statusCode(401)
                .body("detail", org.hamcrest.Matchers.containsString("REPLAYED"));
        String unknownPackageToken = signer.sign(AUDIENCE);
        String unknownPackage = java.util.UUID.randomUUID().toString();
        given().header("Authorization", DeviceAuthorization.header(unknownPackageToken))
                .get("/api/devices/{id}/packages/{p}", myDevice, unknownPackage).then().statusCode(404)
                .contentType("application/problem+json");
        given().header("Authorization", DeviceAuthorization.header(unknownPackageToken))
                .get("/api/devices/{id}/packages/{p}", myDevice, unknownPackage).then().statusCode(401)
                .body("detail", org.hamcrest.Matchers.containsString("REPLAYED"));
    }

    @Test
    @Order(6)
    void newCertificateTakesOverWhenItBecomesValid() {
        TestUser jana = newUser("jana");
        java.time.Instant soon = java.time.Instant.now().plusSeconds(4).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        TestPki.Issued next = TestPki.get().user("jana", jana.email(), jana.email(), TestPki.get().rsa(), soon,
                soon.plus(Duration.ofDays(700)), KeyUsage.keyEncipherment, KeyPurposeId.id_kp_emailProtection);
        importCertificates(jana.email(), List.of(jana.enc2026(), jana.sign(), next));
        TopicTraffic.send(assignment(jana, "pol-" + jana.userId(), 1,
                settings(SigningProfileType.IMPORTED_PKCS, EncryptionProfileType.IMPORTED_PKCS)));
        TopicTraffic.send(enrollment("dev-" + jana.userId(), jana.userId(), "iOS", TestPki.get().rsa()));

        PackageReady first = traffic.await(PackageReady.class, e -> e.userId().equals(jana.userId()), 1, WAIT).get(0);
        assertEquals(thumbprint(jana.enc2026()), currentEncryption(first), "a certificate not valid yet is not current");
        PackageReady second = traffic.await(PackageReady.class, e -> e.userId().equals(jana.userId())
                && thumbprint(next).equals(currentEncryption(e)), 1, WAIT).get(0);
        assertEquals(2, second.certificates().stream().filter(c -> c.role() == CertificateRole.ENCRYPTION).count());
    }

    @jakarta.inject.Inject
    PackageWorker worker;

    @jakarta.inject.Inject
    javax.sql.DataSource dataSource;

    @Test
    @Order(7)
    void brokenUserLeavesTheRestOfItsBatch() throws Exception {
        TestUser kim = newUser("kim");
        TestUser lea = newUser("lea");
        TestUser max = newUser("max");
        List<TestUser> users = List.of(kim, lea, max);
        worker.stop();
        try {
            for (TestUser user : users) {
                importCertificates(user.email(), user.all());
            }
            // A stored key that no longer decrypts makes the build of lea's packages fail.
            execute("UPDATE imported_certificate SET private_key_encrypted = ? WHERE owner_address = ?",
                    new byte[] { 1, 2, 3 }, lea.email());
            for (TestUser user : users) {
                TopicTraffic.send(assignment(user, "pol-" + user.userId(), 1,
                        settings(SigningProfileType.IMPORTED_PKCS, EncryptionProfileType.IMPORTED_PKCS)));
                TopicTraffic.send(enrollment("dev-" + user.userId(), user.userId(), "iOS", TestPki.get().rsa()));
            }
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (requestCount(users) < users.size() || deviceCount(users) < users.size()) {
                assertTrue(System.nanoTime() < deadline, "package requests and devices of all three users recorded");
                Thread.sleep(100);
            }

            assertTrue(worker.processBatch(), "a batch was due");

            traffic.await(PackageReady.class, e -> e.userId().equals(kim.userId()), 1, WAIT);
            traffic.await(PackageReady.class, e -> e.userId().equals(max.userId()), 1, WAIT);
            assertEquals(List.of(lea.userId()), queryStrings("SELECT user_id FROM package_request WHERE user_id = ANY (?)",
                    (Object) userIds(users)));
            assertEquals(List.of("1"), queryStrings("SELECT attempts::text FROM package_request WHERE user_id = ?",
                    lea.userId()));
            assertEquals(List.of("0"), queryStrings("SELECT count(*)::text FROM device_package WHERE user_id = ?",
                    lea.userId()));
        } finally {
            execute("DELETE FROM package_request WHERE user_id = ?", lea.userId());
            worker.start();
        }
    }

    private int requestCount(List<TestUser> users) {
        return countOf("SELECT count(*)::text FROM package_request WHERE user_id = ANY (?)", (Object) userIds(users));
    }

    private int deviceCount(List<TestUser> users) {
        return countOf("SELECT count(*)::text FROM device WHERE user_id = ANY (?)", (Object) userIds(users));
    }

    private int countOf(String query, Object... parameters) {
        return Integer.parseInt(queryStrings(query, parameters).get(0));
    }

    private static String[] userIds(List<TestUser> users) {
        return users.stream().map(TestUser::userId).toArray(String[]::new);
    }

    private void execute(String statement, Object... parameters) {
        new Sql(dataSource, "Test table").update(statement, parameters);
    }

    private List<String> queryStrings(String query, Object... parameters) {
        return new Sql(dataSource, "Test table").query(query, result -> result.getString(1), parameters);
    }

    private static String currentEncryption(PackageReady ready) {
        return ready.certificates().stream().filter(c -> c.role() == CertificateRole.ENCRYPTION && c.current())
                .map(PackagedCertificate::thumbprintSha256).findFirst().orElse(null);
    }

    /**
     * Runs on the real OpenSSL and keytool exports when the sample folder is present (system property
     * pki.samples.dir): after delivery, the device opens mail that was encrypted in 2024 to alice's
     * superseded 2023 certificate.
     */
    @Test
    @Order(5)
    void sampleOldMailOpensOnTheDevice(@TempDir Path dir) throws Exception {
        Path samples = Path.of(System.getProperty("pki.samples.dir", "/work/shared/pki-samples"));
        Path oldMail = samples.resolve("old-mail/2024-06-20_dave-to-alice_enc-2023_aes128.eml");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(oldMail), "sample folder not present");
        String userPrincipalName = "alice.samples." + Long.toHexString(System.nanoTime()) + "@corp.example.test";
        List<java.util.Map<String, Object>> files = new java.util.ArrayList<>();
        for (String name : List.of("alice-enc-2020.legacy-chain.p12", "alice-enc-2023.aes256-chain.p12",
                "alice-sign+enc-2026.keytool-aes256.2pairs.p12")) {
            files.add(java.util.Map.of("userPrincipalName", userPrincipalName, "password", "Test.1234",
                    "pkcs12", Base64.getEncoder().encodeToString(Files.readAllBytes(samples.resolve("p12").resolve(name)))));
        }
        given().contentType(io.restassured.http.ContentType.JSON).body(java.util.Map.of("files", files))
                .post("/api/certificates/imports").then().statusCode(200)
                .body("results.status", org.hamcrest.Matchers.everyItem(equalTo("IMPORTED")));

        String userId = "usr-alice-samples-" + Long.toHexString(System.nanoTime());
        KeyPair deviceKeys = TestPki.get().rsa();
        String deviceId = "dev-" + userId;
        TopicTraffic.send(new PolicyAssigned("pol-" + userId, 1, "Outlook S/MIME samples",
                settings(SigningProfileType.IMPORTED_PKCS, EncryptionProfileType.IMPORTED_PKCS), userId, userPrincipalName,
                "alice@example.test", "en", java.time.Instant.now()));
        TopicTraffic.send(enrollment(deviceId, userId, "iOS", deviceKeys));
        PackageReady ready = traffic.await(PackageReady.class, e -> e.userId().equals(userId), 1, WAIT).get(0);

        DeviceTokenSigner signer = new DeviceTokenSigner(deviceId, deviceKeys.getPrivate());
        byte[] envelope = given().header("Authorization", DeviceAuthorization.header(signer.sign(AUDIENCE)))
                .get("/api/devices/{id}/packages/{p}", deviceId, ready.packageId()).then().statusCode(200)
                .extract().asByteArray();
        Files.write(dir.resolve("package.p7m"), envelope);
        writeKey(dir, "device-key.pem", deviceKeys.getPrivate());
        openssl(dir, "cms", "-decrypt", "-inform", "DER", "-in", "package.p7m", "-inkey", "device-key.pem", "-out",
                "package.json");
        JsonNode document = EventJson.mapper().readTree(Files.readAllBytes(dir.resolve("package.json")));
        Files.write(dir.resolve("user.p12"), Base64.getDecoder().decode(document.path("pkcs12").path("data").asText()));
        Files.writeString(dir.resolve("p12-password.txt"), document.path("pkcs12").path("password").asText());
        openssl(dir, "pkcs12", "-in", "user.p12", "-passin", "file:p12-password.txt", "-nodes", "-nocerts", "-out",
                "keys.pem");
        Files.copy(oldMail, dir.resolve("old-mail.eml"));
        String opened = decryptWithAnyKey(dir, "old-mail.eml", "keys.pem");
        assertFalse(opened.isBlank());
    }

    @Test
    @Order(100)
    void noSecretOnTheTopic() throws Exception {
        Thread.sleep(1000);
        List<ConsumerRecord<String, byte[]>> records = traffic.records();
        assertFalse(records.isEmpty());
        assertFalse(SECRETS.isEmpty());
        for (ConsumerRecord<String, byte[]> record : records) {
            List<byte[]> parts = new java.util.ArrayList<>();
            parts.add(record.value() == null ? new byte[0] : record.value());
            parts.add(record.key() == null ? new byte[0] : utf8(record.key()));
            record.headers().forEach(header -> parts.add(header.value() == null ? new byte[0] : header.value()));
            for (byte[] part : parts) {
                String text = new String(part, StandardCharsets.ISO_8859_1);
                assertFalse(text.contains("PRIVATE KEY"), "PEM private key on the topic");
                for (byte[] secret : SECRETS) {
                    assertFalse(contains(part, secret), "secret bytes on the topic at offset " + record.offset());
                    assertFalse(text.contains(Base64.getEncoder().encodeToString(secret)),
                            "Base64 of secret bytes on the topic at offset " + record.offset());
                }
            }
        }
    }

    private static void secret(byte[] bytes) {
        SECRETS.add(bytes.clone());
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static String decryptWithAnyKey(Path dir, String message, String keysPem) throws Exception {
        String[] blocks = Files.readString(dir.resolve(keysPem)).split("(?=-----BEGIN PRIVATE KEY-----)");
        int index = 0;
        for (String block : blocks) {
            if (!block.contains("BEGIN PRIVATE KEY")) {
                continue;
            }
            Path key = Files.writeString(dir.resolve("candidate-" + index++ + ".pem"), block);
            if (opensslExit(dir, "cms", "-decrypt", "-debug_decrypt", "-in", message, "-inkey", key.getFileName().toString(), "-out",
                    "decrypted.txt") == 0) {
                return Files.readString(dir.resolve("decrypted.txt"));
            }
        }
        throw new AssertionError("No key of the package decrypts " + message);
    }

    private static int count(String text, String needle) {
        int count = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
            count++;
        }
        return count;
    }

    static String thumbprint(TestPki.Issued issued) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(issued.certificate().getEncoded()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair ecP256() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
