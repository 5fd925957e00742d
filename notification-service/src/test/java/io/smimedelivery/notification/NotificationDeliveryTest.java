package io.smimedelivery.notification;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smimedelivery.deviceauth.DeviceAuthorization;
import io.smimedelivery.deviceauth.DevicePublicKeys;
import io.smimedelivery.deviceauth.DeviceTokenSigner;
import io.smimedelivery.events.CertificateRole;
import io.smimedelivery.events.DeliveryChannel;
import io.smimedelivery.events.DerivedCredentialRenewalDue;
import io.smimedelivery.events.DeviceEnrolled;
import io.smimedelivery.events.EncryptionProfileType;
import io.smimedelivery.events.EndUserNotification;
import io.smimedelivery.events.NotificationFailed;
import io.smimedelivery.events.NotificationSent;
import io.smimedelivery.events.PackageFailed;
import io.smimedelivery.events.PackageReady;
import io.smimedelivery.events.PackagedCertificate;
import io.smimedelivery.events.PolicyAssigned;
import io.smimedelivery.events.PolicySettings;
import io.smimedelivery.events.SealedValues;
import io.smimedelivery.events.SigningProfileType;
import io.smimedelivery.events.SigningSource;
import io.smimedelivery.events.Topics;
import io.smimedelivery.infra.InfrastructureTestResource;
import io.smimedelivery.infra.SmtpServer;
import io.smimedelivery.infra.TcpProxy;
import io.smimedelivery.infra.TestInfrastructure;
import io.smimedelivery.infra.TopicTraffic;
import io.smimedelivery.notification.delivery.ChannelSender.SendContext;
import io.smimedelivery.notification.delivery.DeliveryWorker;
import io.smimedelivery.notification.planning.NotificationStore;
import io.smimedelivery.notification.planning.NotificationStore.Delivery;
import io.smimedelivery.notification.push.PushGatewayTestResource;

/**
 * Package outcomes from the real topic turn into e-mails on the real SMTP server, pushes to a local
 * HTTP/2 gateway and Company Portal list entries, once per user and policy version.
 */
@QuarkusTest
@WithTestResource(value = InfrastructureTestResource.class,
        initArgs = {
                @ResourceArg(name = InfrastructureTestResource.DATABASE_ARG, value = "notification"),
                @ResourceArg(name = InfrastructureTestResource.SMTP_ARG, value = "true"),
                @ResourceArg(name = InfrastructureTestResource.DATABASE_PROXY_ARG, value = "true") })
@WithTestResource(PushGatewayTestResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NotificationDeliveryTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String AUDIENCE = "notification-service";
    private static TopicTraffic traffic;

    @Inject
    DeliveryWorker worker;

    @Inject
    NotificationStore store;
    private static PublicKey pushTokenKey;

    @BeforeAll
    static void watch() throws Exception {
        traffic = new TopicTraffic(Topics.NOTIFICATIONS);
        String pem = Files.readString(Path.of("src/test/resources/push-token-test-key.pem"));
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        RSAPrivateCrtKey key = (RSAPrivateCrtKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        pushTokenKey = KeyFactory.getInstance("RSA").generatePublic(
                new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent()));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        traffic.close();
    }

    /** Publishes the assignment of version 1 of a policy to a user whose UPN is in corp.example.it. */
    private static void assign(String policyId, String policyName, EndUserNotification notification, String userId,
            String email, String language) {
        TopicTraffic.send(new PolicyAssigned(policyId, 1, policyName, settings(notification), userId,
                userId + "@corp.example.it", email, language, Instant.now()));
    }

    private static PolicySettings settings(EndUserNotification notification) {
        return new PolicySettings(true, false, true, SigningProfileType.IMPORTED_PKCS, EncryptionProfileType.IMPORTED_PKCS,
                notification, false, true, false, true, null, List.of(), null);
    }

    private static String unique(String name) {
        return name + "-" + Long.toHexString(System.nanoTime());
    }

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private static String hexToken() {
        return UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
    }

    private static DeviceEnrolled enrollment(String deviceId, String userId, KeyPair keys, String pushToken) {
        return new DeviceEnrolled(deviceId, userId, "iOS", "18.1", "iPhone16,2", true,
                DevicePublicKeys.toPem(keys.getPublic()),
                pushToken == null ? null : SealedValues.seal(pushToken, "push-token-1", pushTokenKey), Instant.now());
    }

    private static PackageReady ready(String deviceId, String userId, String policyId) {
        return new PackageReady(UUID.randomUUID().toString(), deviceId, userId, policyId, 1, List.of(),
                SigningSource.IMPORTED_PKCS, Instant.now());
    }

    private static List<MimeMessage> mailTo(String address) throws Exception {
        SmtpServer smtp = TestInfrastructure.shared().smtp();
        return Arrays.stream(smtp.receivedMessages()).filter(message -> {
            try {
                return message.getAllRecipients()[0].toString().equals(address);
            } catch (Exception e) {
                return false;
            }
        }).toList();
    }

    private static List<MimeMessage> awaitMail(String address, int count) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (mailTo(address).size() < count && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        return mailTo(address);
    }

    private static String text(MimeMessage message) throws Exception {
        Object content = message.getContent();
        if (content instanceof MimeMultipart multipart) {
            StringBuilder all = new StringBuilder();
            collect(multipart, all);
            return all.toString();
        }
        return content.toString();
    }

    private static void collect(MimeMultipart multipart, StringBuilder all) throws Exception {
        for (int i = 0; i < multipart.getCount(); i++) {
            Object part = multipart.getBodyPart(i).getContent();
            if (part instanceof MimeMultipart nested) {
                collect(nested, all);
            } else {
                all.append(part).append('\n');
            }
        }
    }

    @Test
    @Order(1)
    void emailOncePerPolicyVersion() throws Exception {
        String userId = unique("usr-mario");
        String email = userId + "@example.it";
        String policyId = unique("pol-mail");
        String phone = "dev-phone-" + userId;
        String pad = "dev-pad-" + userId;

        // The packages arrive before the assignment: the e-mail waits for the contact data.
        PackageReady phoneReady = ready(phone, userId, policyId);
        String phoneEventId = TopicTraffic.send(phoneReady);
        TopicTraffic.send(enrollment(phone, userId, rsa(), hexToken()));
        TopicTraffic.send(enrollment(pad, userId, rsa(), null));
        TopicTraffic.send(ready(pad, userId, policyId));
        assign(policyId, "S/MIME Vendite", EndUserNotification.EMAIL, userId, email, "it-IT");

        List<MimeMessage> mail = awaitMail(email, 1);
        assertEquals(1, mail.size());
        String body = text(mail.get(0));
        assertTrue(body.contains("/landing/" + phone), body);
        assertTrue(body.contains("/landing/" + pad), body);
        assertEquals("I tuoi certificati S/MIME sono pronti: apri Company Portal (S/MIME Vendite)", mail.get(0).getSubject(),
                "Italian for a user who prefers it-IT");
        String messageId = mail.get(0).getMessageID();
        assertTrue(messageId != null, "a Message-ID is set");
        assertTrue(messageId.endsWith("@smime-delivery>"), "Message-ID " + messageId);

        NotificationSent sent = traffic.await(NotificationSent.class, e -> e.userId().equals(userId)
                && e.channel() == DeliveryChannel.EMAIL, 1, WAIT).get(0);
        assertEquals(List.of(pad, phone), sent.deviceIds().stream().sorted().toList());

        // The same event again, and a rebuilt package of the same policy version: no second e-mail.
        TopicTraffic.send(phoneEventId, phoneReady);
        TopicTraffic.send(ready(phone, userId, policyId));
        Thread.sleep(3000);
        assertEquals(1, mailTo(email).size());
        assertEquals(0, PushGatewayTestResource.pushes().stream()
                .filter(push -> push.body().contains(policyId)).count(), "e-mail policies send no push");

        given().queryParam("userId", userId).get("/api/notifications").then().statusCode(200)
                .body("", hasSize(1)).body("[0].channel", equalTo("EMAIL")).body("[0].language", equalTo("it"))
                .body("[0].deliveries[0].status", equalTo("SENT"))
                .body("[0].deliveries[0].attempts[0].outcome", equalTo("SENT"));
    }

    @Test
    @Order(2)
    void companyPortalPushesAndLists() throws Exception {
        String userId = unique("usr-anna");
        String policyId = unique("pol-cp");
        String phone = "dev-phone-" + userId;
        KeyPair phoneKeys = rsa();
        String token = hexToken();
        TopicTraffic.send(new PolicyAssigned(policyId, 1, "S/MIME Sales", settings(EndUserNotification.COMPANY_PORTAL),
                userId, userId + "@corp.example.com", userId + "@example.com", "en", Instant.now()));
        TopicTraffic.send(enrollment(phone, userId, phoneKeys, token));
        TopicTraffic.send(ready(phone, userId, policyId));

        traffic.await(NotificationSent.class, e -> e.userId().equals(userId) && e.channel() == DeliveryChannel.PUSH, 1,
                WAIT);
        traffic.await(NotificationSent.class, e -> e.userId().equals(userId)
                && e.channel() == DeliveryChannel.NOTIFICATION_LIST, 1, WAIT);
        List<PushGatewayTestResource.Push> pushes = PushGatewayTestResource.pushes().stream()
                .filter(push -> push.path().equals("/3/device/" + token)).toList();
        assertEquals(1, pushes.size());
        Map<String, String> headers = pushes.get(0).headers();
        assertTrue(headers.get("authorization").startsWith("bearer "), headers.toString());
        assertEquals("com.microsoft.CompanyPortal", headers.get("apns-topic"));
        assertEquals("alert", headers.get("apns-push-type"));
        assertTrue(pushes.get(0).body().contains("\"aps\""), pushes.get(0).body());
        assertTrue(pushes.get(0).body().contains(policyId), pushes.get(0).body());

        DeviceTokenSigner signer = new DeviceTokenSigner(phone, phoneKeys.getPrivate());
        String entryId = given().header("Authorization", DeviceAuthorization.header(signer.sign(AUDIENCE)))
                .get("/api/devices/{id}/company-portal/notifications", phone)
                .then().statusCode(200).body("", hasSize(1)).body("[0].read", equalTo(false))
                .extract().path("[0].id");
        given().header("Authorization", DeviceAuthorization.header(signer.sign(AUDIENCE)))
                .post("/api/devices/{id}/company-portal/notifications/{entry}/read", phone, entryId)
                .then().statusCode(204);
        given().get("/api/users/{id}/company-portal/notifications", userId)
                .then().statusCode(200).body("[0].read", equalTo(true));
        given().get("/api/devices/{id}/company-portal/notifications", phone).then().statusCode(401);
        // A device's token opens only its own list.
        given().header("Authorization", DeviceAuthorization.header(signer.sign(AUDIENCE)))
                .get("/api/devices/{id}/company-portal/notifications", "dev-other-" + userId)
                .then().statusCode(403).contentType("application/problem+json");
        given().header("Authorization", DeviceAuthorization.header(signer.sign(AUDIENCE)))
                .post("/api/devices/{id}/company-portal/notifications/{entry}/read", "dev-other-" + userId, entryId)
                .then().statusCode(403);
        given().get("/api/notifications").then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    @Order(3)
    void unregisteredTokenIsNotRetried() throws Exception {
        String userId = unique("usr-luca");
        String policyId = unique("pol-cp");
        String phone = "dev-phone-" + userId;
        String token = hexToken();
        PushGatewayTestResource.unregisterTokens(true);
        try {
            TopicTraffic.send(new PolicyAssigned(policyId, 1, "S/MIME Sales", settings(EndUserNotification.COMPANY_PORTAL),
                    userId, userId + "@corp.example.com", userId + "@example.com", null, Instant.now()));
            TopicTraffic.send(enrollment(phone, userId, rsa(), token));
            TopicTraffic.send(ready(phone, userId, policyId));
            NotificationFailed failed = traffic.await(NotificationFailed.class, e -> e.userId().equals(userId)
                    && e.channel() == DeliveryChannel.PUSH, 1, WAIT).get(0);
            assertTrue(failed.permanent());
            assertEquals("PUSH_TOKEN_INVALID", failed.reasonCode());
            Thread.sleep(2000);
            assertEquals(1, PushGatewayTestResource.pushes().stream()
                    .filter(push -> push.path().equals("/3/device/" + token)).count(), "410 is not retried");
        } finally {
            PushGatewayTestResource.unregisterTokens(false);
        }
    }

    @Test
    @Order(4)
    void failedPackageExplainsByEmail() throws Exception {
        String userId = unique("usr-giulia");
        String email = userId + "@example.it";
        String policyId = unique("pol-mail");
        String phone = "dev-phone-" + userId;
        assign(policyId, "S/MIME Vendite", EndUserNotification.EMAIL, userId, email, "en");
        TopicTraffic.send(enrollment(phone, userId, rsa(), null));
        TopicTraffic.send(new PackageFailed(phone, userId, policyId, 1, "NO_ENCRYPTION_CERTIFICATE",
                "No valid S/MIME encryption certificate", Instant.now()));
        List<MimeMessage> mail = awaitMail(email, 1);
        assertEquals(1, mail.size());
        assertEquals("Your S/MIME certificates could not be delivered (S/MIME Vendite)", mail.get(0).getSubject(),
                "English for a user who prefers en");
        assertFalse(text(mail.get(0)).isBlank());
    }

    @Test
    @Order(5)
    void renewedCertificateSendsNewEmail() throws Exception {
        String userId = unique("usr-luca");
        String email = userId + "@example.it";
        String policyId = unique("pol-mail");
        String phone = "dev-phone-" + userId;
        PackagedCertificate signing = certificate("aa", CertificateRole.SIGNING, false);
        PackagedCertificate first = certificate("bb", CertificateRole.ENCRYPTION, true);
        PackagedCertificate root = certificate("cc", CertificateRole.TRUSTED_ROOT, false);
        assign(policyId, "S/MIME Sales", EndUserNotification.EMAIL, userId, email, "en");
        TopicTraffic.send(enrollment(phone, userId, rsa(), null));
        TopicTraffic.send(ready(phone, userId, policyId, List.of(signing, first, root)));
        assertEquals(1, awaitMail(email, 1).size());

        // A rebuild with the same current certificates in another order sends nothing.
        TopicTraffic.send(ready(phone, userId, policyId, List.of(root, first, signing)));
        Thread.sleep(3000);
        assertEquals(1, mailTo(email).size());

        // A renewed encryption certificate becomes current and the earlier one stays for old mail: a new e-mail.
        PackagedCertificate renewed = certificate("dd", CertificateRole.ENCRYPTION, true);
        PackagedCertificate earlier = certificate("bb", CertificateRole.ENCRYPTION, false);
        TopicTraffic.send(ready(phone, userId, policyId, List.of(renewed, earlier, signing, root)));
        assertEquals(2, awaitMail(email, 2).size());
        // GreenMail has the message a moment before the worker records the delivery as SENT.
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (given().queryParam("userId", userId).get("/api/notifications").jsonPath()
                .getList("deliveries.flatten().status").contains("SENDING") && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        given().queryParam("userId", userId).get("/api/notifications").then().statusCode(200)
                .body("", hasSize(2)).body("deliveries.flatten().status", everyItem(equalTo("SENT")));
    }

    @Test
    @Order(5)
    void lateDeviceAnnouncedWithoutSecondEmail() throws Exception {
        String userId = unique("usr-elena");
        String email = userId + "@example.it";
        String policyId = unique("pol-mail");
        String phone = "dev-phone-" + userId;
        String pad = "dev-pad-" + userId;
        PackagedCertificate signing = certificate("a1", CertificateRole.SIGNING, false);
        PackagedCertificate encryption = certificate("b1", CertificateRole.ENCRYPTION, true);
        assign(policyId, "S/MIME Acquisti", EndUserNotification.EMAIL, userId, email, "it");
        TopicTraffic.send(enrollment(phone, userId, rsa(), null));
        TopicTraffic.send(enrollment(pad, userId, rsa(), null));
        TopicTraffic.send(ready(phone, userId, policyId, List.of(signing, encryption)));
        assertEquals(1, awaitMail(email, 1).size());
        NotificationSent first = traffic.await(NotificationSent.class, e -> e.userId().equals(userId), 1, WAIT).get(0);
        assertEquals(List.of(phone), first.deviceIds());

        // The second device's package comes after the e-mail went out, as a lagging partition can deliver it:
        // the device is announced under the same delivery, and the user gets no second e-mail.
        TopicTraffic.send(ready(pad, userId, policyId, List.of(signing, encryption)));
        NotificationSent late = traffic.await(NotificationSent.class,
                e -> e.userId().equals(userId) && e.deviceIds().contains(pad), 1, WAIT).get(0);
        assertEquals(List.of(pad), late.deviceIds());
        assertEquals(first.notificationId(), late.notificationId());
        Thread.sleep(3000);
        assertEquals(1, mailTo(email).size());
    }

    @Test
    @Order(6)
    void derivedCredentialRenewalIsAnnouncedOnce() throws Exception {
        String userId = unique("usr-delia");
        String email = userId + "@example.it";
        String policyId = unique("pol-derived");
        String phone = "dev-phone-" + userId;
        assign(policyId, "S/MIME Derivate", EndUserNotification.EMAIL, userId, email, "it");
        TopicTraffic.send(enrollment(phone, userId, rsa(), null));
        DerivedCredentialRenewalDue due = new DerivedCredentialRenewalDue(phone, userId, policyId, 1, "SIGNING",
                "ee".repeat(32), Instant.now().plus(Duration.ofDays(10)), Instant.now());
        String eventId = TopicTraffic.send(due);

        List<MimeMessage> mail = awaitMail(email, 1);
        assertEquals("Rinnova la credenziale derivata per S/MIME (S/MIME Derivate)", mail.get(0).getSubject());
        assertTrue(text(mail.get(0)).contains("/landing/" + phone), text(mail.get(0)));

        // The same event again, and the same credential in a new event, send nothing more.
        TopicTraffic.send(eventId, due);
        TopicTraffic.send(due);
        Thread.sleep(3000);
        assertEquals(1, mailTo(email).size());

        // A Company Portal user gets a list entry instead, also when the notice arrives before the
        // user's assignment and device, and after more than the inbox's retries.
        String portalUser = unique("usr-dino");
        String portalPolicy = unique("pol-derived-cp");
        String pad = "dev-pad-" + portalUser;
        TopicTraffic.send(new DerivedCredentialRenewalDue(pad, portalUser, portalPolicy, 1, "ENCRYPTION", "ef".repeat(32),
                Instant.now().plus(Duration.ofDays(10)), Instant.now()));
        Thread.sleep(1000);
        TopicTraffic.send(new PolicyAssigned(portalPolicy, 1, "S/MIME Derived", settings(EndUserNotification.COMPANY_PORTAL),
                portalUser, portalUser + "@corp.example.com", portalUser + "@example.com", "en", Instant.now()));
        TopicTraffic.send(enrollment(pad, portalUser, rsa(), hexToken()));
        traffic.await(NotificationSent.class, e -> e.userId().equals(portalUser)
                && e.channel() == DeliveryChannel.NOTIFICATION_LIST, 1, WAIT);
        given().get("/api/users/{id}/company-portal/notifications", portalUser).then().statusCode(200)
                .body("[0].title", equalTo("Renew your derived credential"));
    }

    @Test
    @Order(7)
    void interruptedSendNamesItsDevicesAndLateOnes() throws Exception {
        String userId = unique("usr-ettore");
        String email = userId + "@example.it";
        String policyId = unique("pol-cut");
        String phone = "dev-phone-" + userId;
        String pad = "dev-pad-" + userId;
        List<PackagedCertificate> certificates = List.of(certificate("c1", CertificateRole.SIGNING, false),
                certificate("d1", CertificateRole.ENCRYPTION, true));
        worker.stop();
        try {
            assign(policyId, "S/MIME Legale", EndUserNotification.EMAIL, userId, email, "it");
            TopicTraffic.send(enrollment(phone, userId, rsa(), null));
            TopicTraffic.send(enrollment(pad, userId, rsa(), null));
            TopicTraffic.send(ready(phone, userId, policyId, certificates));

            // An instance claims the e-mail, starts sending it and stops before it finishes: the lease has
            // already run out.
            SendContext claimed = claimEmailOf(userId, Duration.ofSeconds(-1));
            startSend(claimed);
            assertEquals(phone, claimed.delivery().deviceIds());

            // The second device's package arrives while the send is in flight.
            TopicTraffic.send(ready(pad, userId, policyId, certificates));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (QuarkusTransaction.requiringNew().call(() -> store.packagesOf(userId, policyId, 1)).size() < 2
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(worker.recoverInterrupted() >= 1);
            // A worker that reaches the claimed delivery only now finds it recorded and does not send it.
            worker.send(List.of(claimed));

            List<NotificationFailed> failed = traffic.await(NotificationFailed.class, e -> e.userId().equals(userId), 2, WAIT);
            assertEquals(List.of(List.of(phone), List.of(pad)), failed.stream().map(NotificationFailed::deviceIds).toList());
            for (NotificationFailed event : failed) {
                assertEquals("DELIVERY_UNCERTAIN", event.reasonCode());
                assertTrue(event.permanent(), event.toString());
            }
        } finally {
            worker.start();
        }
        Thread.sleep(2000);
        assertEquals(0, mailTo(email).size(), "an uncertain e-mail is not sent again");
    }

    @Test
    @Order(7)
    void recoveryLocksUserBeforeDelivery() throws Exception {
        String userId = unique("usr-lidia");
        String policyId = unique("pol-order");
        String phone = "dev-phone-" + userId;
        worker.stop();
        try {
            assign(policyId, "S/MIME Ordine", EndUserNotification.EMAIL, userId, userId + "@example.it", "it");
            TopicTraffic.send(enrollment(phone, userId, rsa(), null));
            TopicTraffic.send(ready(phone, userId, policyId, List.of(certificate("e1", CertificateRole.SIGNING, false))));
            SendContext claimed = claimEmailOf(userId, Duration.ofSeconds(-1));
            startSend(claimed);

            // A consumer batch holds the user's lock and then writes the delivery row, as planning does.
            java.util.concurrent.CountDownLatch locked = new java.util.concurrent.CountDownLatch(1);
            var batch = java.util.concurrent.CompletableFuture.runAsync(() -> QuarkusTransaction.requiringNew().run(() -> {
                store.lockUsers(List.of(userId));
                locked.countDown();
                try {
                    Thread.sleep(1500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                store.setDeliveryDevices(claimed.delivery().id(), claimed.delivery().deviceIds());
            }));
            assertTrue(locked.await(10, java.util.concurrent.TimeUnit.SECONDS));
            // Recovery waits for the user's lock before it locks the row, so neither side deadlocks.
            assertTrue(worker.recoverInterrupted() >= 1);
            batch.get(10, java.util.concurrent.TimeUnit.SECONDS);
            traffic.await(NotificationFailed.class, e -> e.userId().equals(userId)
                    && e.reasonCode().equals("DELIVERY_UNCERTAIN"), 1, WAIT);
        } finally {
            worker.start();
        }
    }

    @Test
    @Order(8)
    void sentEmailRecordedAfterDatabaseOutage() throws Exception {
        String userId = unique("usr-fausto");
        String email = userId + "@example.it";
        String policyId = unique("pol-outage");
        String phone = "dev-phone-" + userId;
        TcpProxy database = InfrastructureTestResource.databaseProxy();
        worker.stop();
        try {
            assign(policyId, "S/MIME Tecnico", EndUserNotification.EMAIL, userId, email, "it");
            TopicTraffic.send(enrollment(phone, userId, rsa(), null));
            TopicTraffic.send(ready(phone, userId, policyId, List.of(certificate("e1", CertificateRole.ENCRYPTION, true))));
            SendContext claimed = claimEmailOf(userId, Duration.ofMinutes(1));

            // The database goes away while the message is on its way, so the outcome cannot be stored at once.
            database.cut();
            SendContext context = claimed;
            Thread sender = new Thread(() -> worker.send(List.of(context)));
            sender.start();
            assertEquals(1, awaitMail(email, 1).size());
            Thread.sleep(2000);
            assertTrue(sender.isAlive(), "the worker waits for the database to store the outcome");
            database.restore();
            sender.join(WAIT.toMillis());
            assertFalse(sender.isAlive());
        } finally {
            database.restore();
            worker.start();
        }
        NotificationSent sent = traffic.await(NotificationSent.class, e -> e.userId().equals(userId), 1, WAIT).get(0);
        assertEquals(List.of(phone), sent.deviceIds());
        assertTrue(traffic.events(NotificationFailed.class, e -> e.userId().equals(userId)).isEmpty());
        assertEquals(1, mailTo(email).size());
    }

    @Test
    @Order(9)
    void lateDeviceJoinsCompanyPortalEntry() throws Exception {
        String userId = unique("usr-gemma");
        String policyId = unique("pol-cp-late");
        String phone = "dev-phone-" + userId;
        String pad = "dev-pad-" + userId;
        TopicTraffic.send(new PolicyAssigned(policyId, 1, "S/MIME Legal", settings(EndUserNotification.COMPANY_PORTAL),
                userId, userId + "@corp.example.com", userId + "@example.com", "en", Instant.now()));
        TopicTraffic.send(enrollment(phone, userId, rsa(), hexToken()));
        TopicTraffic.send(enrollment(pad, userId, rsa(), hexToken()));
        TopicTraffic.send(ready(phone, userId, policyId));
        NotificationSent entry = traffic.await(NotificationSent.class, e -> e.userId().equals(userId)
                && e.channel() == DeliveryChannel.NOTIFICATION_LIST, 1, WAIT).get(0);
        assertEquals(List.of(phone), entry.deviceIds());

        // The second device's package comes after the list entry was made: the entry names it too, and the
        // device gets a push of its own, without a second entry.
        TopicTraffic.send(ready(pad, userId, policyId));
        NotificationSent late = traffic.await(NotificationSent.class, e -> e.userId().equals(userId)
                && e.channel() == DeliveryChannel.NOTIFICATION_LIST && e.deviceIds().contains(pad), 1, WAIT).get(0);
        assertEquals(List.of(pad), late.deviceIds());
        assertEquals(entry.notificationId(), late.notificationId());
        traffic.await(NotificationSent.class, e -> e.userId().equals(userId) && e.channel() == DeliveryChannel.PUSH, 2, WAIT);
        given().get("/api/users/{id}/company-portal/notifications", userId).then().statusCode(200).body("", hasSize(1));
    }

    /**
     * Checks that a delivery whose claim ran out before its send started is sent on a later attempt, and
     * that the stale claim does not send it.
     */
    @Test
    @Order(11)
    void unstartedClaimIsDueAgain() throws Exception {
        String userId = unique("usr-bruna");
        String email = userId + "@example.it";
        String policyId = unique("pol-again");
        String phone = "dev-phone-" + userId;
        worker.stop();
        try {
            assign(policyId, "S/MIME Ancora", EndUserNotification.EMAIL, userId, email, "it");
            TopicTraffic.send(enrollment(phone, userId, rsa(), null));
            TopicTraffic.send(ready(phone, userId, policyId, List.of(certificate("f1", CertificateRole.SIGNING, false))));
            // A worker claims the e-mail and stops before its send starts: the lease has already run out.
            SendContext claimed = claimEmailOf(userId, Duration.ofSeconds(-1));
            assertTrue(worker.recoverInterrupted() >= 1);
            worker.send(List.of(claimed));
            assertEquals(0, mailTo(email).size(), "the stale claim sends nothing");
        } finally {
            worker.start();
        }
        NotificationSent sent = traffic.await(NotificationSent.class, e -> e.userId().equals(userId), 1, WAIT).get(0);
        assertEquals(2, sent.attemptCount(), "attempt 1 was interrupted before the send");
        assertEquals(List.of(phone), sent.deviceIds());
        assertEquals(1, awaitMail(email, 1).size());
        Thread.sleep(1000);
        assertEquals(1, mailTo(email).size());
        assertTrue(traffic.events(NotificationFailed.class, e -> e.userId().equals(userId)).isEmpty());
    }

    /** Records that the send of a claimed delivery started, with its lease already run out. */
    private void startSend(SendContext claimed) {
        Delivery delivery = claimed.delivery();
        assertEquals(Set.of(delivery.id()), QuarkusTransaction.requiringNew().call(
                () -> store.renewLeases(delivery.id(), List.of(delivery), Instant.now().minusSeconds(1))));
    }

    /** Claims the due e-mail delivery of a user for {@code lease}, as a worker would, while the workers are stopped. */
    /**
     * Checks that a push waiting behind a slow push of the same claim keeps its lease, so recovery does
     * not record it UNCERTAIN before it was sent.
     */
    @Test
    @Order(10)
    void slowSendKeepsClaimLeased() throws Exception {
        String userId = unique("usr-piero");
        String policyId = unique("pol-slow");
        String phone = "dev-phone-" + userId;
        String pad = "dev-pad-" + userId;
        worker.stop();
        try {
            assign(policyId, "S/MIME Lento", EndUserNotification.COMPANY_PORTAL, userId, userId + "@example.it", "it");
            TopicTraffic.send(enrollment(phone, userId, rsa(), hexToken()));
            TopicTraffic.send(enrollment(pad, userId, rsa(), hexToken()));
            TopicTraffic.send(ready(phone, userId, policyId));
            TopicTraffic.send(ready(pad, userId, policyId));

            // The Company Portal list names both devices once both pushes are planned.
            var listed = traffic.await(NotificationSent.class,
                    e -> e.userId().equals(userId) && e.channel() == DeliveryChannel.NOTIFICATION_LIST, 1, WAIT);
            if (listed.get(0).deviceIds().size() < 2) {
                traffic.await(NotificationSent.class,
                        e -> e.userId().equals(userId) && e.channel() == DeliveryChannel.NOTIFICATION_LIST, 2, WAIT);
            }
            // One claim of both pushes with a 1 s lease; each push then takes 2 s (the test timeout is 3 s).
            List<SendContext> claimed = worker.claimDue(Duration.ofSeconds(1)).stream()
                    .filter(context -> context.notification().userId().equals(userId)).toList();
            assertEquals(List.of("PUSH", "PUSH"), claimed.stream().map(context -> context.delivery().channel()).toList());
            PushGatewayTestResource.delayResponses(Duration.ofSeconds(2));
            var sending = CompletableFuture.runAsync(() -> worker.send(claimed));
            Thread.sleep(1500);
            assertEquals(0, worker.recoverInterrupted(), "the push waiting behind the slow one is still leased");
            sending.get(30, TimeUnit.SECONDS);
        } finally {
            PushGatewayTestResource.delayResponses(Duration.ZERO);
            worker.start();
        }
        List<NotificationSent> sent = traffic.await(NotificationSent.class,
                e -> e.userId().equals(userId) && e.channel() == DeliveryChannel.PUSH, 2, WAIT);
        assertEquals(Set.of(List.of(phone), List.of(pad)), sent.stream().map(NotificationSent::deviceIds).collect(
                Collectors.toSet()));
    }

    private SendContext claimEmailOf(String userId, Duration lease) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            var claimed = worker.claimDue(lease).stream()
                    .filter(context -> context.notification().userId().equals(userId)).findFirst();
            if (claimed.isPresent()) {
                return claimed.get();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("The e-mail delivery of " + userId + " did not become due within " + WAIT);
    }

    private static PackagedCertificate certificate(String thumbprintByte, CertificateRole role, boolean current) {
        return new PackagedCertificate(thumbprintByte.repeat(32), role, "01", Instant.now().plus(Duration.ofDays(365)),
                current);
    }

    private static PackageReady ready(String deviceId, String userId, String policyId, List<PackagedCertificate> certificates) {
        return new PackageReady(UUID.randomUUID().toString(), deviceId, userId, policyId, 1, certificates,
                SigningSource.IMPORTED_PKCS, Instant.now());
    }
}
