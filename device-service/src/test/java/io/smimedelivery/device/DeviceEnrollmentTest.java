package io.smimedelivery.device;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
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
import io.smimedelivery.events.DeviceEnrolled;
import io.smimedelivery.events.DeviceRetired;
import io.smimedelivery.events.Topics;
import io.smimedelivery.infra.InfrastructureTestResource;
import io.smimedelivery.infra.TopicTraffic;

/** Enrollment, push token updates and retirement through the API, with their events on the real topic. */
@QuarkusTest
@WithTestResource(value = InfrastructureTestResource.class,
        initArgs = @ResourceArg(name = InfrastructureTestResource.DATABASE_ARG, value = "device"))
class DeviceEnrollmentTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static TopicTraffic traffic;

    @BeforeAll
    static void watch() {
        traffic = new TopicTraffic(Topics.DEVICE_ENROLLMENTS);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        traffic.close();
    }

    private static KeyPair rsa(int bits) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(bits);
        return generator.generateKeyPair();
    }

    private static String hexToken() {
        return UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
    }

    private static Map<String, Object> enrollment(String deviceId, String userId, KeyPair keys, String pushToken) {
        Map<String, Object> body = new HashMap<>();
        body.put("deviceId", deviceId);
        body.put("userId", userId);
        body.put("platform", "ios");
        body.put("osVersion", "18.1");
        body.put("model", "iPhone16,2");
        body.put("serialNumber", "F2LXK0ABCD12");
        body.put("devicePublicKeyPem", DevicePublicKeys.toPem(keys.getPublic()));
        body.put("pushToken", pushToken);
        return body;
    }

    @Test
    void enrollmentPublishesSealedToken() throws Exception {
        String deviceId = "dev-" + UUID.randomUUID();
        KeyPair keys = rsa(2048);
        String token = hexToken();
        given().contentType(ContentType.JSON).body(enrollment(deviceId, "usr-1001", keys, token)).post("/api/devices")
                .then().statusCode(201).header("Location", containsString("/api/devices/" + deviceId))
                .body("platform", equalTo("iOS")).body("managementState", equalTo("MANAGED"))
                .body("pushTokenPresent", equalTo(true))
                .body(org.hamcrest.Matchers.not(containsString(token)));

        DeviceEnrolled enrolled = traffic.await(DeviceEnrolled.class, e -> e.deviceId().equals(deviceId), 1, WAIT).get(0);
        assertEquals("usr-1001", enrolled.userId());
        assertTrue(enrolled.managed());
        assertNotNull(enrolled.pushToken());
        assertEquals("push-token-1", enrolled.pushToken().keyId());
        assertEquals("RSA-OAEP-256", enrolled.pushToken().algorithm());
        for (ConsumerRecord<String, byte[]> record : traffic.records()) {
            assertFalse(new String(record.value(), StandardCharsets.UTF_8).contains(token), "token in clear on the topic");
        }

        // Enrolling again updates the device and announces it again.
        given().contentType(ContentType.JSON).body(enrollment(deviceId, "usr-1001", keys, null)).post("/api/devices")
                .then().statusCode(200).body("pushTokenPresent", equalTo(false));
        traffic.await(DeviceEnrolled.class, e -> e.deviceId().equals(deviceId), 2, WAIT);
    }

    @Test
    void deviceReplacesItsPushToken() throws Exception {
        String deviceId = "dev-" + UUID.randomUUID();
        KeyPair keys = rsa(2048);
        given().contentType(ContentType.JSON).body(enrollment(deviceId, "usr-1002", keys, null)).post("/api/devices")
                .then().statusCode(201);
        DeviceTokenSigner signer = new DeviceTokenSigner(deviceId, keys.getPrivate());

        given().contentType(ContentType.JSON).body(Map.of("pushToken", hexToken()))
                .header("Authorization", DeviceAuthorization.header(signer.sign("device-service")))
                .put("/api/devices/{id}/push-token", deviceId)
                .then().statusCode(200).body("pushTokenPresent", equalTo(true));
        DeviceEnrolled updated = traffic.await(DeviceEnrolled.class, e -> e.deviceId().equals(deviceId)
                && e.pushToken() != null, 1, WAIT).get(0);
        assertNotNull(updated.pushToken());

        // Another key, another audience, a reused token and no token are all rejected.
        KeyPair other = rsa(2048);
        given().contentType(ContentType.JSON).body(Map.of("pushToken", hexToken()))
                .header("Authorization", DeviceAuthorization.header(new DeviceTokenSigner(deviceId, other.getPrivate())
                        .sign("device-service")))
                .put("/api/devices/{id}/push-token", deviceId).then().statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of("pushToken", hexToken()))
                .header("Authorization", DeviceAuthorization.header(signer.sign("certificate-service")))
                .put("/api/devices/{id}/push-token", deviceId).then().statusCode(401);
        String once = signer.sign("device-service");
        given().contentType(ContentType.JSON).body(Map.of("pushToken", hexToken()))
                .header("Authorization", DeviceAuthorization.header(once))
                .put("/api/devices/{id}/push-token", deviceId).then().statusCode(200);
        given().contentType(ContentType.JSON).body(Map.of("pushToken", hexToken()))
                .header("Authorization", DeviceAuthorization.header(once))
                .put("/api/devices/{id}/push-token", deviceId).then().statusCode(401)
                .body("detail", containsString("REPLAYED"));
        given().contentType(ContentType.JSON).body(Map.of("pushToken", hexToken()))
                .put("/api/devices/{id}/push-token", deviceId).then().statusCode(401)
                .header("WWW-Authenticate", containsString("Device"));

        // An expired token, and a valid token of another enrolled device.
        java.time.Clock past = java.time.Clock.fixed(java.time.Instant.now().minus(Duration.ofMinutes(10)),
                java.time.ZoneOffset.UTC);
        given().contentType(ContentType.JSON).body(Map.of("pushToken", hexToken()))
                .header("Authorization", DeviceAuthorization.header(new DeviceTokenSigner(deviceId, keys.getPrivate(), past)
                        .sign("device-service")))
                .put("/api/devices/{id}/push-token", deviceId).then().statusCode(401)
                .body("detail", containsString("EXPIRED"));
        String otherDevice = "dev-" + UUID.randomUUID();
        given().contentType(ContentType.JSON).body(enrollment(otherDevice, "usr-1002", other, null)).post("/api/devices")
                .then().statusCode(201);
        given().contentType(ContentType.JSON).body(Map.of("pushToken", hexToken()))
                .header("Authorization", DeviceAuthorization.header(new DeviceTokenSigner(otherDevice, other.getPrivate())
                        .sign("device-service")))
                .put("/api/devices/{id}/push-token", deviceId).then().statusCode(403);
    }

    @Test
    void retirementIsAnnounced() throws Exception {
        String deviceId = "dev-" + UUID.randomUUID();
        KeyPair keys = rsa(2048);
        given().contentType(ContentType.JSON).body(enrollment(deviceId, "usr-1003", keys, null)).post("/api/devices")
                .then().statusCode(201);
        given().contentType(ContentType.JSON).body(Map.of("reason", "Lost"))
                .post("/api/devices/{id}/retire", deviceId).then().statusCode(200)
                .body("retiredReason", equalTo("Lost"));
        DeviceRetired retired = traffic.await(DeviceRetired.class, e -> e.deviceId().equals(deviceId), 1, WAIT).get(0);
        assertEquals("Lost", retired.reason());

        // A retired device can no longer authenticate.
        given().contentType(ContentType.JSON).body(Map.of("pushToken", hexToken()))
                .header("Authorization", DeviceAuthorization.header(new DeviceTokenSigner(deviceId, keys.getPrivate())
                        .sign("device-service")))
                .put("/api/devices/{id}/push-token", deviceId).then().statusCode(401);
        given().queryParam("userId", "usr-1003").get("/api/devices").then().statusCode(200)
                .body("deviceId", hasItems(deviceId));
        given().get("/api/devices/{id}", "dev-unknown").then().statusCode(404);
    }

    @Test
    void invalidEnrollmentNamesEachField() throws Exception {
        Map<String, Object> body = enrollment("bad id!", null, rsa(1024), "xyz");
        body.put("platform", "Symbian");
        body.put("managementState", "SOMETIMES");
        given().contentType(ContentType.JSON).body(body).post("/api/devices")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItems("deviceId", "userId", "platform", "devicePublicKeyPem", "pushToken",
                        "managementState"));
        given().contentType(ContentType.JSON).body("{\"deviceId\": 5").post("/api/devices").then().statusCode(400);
        assertEquals(List.of(), traffic.events(DeviceEnrolled.class, e -> e.deviceId().equals("bad id!")));
    }

    @Test
    void invalidPagingIsProblem() {
        given().queryParam("limit", "abc").get("/api/devices").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("limit"))
                .body("errors[0].value", org.hamcrest.Matchers.equalTo("abc"));
        given().queryParam("offset", "-1").get("/api/devices").then().statusCode(400)
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("offset"));
        given().queryParam("limit", "501").get("/api/devices").then().statusCode(400)
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("limit"));
        given().queryParam("limit", "2").get("/api/devices").then().statusCode(200);
    }
}
