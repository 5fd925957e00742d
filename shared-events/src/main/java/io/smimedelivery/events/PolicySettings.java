package io.smimedelivery.events;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Snapshot of an Outlook S/MIME policy version, as devices of assigned users must receive it. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PolicySettings(
        @JsonPropertyDescription("Outlook's S/MIME setting is on") boolean smimeEnabled,
        @JsonPropertyDescription("The user may turn S/MIME on or off in Outlook") boolean smimeUserChangeAllowed,
        @JsonPropertyDescription("The service deploys S/MIME certificates to the devices") boolean deployCertificates,
        @Nullable @JsonPropertyDescription("Where the signing certificate comes from; absent when certificates are not deployed") SigningProfileType signingProfileType,
        @Nullable @JsonPropertyDescription("Where the encryption certificates come from; absent when certificates are not deployed") EncryptionProfileType encryptionProfileType,
        @Nullable @JsonPropertyDescription("How the user is told to open Company Portal; absent when certificates are not deployed") EndUserNotification endUserNotification,
        @JsonPropertyDescription("Outlook encrypts all mail by default") boolean encryptAllMail,
        @JsonPropertyDescription("The user may change the encrypt-all-mail setting") boolean encryptAllMailUserChangeAllowed,
        @JsonPropertyDescription("Outlook signs all mail by default") boolean signAllMail,
        @JsonPropertyDescription("The user may change the sign-all-mail setting") boolean signAllMailUserChangeAllowed,
        @Nullable @JsonPropertyDescription("LDAP host Outlook queries for recipients' certificates: ldap://host[:port], ldaps://host[:port] or host[:port]") String ldapHostName,
        @JsonPropertyDescription("Trusted root and intermediate CA certificates to install with the package") List<TrustedRoot> trustedRoots,
        @Nullable @JsonPropertyDescription("SCEP profile of the signing certificate; present when signingProfileType is SCEP") ScepProfileSnapshot scepProfile) {

    public PolicySettings {
        trustedRoots = Require.list(trustedRoots, "trustedRoots");
        if (deployCertificates) {
            Require.present(signingProfileType, "signingProfileType");
            Require.present(encryptionProfileType, "encryptionProfileType");
            Require.present(endUserNotification, "endUserNotification");
        }
    }
}
