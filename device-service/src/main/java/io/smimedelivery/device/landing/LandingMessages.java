package io.smimedelivery.device.landing;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * End-user texts of the landing page. The texts are in {@code messages/landing_it.properties} and
 * {@code messages/landing_en.properties}; Qute checks at build time that both files define every method
 * and use only its parameters. Templates reach the texts as {@code {landing:name}} in the locale of the
 * template instance, and {@link LandingTexts} returns them for Java code.
 */
@MessageBundle(value = "landing", locale = LandingLanguage.ENGLISH)
public interface LandingMessages {

    // Page frame and labels
    @Message
    String pageTitle();

    @Message
    String intro();

    @Message
    String deviceLabel();

    @Message
    String stateLabel();

    @Message
    String nextLabel();

    @Message
    String certificatesLabel();

    @Message
    String updatedOn(String date);

    @Message
    String helpdesk();

    // Pages without a status list
    @Message
    String notFoundTitle();

    @Message
    String notFoundBody();

    @Message
    String policyNotFoundBody();

    @Message
    String retiredTitle();

    @Message
    String retiredBody();

    @Message
    String noPolicies();

    // State names and what happens next
    @Message
    String statePending();

    @Message
    String nextPending();

    @Message
    String stateReady();

    @Message
    String nextReady();

    @Message
    String stateNotified();

    @Message
    String stateRetrieved();

    @Message
    String nextRetrieved();

    @Message
    String stateInstalled();

    @Message
    String nextInstalled();

    @Message
    String stateFailed();

    @Message
    String stateRemoved();

    @Message
    String nextRemovedUnassigned();

    @Message
    String nextRemovedRetired();

    // Why a delivery failed, by reason code
    @Message
    String reasonNoEncryptionCertificate();

    @Message
    String reasonNoSigningCertificate();

    @Message
    String reasonEmailMismatch();

    @Message
    String reasonDeviceKeyUnsupported();

    @Message
    String reasonNotificationFailed();

    @Message
    String reasonInstallMismatch();

    @Message
    String reasonGeneric();

    @Message
    String reasonDerivedCredentialMissing();

    @Message
    String reasonScepRejected();

    @Message
    String contactHelpdesk();

    // Certificates
    @Message
    String noCertificates();

    @Message
    String encryptionCount(int count);

    @Message
    String encryptionCurrent(String thumbprint, String date);

    @Message
    String encryptionOlder(int count);

    @Message
    String noEncryption();

    @Message
    String signingImported();

    @Message
    String signingImportedUntil(String date);

    @Message
    String signingScep();

    @Message
    String signingDerived();

    @Message
    String signingNone();

    @Message
    String signingUnknown();
}
