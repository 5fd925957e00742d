package io.smimedelivery.notification.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.mailer.Mail;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smimedelivery.infra.FreePorts;
import io.smimedelivery.infra.InfrastructureTestResource;
import io.smimedelivery.notification.delivery.DeliveryOutcome;
import io.smimedelivery.notification.mail.ScriptedSmtpServer.Script;

/**
 * MailDelivery against a scripted SMTP server on 127.0.0.1 that rejects, stalls or drops the connection
 * at a chosen step. The profile points quarkus-mailer at the server's port with a 3 s timeout and
 * without connection reuse, so that every test starts a fresh SMTP session under its own script.
 */
@QuarkusTest
@TestProfile(MailDeliveryTest.ScriptedSmtpProfile.class)
@WithTestResource(value = InfrastructureTestResource.class,
        initArgs = @ResourceArg(name = InfrastructureTestResource.DATABASE_ARG, value = "notification"))
class MailDeliveryTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private static ScriptedSmtpServer server;

    @Inject
    MailDelivery delivery;

    @Inject
    MailComposer composer;

    public static class ScriptedSmtpProfile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.mailer.host", "127.0.0.1",
                    "quarkus.mailer.port", Integer.toString(FreePorts.find()),
                    "quarkus.mailer.timeout", TIMEOUT.toSeconds() + "s",
                    "quarkus.mailer.keep-alive", "false");
        }
    }

    @BeforeEach
    void startServer() throws IOException {
        if (server == null) {
            int port = ConfigProvider.getConfig().getValue("quarkus.mailer.port", Integer.class);
            server = ScriptedSmtpServer.start(port);
        }
    }

    @AfterEach
    void resetServer() {
        server.reset();
    }

    @AfterAll
    static void stopServer() throws IOException {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    @Test
    void acceptedMessageIsSent() {
        DeliveryOutcome outcome = delivery.send(readyMail());

        assertEquals(DeliveryOutcome.Status.SENT, outcome.status(), outcome.detail());
        assertEquals(1, server.receivedData().size(), "the server received one message");
    }

    @Test
    void messageDataHasNoBareLineFeed() {
        Mail mail = readyMail();
        MailComposer.setSubject(mail,
                "Certificati S/MIME pronti: apri Company Portal — perché la tua posta sia più sicura, àèéìòù");

        assertEquals(DeliveryOutcome.Status.SENT, delivery.send(mail).status());

        String data = new String(server.receivedData().get(0), StandardCharsets.ISO_8859_1);
        assertFalse(data.replace("\r\n", "").contains("\n"), "every line ends with CRLF:\n" + data);
        assertTrue(data.contains("\r\nSubject: =?UTF-8?B?") || data.startsWith("Subject: =?UTF-8?B?"),
                "the subject is the encoded header of MailComposer:\n" + data);
        assertTrue(data.contains("?=\r\n =?UTF-8?B?"), "the subject is folded with CRLF:\n" + data);
    }

    @Test
    void recipientRejected5xxIsPermanent() {
        server.script(Script.REJECT_RECIPIENT_PERMANENTLY);

        DeliveryOutcome outcome = delivery.send(readyMail());

        assertEquals(DeliveryOutcome.Status.PERMANENT_FAILURE, outcome.status(), outcome.detail());
        assertTrue(outcome.detail().contains("550"), "detail contains the reply: " + outcome.detail());
        assertTrue(outcome.detail().contains("user unknown"), "detail contains the reply: " + outcome.detail());
    }

    @Test
    void recipientRejected4xxIsTemporary() {
        server.script(Script.REJECT_RECIPIENT_TEMPORARILY);

        DeliveryOutcome outcome = delivery.send(readyMail());

        assertEquals(DeliveryOutcome.Status.TEMPORARY_FAILURE, outcome.status(), outcome.detail());
        assertTrue(outcome.detail().contains("451"), "detail contains the reply: " + outcome.detail());
    }

    @Test
    void dataRejected5xxIsPermanent() {
        server.script(Script.REJECT_DATA);

        DeliveryOutcome outcome = delivery.send(readyMail());

        assertEquals(DeliveryOutcome.Status.PERMANENT_FAILURE, outcome.status(), outcome.detail());
        assertTrue(outcome.detail().contains("554"), "detail contains the reply: " + outcome.detail());
    }

    @Test
    void senderRejected5xxIsTemporary() {
        server.script(Script.REJECT_SENDER);

        DeliveryOutcome outcome = delivery.send(readyMail());

        assertEquals(DeliveryOutcome.Status.TEMPORARY_FAILURE, outcome.status(), outcome.detail());
        assertTrue(outcome.detail().contains("550"), "detail contains the reply: " + outcome.detail());
    }

    @Test
    void greeting4xxIsTemporary() {
        server.script(Script.GREETING_UNAVAILABLE);

        DeliveryOutcome outcome = delivery.send(readyMail());

        assertEquals(DeliveryOutcome.Status.TEMPORARY_FAILURE, outcome.status(), outcome.detail());
    }

    @Test
    void refusedConnectionIsTemporary() throws IOException {
        server.stopListening();
        try {
            DeliveryOutcome outcome = delivery.send(readyMail());

            assertEquals(DeliveryOutcome.Status.TEMPORARY_FAILURE, outcome.status(), outcome.detail());
            assertTrue(outcome.detail().startsWith("Cannot connect"), outcome.detail());
        } finally {
            server.listen();
        }
    }

    @Test
    void missingGreetingTimesOutAsTemporary() {
        server.script(Script.NEVER_GREET);

        long start = System.nanoTime();
        DeliveryOutcome outcome = delivery.send(readyMail());
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        assertEquals(DeliveryOutcome.Status.TEMPORARY_FAILURE, outcome.status(), outcome.detail());
        assertTrue(elapsed.compareTo(TIMEOUT.minusMillis(200)) >= 0, "waited for the timeout: " + elapsed);
        assertTrue(elapsed.compareTo(TIMEOUT.plusSeconds(5)) < 0, "returned soon after the timeout: " + elapsed);
    }

    @Test
    void connectionLostAfterDataIsUncertain() {
        server.script(Script.CLOSE_AFTER_DATA);

        DeliveryOutcome outcome = delivery.send(readyMail());

        assertEquals(DeliveryOutcome.Status.UNCERTAIN, outcome.status(), outcome.detail());
        assertEquals(1, server.receivedData().size(), "the server had received the message data");
    }

    /** Pins the documented limit: the mail client does not say that the data was not sent yet. */
    @Test
    void connectionLostBeforeDataIsUncertain() {
        server.script(Script.CLOSE_AT_RECIPIENT);

        DeliveryOutcome outcome = delivery.send(readyMail());

        assertEquals(DeliveryOutcome.Status.UNCERTAIN, outcome.status(), outcome.detail());
        assertTrue(server.receivedData().isEmpty(), "no message data was sent");
    }

    @Test
    void zeroTimeoutRejected() {
        assertThrows(IllegalArgumentException.class, () -> new MailDelivery(null, Duration.ZERO));
    }

    private Mail readyMail() {
        return composer.compose(new EmailContent("mario.rossi@example.it", "it", EmailContent.Kind.READY,
                "Outlook S/MIME", "Mario Rossi",
                List.of(new DeviceLink("iPhone di Mario", "https://portal.example.it/devices/1")), null,
                "<delivery-test@smime-delivery>"));
    }
}
