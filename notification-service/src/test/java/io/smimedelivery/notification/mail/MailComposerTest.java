package io.smimedelivery.notification.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;

import io.quarkus.mailer.Mail;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smimedelivery.infra.InfrastructureTestResource;
import io.smimedelivery.infra.SmtpServer;
import io.smimedelivery.infra.TestInfrastructure;
import io.smimedelivery.notification.delivery.DeliveryOutcome;
import io.smimedelivery.notification.text.NotificationTexts;

/**
 * Messages from MailComposer, sent by MailDelivery to the GreenMail server of the test infrastructure.
 * Tests find their message by its unique Message-ID instead of purging GreenMail. A purge restarts the
 * server, so the next send would open a new connection and could meet the greeting race that
 * ScriptedSmtpServer describes.
 */
@QuarkusTest
@WithTestResource(value = InfrastructureTestResource.class,
        initArgs = {
                @ResourceArg(name = InfrastructureTestResource.DATABASE_ARG, value = "notification"),
                @ResourceArg(name = InfrastructureTestResource.SMTP_ARG, value = "true") })
class MailComposerTest {

    private static final String ITALIAN_SUBJECT =
            "Certificati S/MIME pronti: apri Company Portal — perché la tua posta sia più sicura, àèéìòù";
    private static final String GERMAN_SUBJECT =
            "Ihre S/MIME-Zertifikate sind bereit: Öffnen Sie das Unternehmensportal für Äpfel, Öl, Übung, Straße, äöü";
    private static final Pattern ENCODED_WORD = Pattern.compile("=\\?UTF-8\\?B\\?([A-Za-z0-9+/=]*)\\?=");

    private static final List<DeviceLink> DEVICES = List.of(
            new DeviceLink("iPhone di Mario", "https://portal.example.it/devices/41?view=status&lang=it"),
            new DeviceLink("iPad Pro 11″", "https://portal.example.it/devices/42"));

    @Inject
    MailComposer composer;

    @Inject
    MailDelivery delivery;

    @Inject
    NotificationTexts texts;

    private final SmtpServer smtp = TestInfrastructure.shared().smtp();

    @Test
    void longSubjectsArriveDecoded() throws Exception {
        for (String subject : List.of(ITALIAN_SUBJECT, GERMAN_SUBJECT, "Zertifikate 🔒 bereit: ÄÖÜßäöü — 🔐🔑 für Outlook auf dem iPhone")) {
            assertTrue(subject.length() > 75 || subject.codePoints().anyMatch(Character::isSupplementaryCodePoint),
                    "long or with supplementary characters: " + subject);
            Mail mail = composer.compose(content("it", EmailContent.Kind.READY));
            MailComposer.setSubject(mail, subject);

            MimeMessage received = sendAndReceive(mail);

            assertEquals(subject, received.getSubject(), "decoded subject");
            assertEncodedWordsValid(received.getHeader("Subject", null));
        }
    }

    @Test
    void accentedPolicyNameInSubject() throws Exception {
        String policy = "Posta più sicura per l'Università — àèéìòù ÄÖÜßäöü";

        MimeMessage received = sendAndReceive(composer.compose(new EmailContent("mario.rossi@example.it", null,
                EmailContent.Kind.READY, policy, "Mario Rossi", DEVICES, null, newMessageId())));

        assertEquals(texts.readySubject("it", policy), received.getSubject());
        assertTrue(received.getSubject().contains(policy), received.getSubject());
        assertEncodedWordsValid(received.getHeader("Subject", null));
    }

    @Test
    void recipientAndMessageIdAsGiven() throws Exception {
        String messageId = newMessageId();
        MimeMessage received = sendAndReceive(composer.compose(new EmailContent("mario.rossi@example.it", "it",
                EmailContent.Kind.READY, "Outlook S/MIME", "Mario Rossi", DEVICES, null, messageId)));

        assertEquals("mario.rossi@example.it", received.getAllRecipients()[0].toString());
        assertEquals(messageId, received.getMessageID());
        assertEquals("no-reply@smime.invalid", received.getFrom()[0].toString().replaceAll(".*<|>.*", ""));
    }

    @Test
    void idnDomainArrivesAsPunycode() throws Exception {
        MimeMessage received = sendAndReceive(composer.compose(new EmailContent("mario@perché.example", "it",
                EmailContent.Kind.READY, "Outlook S/MIME", null, DEVICES, null, newMessageId())));

        assertEquals("mario@xn--perch-fsa.example", received.getAllRecipients()[0].toString());
    }

    @Test
    void nonAsciiLocalPartRejected() {
        EmailContent content = new EmailContent("mário@example.it", "it", EmailContent.Kind.READY,
                "Outlook S/MIME", null, DEVICES, null, "<local@smime-delivery>");

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> composer.compose(content));
        assertTrue(error.getMessage().contains("SMTPUTF8"), error.getMessage());
    }

    @Test
    void languageFollowsPreference() throws Exception {
        record Case(String preferred, String expectedLanguage) {
        }
        for (Case c : List.of(new Case(null, "it"), new Case("it-IT", "it"), new Case("en-GB", "en"),
                new Case("EN", "en"), new Case("fr-FR", "it"), new Case("", "it"))) {

            MimeMessage received = sendAndReceive(composer.compose(content(c.preferred(), EmailContent.Kind.READY)));

            assertEquals(texts.readySubject(c.expectedLanguage(), "Outlook S/MIME"), received.getSubject(),
                    "subject for preference " + c.preferred());
            String expectedText = c.expectedLanguage().equals("it") ? "Apri Company Portal" : "Open Company Portal";
            assertTrue(part(received, "text/plain").contains(expectedText), "text for preference " + c.preferred());
            assertTrue(part(received, "text/html").contains("<html lang=\"" + c.expectedLanguage() + "\">"),
                    "HTML for preference " + c.preferred());
        }
    }

    @Test
    void bodiesContainEveryDeviceLink() throws Exception {
        for (String language : List.of("it", "en")) {
            for (EmailContent.Kind kind : EmailContent.Kind.values()) {
    
                MimeMessage received = sendAndReceive(composer.compose(content(language, kind)));

                String text = part(received, "text/plain");
                String html = part(received, "text/html");
                for (DeviceLink device : DEVICES) {
                    assertTrue(text.contains(device.label() + ": " + device.url()), language + " " + kind + " text: " + text);
                    String escapedUrl = device.url().replace("&", "&amp;");
                    assertTrue(html.contains("href=\"" + escapedUrl + "\""), language + " " + kind + " HTML: " + html);
                    assertTrue(html.contains(device.label()), language + " " + kind + " HTML: " + html);
                }
            }
        }
    }

    @Test
    void htmlIsSelfContained() throws Exception {
        MimeMessage received = sendAndReceive(composer.compose(content("en", EmailContent.Kind.READY)));

        String html = part(received, "text/html");
        assertTrue(html.contains("<meta name=\"viewport\""), html);
        for (String tag : List.of("<link", "<img", "<script", "<style")) {
            assertFalse(html.contains(tag), "no external resource or style sheet (" + tag + "): " + html);
        }
        assertTrue(html.contains("lang=\"en\""), html);
    }

    @Test
    void failureMailExplainsReason() throws Exception {
        record Case(String language, String reasonCode) {
        }
        for (Case c : List.of(new Case("it", "NO_ENCRYPTION_CERTIFICATE"), new Case("en", "EMAIL_MISMATCH"),
                new Case("it", "SOMETHING_NEW"), new Case("en", null))) {
            EmailContent content = new EmailContent("mario.rossi@example.it", c.language(), EmailContent.Kind.FAILED,
                    "Outlook S/MIME", "Mario Rossi", DEVICES, c.reasonCode(), newMessageId());

            MimeMessage received = sendAndReceive(composer.compose(content));

            String reason = texts.failureReason(c.language(), c.reasonCode());
            String helpdesk = c.language().equals("it") ? "helpdesk IT" : "IT helpdesk";
            assertEquals(texts.failedSubject(c.language(), "Outlook S/MIME"), received.getSubject());
            assertTrue(part(received, "text/plain").contains(reason), "text has the reason for " + c);
            assertTrue(part(received, "text/plain").contains(helpdesk), "text names the helpdesk for " + c);
            String html = part(received, "text/html");
            assertTrue(html.contains(reason.replace("'", "&#39;")) || html.contains(reason), "HTML has the reason for " + c);
            assertTrue(html.contains(helpdesk), "HTML names the helpdesk for " + c);
        }
    }

    @Test
    void greetingUsesDisplayName() throws Exception {
        MimeMessage named = sendAndReceive(composer.compose(content("it", EmailContent.Kind.READY)));
        assertTrue(part(named, "text/plain").startsWith("Gentile Mario Rossi,"), part(named, "text/plain"));

        MimeMessage unnamed = sendAndReceive(composer.compose(new EmailContent("mario.rossi@example.it", "en",
                EmailContent.Kind.READY, "Outlook S/MIME", null, DEVICES, null, newMessageId())));
        assertTrue(part(unnamed, "text/plain").startsWith("Hello,"), part(unnamed, "text/plain"));
    }

    /** Sends the message and returns it as GreenMail received it, found by its Message-ID. */
    private MimeMessage sendAndReceive(Mail mail) throws MessagingException, InterruptedException {
        String messageId = mail.getHeaders().get("Message-ID").get(0);
        DeliveryOutcome outcome = delivery.send(mail);
        assertEquals(DeliveryOutcome.Status.SENT, outcome.status(), outcome.detail());

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            for (MimeMessage received : smtp.receivedMessages()) {
                if (messageId.equals(received.getMessageID())) {
                    return received;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("GreenMail received no message with Message-ID " + messageId);
    }

    private static EmailContent content(String language, EmailContent.Kind kind) {
        return new EmailContent("mario.rossi@example.it", language, kind, "Outlook S/MIME", "Mario Rossi", DEVICES,
                kind == EmailContent.Kind.FAILED ? "NO_SIGNING_CERTIFICATE" : null, newMessageId());
    }

    private static String newMessageId() {
        return "<" + UUID.randomUUID() + "@smime-delivery>";
    }

    /** Checks the raw, folded header: every line fits RFC 2047's 76 characters and every word is UTF-8 alone. */
    private static void assertEncodedWordsValid(String rawHeader) {
        List<String> lines = List.of(rawHeader.split("\r\n"));
        for (int i = 0; i < lines.size(); i++) {
            int prefix = i == 0 ? "Subject: ".length() : 0;
            assertTrue(prefix + lines.get(i).length() <= 76, "line " + i + " too long: " + lines.get(i));
        }
        Matcher matcher = ENCODED_WORD.matcher(rawHeader);
        List<String> words = new ArrayList<>();
        while (matcher.find()) {
            words.add(matcher.group(1));
        }
        assertTrue(words.size() > 1, "several encoded words: " + rawHeader);
        for (String word : words) {
            byte[] bytes = Base64.getDecoder().decode(word);
            try {
                StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes));
            } catch (CharacterCodingException e) {
                throw new AssertionError("encoded word is not valid UTF-8 on its own: " + word, e);
            }
        }
    }

    private static String part(MimeMessage message, String mediaType) throws MessagingException, IOException {
        Multipart alternatives = (Multipart) message.getContent();
        for (int i = 0; i < alternatives.getCount(); i++) {
            BodyPart part = alternatives.getBodyPart(i);
            if (part.isMimeType(mediaType)) {
                return (String) part.getContent();
            }
        }
        throw new AssertionError("no " + mediaType + " part in " + message.getContentType());
    }
}
