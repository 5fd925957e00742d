package io.smimedelivery.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Snapshot of an Outlook S/MIME policy version, as devices of assigned users must receive it. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PolicySettings(
        @JsonPropertyDescription("Outlook's S/MIME setting is on") boolean smimeEnabled,
        @JsonPropertyDescription("The service deploys S/MIME certificates to the devices") boolean deployCertificates,
        @JsonPropertyDescription("Where the signing certificate comes from") SigningProfileType signingProfileType,
        @JsonPropertyDescription("Where the encryption certificates come from") EncryptionProfileType encryptionProfileType,
        @JsonPropertyDescription("How the user is told to open Company Portal") EndUserNotification endUserNotification,
        @JsonPropertyDescription("Outlook encrypts all mail by default") boolean encryptAllMail,
        @JsonPropertyDescription("Outlook signs all mail by default") boolean signAllMail,
        @JsonPropertyDescription("The user may change the S/MIME settings in Outlook") boolean userMayChangeSettings,
        @Nullable @JsonPropertyDescription("LDAP host Outlook queries for recipients' certificates") String ldapHost) {

    public PolicySettings {
        Require.present(signingProfileType, "signingProfileType");
        Require.present(encryptionProfileType, "encryptionProfileType");
        Require.present(endUserNotification, "endUserNotification");
    }
}
