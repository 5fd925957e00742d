package io.smimedelivery.notification.text;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * Short end-user texts. The texts are in {@code messages/notification_it.properties} and
 * {@code messages/notification_en.properties}; Qute checks at build time that both files define every
 * method and use only its parameters. Use {@link NotificationTexts} to get them for a user.
 */
@MessageBundle(value = "notification", locale = Languages.ENGLISH)
public interface NotificationMessages {

    @Message
    String pushReadyTitle();

    @Message
    String pushReadyBody();

    @Message
    String pushFailedTitle();

    @Message
    String pushFailedBody();

    @Message
    String listReadyTitle();

    @Message
    String listReadyBody(String policyName);

    @Message
    String listFailedTitle();

    @Message
    String listFailedBody(String policyName, String reason);

    @Message
    String mailReadySubject(String policyName);

    @Message
    String mailFailedSubject(String policyName);

    @Message
    String greetingNamed(String name);

    @Message
    String greetingUnnamed();

    @Message
    String reasonNoEncryptionCertificate();

    @Message
    String reasonNoSigningCertificate();

    @Message
    String reasonEmailMismatch();

    @Message
    String reasonDeviceKeyUnsupported();

    @Message
    String reasonGeneric();

    @Message
    String pushRenewalTitle();

    @Message
    String pushRenewalBody();

    @Message
    String listRenewalTitle();

    @Message
    String listRenewalBody(String policyName);

    @Message
    String mailRenewalSubject(String policyName);

    @Message
    String reasonDerivedCredentialMissing();
}
