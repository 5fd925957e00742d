package io.smimedelivery.notification;

import static io.smimedelivery.infra.EndpointSecurityWalk.Rule.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smimedelivery.infra.EndpointSecurityWalk.Rule;
import io.smimedelivery.infra.InfrastructureTestResource;
import io.smimedelivery.infra.ServiceFoundationTestBase;
import io.smimedelivery.infra.SmtpServer;
import io.smimedelivery.infra.TestInfrastructure;

@QuarkusTest
@WithTestResource(value = InfrastructureTestResource.class,
        initArgs = {
                @ResourceArg(name = InfrastructureTestResource.DATABASE_ARG, value = "notification"),
                @ResourceArg(name = InfrastructureTestResource.SMTP_ARG, value = "true") })
class NotificationServiceFoundationTest extends ServiceFoundationTestBase {

    @Inject
    Mailer mailer;

    @Test
    void mailReachesSmtpServer() throws Exception {
        SmtpServer smtp = TestInfrastructure.shared().smtp();
        smtp.purge();

        mailer.send(Mail.withText("mario.rossi@example.it", "Prova di consegna", "Il servizio invia posta."));

        assertTrue(smtp.awaitMessages(1, 10_000), "one message arrived");
        MimeMessage received = smtp.receivedMessages()[0];
        assertEquals("Prova di consegna", received.getSubject());
        assertEquals("mario.rossi@example.it", received.getAllRecipients()[0].toString());
    }

    @Override
    protected String databasePrefix() {
        return "notification";
    }

    @Override
    protected Map<String, Rule> endpointRules() {
        return Map.ofEntries(
                Map.entry("GET /api/audit", ADMIN),
                Map.entry("GET /api/notifications", READ),
                Map.entry("GET /api/users/{userId}/company-portal/notifications", READ),
                Map.entry("GET /api/devices/{deviceId}/company-portal/notifications", DEVICE),
                Map.entry("POST /api/devices/{deviceId}/company-portal/notifications/{entryId}/read", DEVICE));
    }
}
