package io.smimedelivery.events.appconfig;

/**
 * S/MIME settings of one Outlook for iOS app configuration, the input of {@link OutlookAppConfig#keys}.
 *
 * <p>Each boolean maps to the Outlook key of the same name, described in {@link OutlookAppConfig}.
 * The encrypt, sign and LDAP values take effect only when {@code smimeEnabled} is true.
 *
 * @param smimeEnabled whether Outlook enables S/MIME
 * @param smimeUserChangeAllowed whether the user may change the S/MIME setting in the app
 * @param encryptAllMail whether Outlook requires S/MIME encryption to send messages
 * @param encryptAllMailUserChangeAllowed whether the user may change the encrypt-all setting
 * @param signAllMail whether Outlook requires an S/MIME signature to send messages
 * @param signAllMailUserChangeAllowed whether the user may change the sign-all setting
 * @param ldapHostName LDAP URL or host name where Outlook looks up recipient certificates,
 *     for example {@code ldaps://ldap.example.it:636}, or null for no LDAP lookup
 * @param deployCertificates whether this platform delivers the user's signing and encryption
 *     certificates to the device. No Outlook key carries this value, so it does not change the
 *     rendered keys.
 * @param accountType Outlook account type for account setup, {@value #MODERN_AUTH} or null to
 *     leave account setup out
 */
public record OutlookSmimeSettings(
        boolean smimeEnabled,
        boolean smimeUserChangeAllowed,
        boolean encryptAllMail,
        boolean encryptAllMailUserChangeAllowed,
        boolean signAllMail,
        boolean signAllMailUserChangeAllowed,
        String ldapHostName,
        boolean deployCertificates,
        String accountType) {

    /** The only account type value that Microsoft documents for Outlook account setup. */
    public static final String MODERN_AUTH = "ModernAuth";

    /**
     * Validates the optional strings.
     *
     * @throws IllegalArgumentException if {@code ldapHostName} is blank, or if {@code accountType}
     *     is set to anything other than {@value #MODERN_AUTH}
     */
    public OutlookSmimeSettings {
        if (ldapHostName != null && ldapHostName.isBlank()) {
            throw new IllegalArgumentException(
                    "Invalid ldapHostName: the value is blank. Pass null to leave the LDAP lookup out.");
        }
        if (accountType != null && !MODERN_AUTH.equals(accountType)) {
            throw new IllegalArgumentException("Invalid accountType '" + accountType
                    + "'. Use '" + MODERN_AUTH + "', the only documented value, or null.");
        }
    }
}
