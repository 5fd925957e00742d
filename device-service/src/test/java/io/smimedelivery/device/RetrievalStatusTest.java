package io.smimedelivery.device;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smimedelivery.deviceauth.DeviceAuthorization;
import io.smimedelivery.deviceauth.DevicePublicKeys;
import io.smimedelivery.deviceauth.DeviceTokenSigner;
import io.smimedelivery.events.CertificateRole;
import io.smimedelivery.events.DeliveryChannel;
import io.smimedelivery.events.EncryptionProfileType;
import io.smimedelivery.events.EndUserNotification;
import io.smimedelivery.events.NotificationSent;
import io.smimedelivery.events.PackageReady;
import io.smimedelivery.events.PackageRetrieved;
import io.smimedelivery.events.PackagedCertificate;
import io.smimedelivery.events.PolicyAssigned;
import io.smimedelivery.events.PolicySettings;
import io.smimedelivery.events.PolicyUnassigned;
import io.smimedelivery.events.RetrievalState;
import io.smimedelivery.events.RetrievalStatusChanged;
import io.smimedelivery.events.SigningProfileType;
import io.smimedelivery.events.SigningSource;
import io.smimedelivery.events.Topics;
import io.smimedelivery.infra.InfrastructureTestResource;
import io.smimedelivery.infra.TopicTraffic;

/** Retrieval status fed by the real topics and the install confirmation API, published on the status topic. */
@QuarkusTest
@WithTestResource(value = InfrastructureTestResource.class,
        initArgs = @ResourceArg(name = InfrastructureTestResource.DATABASE_ARG, value = "device"))
class RetrievalStatusTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String ENC = "a".repeat(64);
    private static final String SIGN = "b".repeat(64);
    private static TopicTraffic traffic;

    @BeforeAll
    static void watch() {
        traffic = new TopicTraffic(Topics.RETRIEVAL_STATUS);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        traffic.close();
    }

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private static void enroll(String deviceId, String userId, KeyPair keys) {
        Map<String, Object> body = new HashMap<>();
        body.put("deviceId", deviceId);
        body.put("userId", userId);
        body.put("platform", "iOS");
        body.put("osVersion", "18.1");
        body.put("devicePublicKeyPem", DevicePublicKeys.toPem(keys.getPublic()));
        given().contentType(ContentType.JSON).body(body).post("/api/devices").then().statusCode(201);
    }

    private static PolicyAssigned assignment(String userId, String policyId) {
        PolicySettings settings = new PolicySettings(true, false, true, SigningProfileType.IMPORTED_PKCS,
                EncryptionProfileType.IMPORTED_PKCS, EndUserNotification.EMAIL, false, true, false, true, null, List.of(),
                null);
        return new PolicyAssigned(policyId, 1, "S/MIME Vendite", settings, userId, userId + "@corp.example.it",
                userId + "@example.it", "it", Instant.now());
    }

    private static PackageReady ready(String deviceId, String userId, String policyId) {
        return new PackageReady(UUID.randomUUID().toString(), deviceId, userId, policyId, 1, List.of(
                new PackagedCertificate(ENC, CertificateRole.ENCRYPTION, "1a", Instant.parse("2029-01-01T00:00:00Z"), true),
                new PackagedCertificate(SIGN, CertificateRole.SIGNING, "1b", Instant.parse("2028-01-01T00:00:00Z"), true)),
                SigningSource.IMPORTED_PKCS, Instant.now());
    }

    private static RetrievalStatusChanged awaitState(String deviceId, RetrievalState state) {
        return traffic.await(RetrievalStatusChanged.class, e -> e.deviceId().equals(deviceId) && e.to() == state, 1, WAIT)
                .get(0);
    }

    @Test
    void deviceGoesFromPendingToInstalled() throws Exception {
        String userId = "usr-" + UUID.randomUUID();
        String policyId = "pol-" + UUID.randomUUID();
        String deviceId = "dev-" + UUID.randomUUID();
        KeyPair keys = rsa();

        // The package is ready before device-service learns of the assignment and the device.
        PackageReady ready = ready(deviceId, userId, policyId);
        TopicTraffic.send(ready);
        enroll(deviceId, userId, keys);
        TopicTraffic.send(assignment(userId, policyId));
        awaitState(deviceId, RetrievalState.READY);

        TopicTraffic.send(new NotificationSent(UUID.randomUUID().toString(), userId, policyId, 1, DeliveryChannel.EMAIL,
                List.of(deviceId), 1, Instant.now()));
        awaitState(deviceId, RetrievalState.NOTIFIED);
        TopicTraffic.send(new PackageRetrieved(ready.packageId(), deviceId, userId, policyId, 1, Instant.now()));
        awaitState(deviceId, RetrievalState.RETRIEVED);

        DeviceTokenSigner signer = new DeviceTokenSigner(deviceId, keys.getPrivate());
        given().contentType(ContentType.JSON).header("Authorization", DeviceAuthorization.header(signer.sign("device-service")))
                .body(Map.of("packageId", ready.packageId(), "thumbprints", List.of(SIGN, ENC.toUpperCase())))
                .post("/api/devices/{id}/installations", deviceId)
                .then().statusCode(200).body("state", equalTo("INSTALLED"));
        RetrievalStatusChanged installed = awaitState(deviceId, RetrievalState.INSTALLED);
        assertEquals(RetrievalState.RETRIEVED, installed.from());

        // A late notification changes nothing; unassignment removes.
        TopicTraffic.send(new NotificationSent(UUID.randomUUID().toString(), userId, policyId, 1, DeliveryChannel.PUSH,
                List.of(deviceId), 1, Instant.now()));
        TopicTraffic.send(new PolicyUnassigned(policyId, 1, userId, "USER_LEFT_GROUP", Instant.now()));
        RetrievalStatusChanged removed = awaitState(deviceId, RetrievalState.REMOVED);
        assertEquals(RetrievalState.INSTALLED, removed.from());
        given().get("/api/devices/{id}/status", deviceId).then().statusCode(200)
                .body("policies[0].state", equalTo("REMOVED"))
                .body("transitions.toState", org.hamcrest.Matchers.hasItems("READY", "NOTIFIED", "RETRIEVED", "INSTALLED",
                        "REMOVED"));
        given().get("/api/devices/{id}/status", "dev-unknown").then().statusCode(404);
    }

    @Test
    void mismatchedInstallFails() throws Exception {
        String userId = "usr-" + UUID.randomUUID();
        String policyId = "pol-" + UUID.randomUUID();
        String deviceId = "dev-" + UUID.randomUUID();
        KeyPair keys = rsa();
        enroll(deviceId, userId, keys);
        TopicTraffic.send(assignment(userId, policyId));
        awaitState(deviceId, RetrievalState.PENDING);
        PackageReady ready = ready(deviceId, userId, policyId);
        TopicTraffic.send(ready);
        awaitState(deviceId, RetrievalState.READY);

        DeviceTokenSigner signer = new DeviceTokenSigner(deviceId, keys.getPrivate());
        given().contentType(ContentType.JSON).header("Authorization", DeviceAuthorization.header(signer.sign("device-service")))
                .body(Map.of("packageId", ready.packageId(), "thumbprints", List.of(ENC, "c".repeat(64))))
                .post("/api/devices/{id}/installations", deviceId)
                .then().statusCode(200).body("state", equalTo("FAILED")).body("reasonCode", equalTo("INSTALL_MISMATCH"));
        RetrievalStatusChanged failed = awaitState(deviceId, RetrievalState.FAILED);
        assertEquals("INSTALL_MISMATCH", failed.reasonCode());

        given().contentType(ContentType.JSON).header("Authorization", DeviceAuthorization.header(signer.sign("device-service")))
                .body(Map.of("packageId", "unknown", "thumbprints", List.of(ENC)))
                .post("/api/devices/{id}/installations", deviceId).then().statusCode(404);
        String invalidReportToken = signer.sign("device-service");
        given().contentType(ContentType.JSON).header("Authorization", DeviceAuthorization.header(invalidReportToken))
                .body(Map.of("packageId", ready.packageId(), "thumbprints", List.of("xyz")))
                .post("/api/devices/{id}/installations", deviceId).then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("thumbprints[0]"));
        // A token that passed its check stays used when the report is rejected.
        given().contentType(ContentType.JSON).header("Authorization", DeviceAuthorization.header(invalidReportToken))
                .body(Map.of("packageId", ready.packageId(), "thumbprints", List.of("xyz")))
                .post("/api/devices/{id}/installations", deviceId).then().statusCode(401)
                .body("detail", org.hamcrest.Matchers.containsString("REPLAYED"));
        given().contentType(ContentType.JSON)
                .body(Map.of("packageId", ready.packageId(), "thumbprints", List.of(ENC)))
                .post("/api/devices/{id}/installations", deviceId).then().statusCode(401);

        // The device reads its own status with its token, but not another device's.
        given().header("Authorization", DeviceAuthorization.header(signer.sign("device-service")))
                .get("/api/devices/{id}/status", deviceId).then().statusCode(200).body("deviceId", equalTo(deviceId));
        given().header("Authorization", DeviceAuthorization.header(signer.sign("device-service")))
                .get("/api/devices/{id}/status", "dev-other-" + userId).then().statusCode(403);
        given().contentType(ContentType.JSON).header("Authorization", DeviceAuthorization.header(signer.sign("device-service")))
                .body(Map.of("packageId", ready.packageId(), "thumbprints", List.of(ENC)))
                .post("/api/devices/{id}/installations", "dev-other-" + userId).then().statusCode(403);
    }
}
