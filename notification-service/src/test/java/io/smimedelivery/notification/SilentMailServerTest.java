package io.smimedelivery.notification;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smimedelivery.deviceauth.DevicePublicKeys;
import io.smimedelivery.events.DeliveryChannel;
import io.smimedelivery.events.DeviceEnrolled;
import io.smimedelivery.events.EncryptionProfileType;
import io.smimedelivery.events.EndUserNotification;
import io.smimedelivery.events.NotificationFailed;
import io.smimedelivery.events.NotificationSent;
import io.smimedelivery.events.PackageReady;
import io.smimedelivery.events.PolicyAssigned;
import io.smimedelivery.events.PolicySettings;
import io.smimedelivery.events.SealedValues;
import io.smimedelivery.events.SigningProfileType;
import io.smimedelivery.events.SigningSource;
import io.smimedelivery.events.Topics;
import io.smimedelivery.infra.InfrastructureTestResource;
import io.smimedelivery.infra.TopicTraffic;
import io.smimedelivery.notification.push.PushGatewayTestResource;

/**
 * With a mail server that never greets, e-mail sends time out and are retried with backoff, while the
 * pushes of other users keep flowing.
 */
@QuarkusTest
@WithTestResource(value = InfrastructureTestResource.class,
        initArgs = @ResourceArg(name = InfrastructureTestResource.DATABASE_ARG, value = "notification"))
@WithTestResource(PushGatewayTestResource.class)
@WithTestResource(SilentSmtpTestResource.class)
class SilentMailServerTest {

    private static final Duration WAIT = Duration.ofSeconds(40);
    private static TopicTraffic traffic;

    @BeforeAll
    static void watch() {
        traffic = new TopicTraffic(Topics.NOTIFICATIONS);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        traffic.close();
    }

    private static PolicySettings settings(EndUserNotification notification) {
        return new PolicySettings(true, false, true, SigningProfileType.IMPORTED_PKCS, EncryptionProfileType.IMPORTED_PKCS,
                notification, false, true, false, true, null, List.of(), null);
    }

    private static PublicKey pushTokenKey() throws Exception {
        String pem = Files.readString(Path.of("src/test/resources/push-token-test-key.pem"));
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        RSAPrivateCrtKey key = (RSAPrivateCrtKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent()));
    }

    @Test
    void timeoutsDoNotBlockOtherUsers() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String stamp = Long.toHexString(System.nanoTime());

        String mailUser = "usr-mail-" + stamp;
        String mailPolicy = "pol-mail-" + stamp;
        TopicTraffic.send(new PolicyAssigned(mailPolicy, 1, "S/MIME Vendite", settings(EndUserNotification.EMAIL),
                mailUser, mailUser + "@corp.example.it", mailUser + "@example.it", "it", Instant.now()));
        TopicTraffic.send(new DeviceEnrolled("dev-" + mailUser, mailUser, "iOS", "18.1", null, true,
                DevicePublicKeys.toPem(generator.generateKeyPair().getPublic()), null, Instant.now()));
        TopicTraffic.send(new PackageReady(UUID.randomUUID().toString(), "dev-" + mailUser, mailUser, mailPolicy, 1,
                List.of(), SigningSource.IMPORTED_PKCS, Instant.now()));

        // The first e-mail attempt times out and is scheduled again.
        NotificationFailed timedOut = traffic.await(NotificationFailed.class, e -> e.userId().equals(mailUser), 1, WAIT)
                .get(0);
        assertTrue(!timedOut.permanent(), "a timeout is temporary");

        // Meanwhile pushes to other users go out.
        PublicKey sealingKey = pushTokenKey();
        for (int i = 0; i < 3; i++) {
            String pushUser = "usr-push-" + i + "-" + stamp;
            String pushPolicy = "pol-push-" + stamp;
            String token = UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
            TopicTraffic.send(new PolicyAssigned(pushPolicy, 1, "S/MIME Sales",
                    settings(EndUserNotification.COMPANY_PORTAL), pushUser, pushUser + "@corp.example.com",
                    pushUser + "@example.com", "en", Instant.now()));
            TopicTraffic.send(new DeviceEnrolled("dev-" + pushUser, pushUser, "iOS", "18.1", null, true,
                    DevicePublicKeys.toPem(generator.generateKeyPair().getPublic()),
                    SealedValues.seal(token, "push-token-1", sealingKey), Instant.now()));
            TopicTraffic.send(new PackageReady(UUID.randomUUID().toString(), "dev-" + pushUser, pushUser, pushPolicy, 1,
                    List.of(), SigningSource.IMPORTED_PKCS, Instant.now()));
        }
        traffic.await(NotificationSent.class, e -> e.userId().startsWith("usr-push-") && e.userId().endsWith(stamp)
                && e.channel() == DeliveryChannel.PUSH, 3, WAIT);

        // The e-mail keeps being retried until its attempts run out, each attempt recorded as temporary.
        NotificationFailed last = traffic.await(NotificationFailed.class, e -> e.userId().equals(mailUser)
                && e.permanent(), 1, WAIT).get(0);
        assertTrue(last.attemptCount() >= 2, "attempts " + last.attemptCount());
        assertTrue(SilentSmtpTestResource.connections() >= 2, "connections " + SilentSmtpTestResource.connections());
        given().queryParam("userId", mailUser).get("/api/notifications").then().statusCode(200)
                .body("[0].deliveries[0].status", equalTo("FAILED"))
                .body("[0].deliveries[0].reasonCode", equalTo("SMTP_UNAVAILABLE"))
                .body("[0].deliveries[0].attempts.outcome", everyItem(equalTo("TEMPORARY_FAILURE")));
    }
}
