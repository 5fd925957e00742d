package io.smimedelivery.notification.text;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.qute.i18n.Localized;
import io.quarkus.runtime.Startup;

/**
 * End-user texts in the user's language. Every method takes the user's preferred language as a BCP 47
 * tag, or null, and returns Italian or English as {@link Languages#resolve} chooses with the configured
 * default ({@code smime.notification.default-language}).
 */
@ApplicationScoped
@Startup
public class NotificationTexts {

    public static final String NO_ENCRYPTION_CERTIFICATE = "NO_ENCRYPTION_CERTIFICATE";
    public static final String NO_SIGNING_CERTIFICATE = "NO_SIGNING_CERTIFICATE";
    public static final String EMAIL_MISMATCH = "EMAIL_MISMATCH";
    public static final String DEVICE_KEY_UNSUPPORTED = "DEVICE_KEY_UNSUPPORTED";

    private final String defaultLanguage;
    private final NotificationMessages italian;
    private final NotificationMessages english;

    /**
     * Fails startup when the configured default language is neither Italian nor English. The bundle
     * without a qualifier is the English one, because English is its default locale.
     */
    NotificationTexts(
            @ConfigProperty(name = "smime.notification.default-language", defaultValue = Languages.ITALIAN)
            String defaultLanguage,
            @Localized(Languages.ITALIAN) NotificationMessages italian,
            NotificationMessages english) {
        this.defaultLanguage = Languages.resolve(null, defaultLanguage);
        this.italian = italian;
        this.english = english;
    }

    /** Returns {@code "it"} or {@code "en"}: the preferred language if supported, otherwise the default. */
    public String language(String preferredLanguage) {
        return Languages.resolve(preferredLanguage, defaultLanguage);
    }

    public String defaultLanguage() {
        return defaultLanguage;
    }

    public ShortText readyPush(String language) {
        NotificationMessages messages = messages(language);
        return new ShortText(messages.pushReadyTitle(), messages.pushReadyBody());
    }

    public ShortText failedPush(String language) {
        NotificationMessages messages = messages(language);
        return new ShortText(messages.pushFailedTitle(), messages.pushFailedBody());
    }

    public ShortText readyListEntry(String language, String policyName) {
        NotificationMessages messages = messages(language);
        return new ShortText(messages.listReadyTitle(), messages.listReadyBody(policyName));
    }

    /** Returns the list entry for a failed delivery, with the reason for {@code reasonCode} (nullable). */
    public ShortText failedListEntry(String language, String policyName, String reasonCode) {
        NotificationMessages messages = messages(language);
        return new ShortText(messages.listFailedTitle(),
                messages.listFailedBody(policyName, failureReason(messages, reasonCode)));
    }

    public ShortText renewalPush(String language) {
        NotificationMessages messages = messages(language);
        return new ShortText(messages.pushRenewalTitle(), messages.pushRenewalBody());
    }

    public ShortText renewalListEntry(String language, String policyName) {
        NotificationMessages messages = messages(language);
        return new ShortText(messages.listRenewalTitle(), messages.listRenewalBody(policyName));
    }

    public String renewalSubject(String language, String policyName) {
        return messages(language).mailRenewalSubject(policyName);
    }

    public String readySubject(String language, String policyName) {
        return messages(language).mailReadySubject(policyName);
    }

    public String failedSubject(String language, String policyName) {
        return messages(language).mailFailedSubject(policyName);
    }

    /**
     * Returns the salutation of an e-mail, such as "Gentile Mario Rossi,". {@code recipientName} is the
     * user's display name or e-mail address; when it is null or blank the salutation has no name.
     */
    public String greeting(String language, String recipientName) {
        NotificationMessages messages = messages(language);
        return recipientName == null || recipientName.isBlank()
                ? messages.greetingUnnamed()
                : messages.greetingNamed(recipientName.strip());
    }

    /**
     * Returns one sentence that explains a failure reason code to the user. Codes other than the four
     * constants of this class and DERIVED_CREDENTIAL_MISSING, and null, get a general sentence.
     */
    public String failureReason(String language, String reasonCode) {
        return failureReason(messages(language), reasonCode);
    }

    private static String failureReason(NotificationMessages messages, String reasonCode) {
        if (reasonCode == null) {
            return messages.reasonGeneric();
        }
        return switch (reasonCode) {
            case NO_ENCRYPTION_CERTIFICATE -> messages.reasonNoEncryptionCertificate();
            case NO_SIGNING_CERTIFICATE -> messages.reasonNoSigningCertificate();
            case EMAIL_MISMATCH -> messages.reasonEmailMismatch();
            case DEVICE_KEY_UNSUPPORTED -> messages.reasonDeviceKeyUnsupported();
            case "DERIVED_CREDENTIAL_MISSING" -> messages.reasonDerivedCredentialMissing();
            default -> messages.reasonGeneric();
        };
    }

    private NotificationMessages messages(String language) {
        return Languages.ITALIAN.equals(language(language)) ? italian : english;
    }
}
