package io.smimedelivery.notification.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smimedelivery.infra.InfrastructureTestResource;
import io.smimedelivery.notification.delivery.DeliveryOutcome;

/**
 * Checks that the service builds the client from application.properties. The test profile sets a loopback
 * gateway URL and no credentials, so the send below returns before any connection.
 */
@QuarkusTest
@WithTestResource(value = InfrastructureTestResource.class,
        initArgs = {
                @ResourceArg(name = InfrastructureTestResource.DATABASE_ARG, value = "notification"),
                @ResourceArg(name = InfrastructureTestResource.SMTP_ARG, value = "true") })
class ApnsClientInjectionTest {

    @Inject
    PushConfig config;

    @Inject
    ApnsClient client;

    @Test
    void configHasDocumentedDefaults() {
        assertEquals("https://127.0.0.1:1", config.gatewayUrl());
        assertEquals("com.microsoft.CompanyPortal", config.topic());
        assertEquals(Duration.ofSeconds(5), config.connectTimeout());
        assertEquals(Duration.ofSeconds(10), config.requestTimeout());
        assertTrue(config.enabled());
        assertTrue(config.teamId().isEmpty());
        assertTrue(config.privateKeyFile().isEmpty());
    }

    @Test
    void unconfiguredClientFailsTemporarily() {
        DeliveryOutcome outcome = client.send("0123456789abcdef".repeat(4),
                new ApnsNotification("Title", "Body", null, null, Map.of()), UUID.randomUUID().toString());

        assertEquals(DeliveryOutcome.Status.TEMPORARY_FAILURE, outcome.status(), outcome.detail());
        assertTrue(outcome.detail().contains("smime.push.team-id is missing"), outcome.detail());
    }
}
