package io.smimedelivery.events.appconfig;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Renders the managed app configuration that turns on S/MIME in Outlook for iOS, as a key/value
 * map, as JSON and as an Apple XML property list.
 *
 * <p>Key names, value types and defaults come from Microsoft's page "Deploying Outlook for iOS and
 * Android app configuration settings" (S/MIME settings, account setup configuration and
 * organization allowed accounts mode tables):
 * https://learn.microsoft.com/exchange/clients-and-mobile-in-exchange-online/outlook-for-ios-and-android/outlook-for-ios-and-android-configuration-with-microsoft-intune
 * That page lists every S/MIME key as Boolean and states that key names are case sensitive.
 * It lists {@code EncryptAllMail}, {@code SignAllMail} and their {@code UserChangeAllowed} keys
 * for managed devices only, so they reach Outlook only through the MDM channel.
 *
 * <p>Rules that {@link #keys} applies:
 * <ul>
 *   <li>{@code SMIMEEnabled} and {@code SMIMEEnabled.UserChangeAllowed} are always present, so a
 *       policy with S/MIME off sends false instead of leaving both settings to the app defaults.</li>
 *   <li>The encrypt, sign and LDAP keys are present only when S/MIME is enabled, because their
 *       names sit under {@code SMIMEEnabled} and requiring encryption or signing has no meaning
 *       while S/MIME is off.</li>
 *   <li>The LDAP key is present only when a host name is set.</li>
 *   <li>{@code AccountType} is present only when an account type is set.</li>
 * </ul>
 *
 * <p>Keys left out on purpose:
 * <ul>
 *   <li>{@code IntuneMAMAllowedAccountsOnly} restricts Outlook to the work account. It is an
 *       account policy choice, not an S/MIME setting, and the settings carry no value for it.</li>
 *   <li>{@code EmailAddress} and {@code EmailUPN} hold per-user values that the settings do
 *       not carry.</li>
 *   <li>Microsoft documents no Outlook key for "Deploy S/MIME certificates from Intune". That
 *       Intune setting makes the Company Portal deliver the certificates, so
 *       {@link OutlookSmimeSettings#deployCertificates()} adds no key.</li>
 * </ul>
 *
 * <p>NOTE: The same Microsoft page requires the key {@code IntuneMAMUPN} (String, the user
 * principal name) on iOS when a UEM other than Intune delivers managed-devices keys. Its value is
 * per user and {@link OutlookSmimeSettings} carries no user, so {@link #keys} does not add it.
 * The caller adds it for each user with {@link #withUser}.
 */
public final class OutlookAppConfig {

    /** Boolean, default false: whether Outlook enables S/MIME. */
    public static final String SMIME_ENABLED = "com.microsoft.outlook.Mail.SMIMEEnabled";

    /** Boolean, default true: whether the user may change {@link #SMIME_ENABLED}. */
    public static final String SMIME_ENABLED_USER_CHANGE_ALLOWED =
            SMIME_ENABLED + ".UserChangeAllowed";

    /** Boolean, default false: whether S/MIME encryption is required to send messages. */
    public static final String ENCRYPT_ALL_MAIL = SMIME_ENABLED + ".EncryptAllMail";

    /** Boolean, default true: whether the user may change {@link #ENCRYPT_ALL_MAIL}. */
    public static final String ENCRYPT_ALL_MAIL_USER_CHANGE_ALLOWED =
            ENCRYPT_ALL_MAIL + ".UserChangeAllowed";

    /** Boolean, default false: whether an S/MIME signature is required to send messages. */
    public static final String SIGN_ALL_MAIL = SMIME_ENABLED + ".SignAllMail";

    /** Boolean, default true: whether the user may change {@link #SIGN_ALL_MAIL}. */
    public static final String SIGN_ALL_MAIL_USER_CHANGE_ALLOWED =
            SIGN_ALL_MAIL + ".UserChangeAllowed";

    /**
     * String: LDAP host where Outlook looks up recipient encryption certificates.
     *
     * <p>NOTE: Unconfirmed key name. Microsoft's "Step 2. Configure Microsoft Outlook" page
     * (https://learn.microsoft.com/microsoft-365/solutions/apps-config-step-2) documents an
     * Outlook S/MIME setting "LDAP URL" for managed apps and managed devices but gives no key
     * name. The copy of the Outlook configuration page checked for this class lists no LDAP key
     * in its S/MIME table. This name is the one that third-party Intune policy exports use.
     */
    public static final String LDAP_HOST_NAME = SMIME_ENABLED + ".LDAPHostName";

    /** String, documented value {@value OutlookSmimeSettings#MODERN_AUTH}: account setup type. */
    public static final String ACCOUNT_TYPE = "com.microsoft.outlook.EmailProfile.AccountType";

    /** String: the user principal name of the account that the managed-devices keys apply to. */
    public static final String INTUNE_MAM_UPN = "IntuneMAMUPN";

    private static final ObjectMapper JSON = new ObjectMapper();

    private OutlookAppConfig() {
    }

    /**
     * Builds the app configuration keys for the given settings, following the rules in the class
     * comment.
     *
     * @return an unmodifiable map in insertion order, with Boolean or String values
     */
    public static Map<String, Object> keys(OutlookSmimeSettings settings) {
        Objects.requireNonNull(settings, "settings");
        Map<String, Object> keys = new LinkedHashMap<>();

        keys.put(SMIME_ENABLED, settings.smimeEnabled());
        keys.put(SMIME_ENABLED_USER_CHANGE_ALLOWED, settings.smimeUserChangeAllowed());

        if (settings.smimeEnabled()) {
            keys.put(ENCRYPT_ALL_MAIL, settings.encryptAllMail());
            keys.put(ENCRYPT_ALL_MAIL_USER_CHANGE_ALLOWED, settings.encryptAllMailUserChangeAllowed());
            keys.put(SIGN_ALL_MAIL, settings.signAllMail());
            keys.put(SIGN_ALL_MAIL_USER_CHANGE_ALLOWED, settings.signAllMailUserChangeAllowed());
            if (settings.ldapHostName() != null) {
                keys.put(LDAP_HOST_NAME, settings.ldapHostName());
            }
        }

        if (settings.accountType() != null) {
            keys.put(ACCOUNT_TYPE, settings.accountType());
        }
        return Collections.unmodifiableMap(keys);
    }

    /**
     * Returns {@code keys} with {@link #INTUNE_MAM_UPN} set to {@code userPrincipalName}, as a device
     * of that user receives them.
     *
     * @return an unmodifiable map in insertion order
     * @throws IllegalArgumentException if {@code userPrincipalName} is null or blank
     */
    public static Map<String, Object> withUser(Map<String, Object> keys, String userPrincipalName) {
        if (userPrincipalName == null || userPrincipalName.isBlank()) {
            throw new IllegalArgumentException("Invalid user principal name: the value is blank. Give the user's UPN.");
        }
        Map<String, Object> copy = new LinkedHashMap<>(keys);
        copy.put(INTUNE_MAM_UPN, userPrincipalName);
        return Collections.unmodifiableMap(copy);
    }

    /**
     * Renders the keys as a compact JSON object in the map's iteration order, with Boolean values
     * as JSON booleans and String values as JSON strings.
     *
     * @throws IllegalArgumentException if a key is null or empty, or a value is not a Boolean or
     *     a String
     */
    public static String toJson(Map<String, Object> keys) {
        validate(keys);
        try {
            return JSON.writeValueAsString(keys);
        } catch (JsonProcessingException e) {
            // Boolean and String values always serialize, so reaching this is a bug in this class.
            throw new IllegalStateException("Failed to serialize app configuration keys to JSON", e);
        }
    }

    /**
     * Renders the keys as a complete Apple XML property list (PLIST 1.0) whose top-level dict
     * contains the keys in the map's iteration order. Equal maps in equal order give equal output.
     *
     * @return the document text, which declares UTF-8 and must be encoded as UTF-8
     * @throws IllegalArgumentException if a key is null or empty, a value is not a Boolean or a
     *     String, or a key or String value contains a character that XML 1.0 cannot represent
     */
    public static String toPlist(Map<String, Object> keys) {
        validate(keys);
        return XmlPlistWriter.write(keys);
    }

    private static void validate(Map<String, Object> keys) {
        Objects.requireNonNull(keys, "keys");
        for (Map.Entry<String, Object> entry : keys.entrySet()) {
            String key = entry.getKey();
            if (key == null || key.isEmpty()) {
                throw new IllegalArgumentException(
                        "Invalid app configuration key: the name is null or empty. Give every key a name.");
            }
            Object value = entry.getValue();
            if (!(value instanceof Boolean) && !(value instanceof String)) {
                String type = value == null ? "null" : value.getClass().getName();
                throw new IllegalArgumentException("Invalid value type " + type
                        + " for app configuration key '" + key + "'. Use a Boolean or a String.");
            }
        }
    }
}
