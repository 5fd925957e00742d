package io.smimedelivery.events.appconfig;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sample settings with the keys that {@link OutlookAppConfig#keys} must return for them, in the
 * expected order. Key names are written out in full so that a typo in a constant fails the tests.
 */
final class SamplePolicies {

    static final String SMIME_ENABLED = "com.microsoft.outlook.Mail.SMIMEEnabled";
    static final String SMIME_USER_CHANGE = "com.microsoft.outlook.Mail.SMIMEEnabled.UserChangeAllowed";
    static final String ENCRYPT_ALL = "com.microsoft.outlook.Mail.SMIMEEnabled.EncryptAllMail";
    static final String ENCRYPT_ALL_USER_CHANGE =
            "com.microsoft.outlook.Mail.SMIMEEnabled.EncryptAllMail.UserChangeAllowed";
    static final String SIGN_ALL = "com.microsoft.outlook.Mail.SMIMEEnabled.SignAllMail";
    static final String SIGN_ALL_USER_CHANGE =
            "com.microsoft.outlook.Mail.SMIMEEnabled.SignAllMail.UserChangeAllowed";
    static final String LDAP_HOST = "com.microsoft.outlook.Mail.SMIMEEnabled.LDAPHostName";
    static final String ACCOUNT_TYPE = "com.microsoft.outlook.EmailProfile.AccountType";

    static final String LDAP_URL = "ldaps://ldap.example.it:636";

    /** LDAP value with every character that XML element content must escape, plus quotes. */
    static final String LDAP_URL_NEEDING_ESCAPES =
            "ldaps://ldap.example.it:636/ou=R&D,o=\"Rossi & Figli\" <S.p.A.>,c=it?'cert']]>";

    /** One sample: a name for test output, the settings and the expected keys in order. */
    record Sample(String name, OutlookSmimeSettings settings, Map<String, Object> expected) {

        @Override
        public String toString() {
            return name;
        }
    }

    private SamplePolicies() {
    }

    /** S/MIME off. The encrypt, sign and LDAP values are set to show that they are dropped. */
    static Sample smimeOff() {
        OutlookSmimeSettings settings =
                new OutlookSmimeSettings(false, true, true, true, true, true, LDAP_URL, true, null);
        return new Sample("S/MIME off", settings, ordered(
                SMIME_ENABLED, false,
                SMIME_USER_CHANGE, true));
    }

    static Sample encryptAndSignUserChangeAllowed() {
        OutlookSmimeSettings settings =
                new OutlookSmimeSettings(true, true, true, true, true, true, null, true, null);
        return new Sample("encrypt and sign, user change allowed", settings, ordered(
                SMIME_ENABLED, true,
                SMIME_USER_CHANGE, true,
                ENCRYPT_ALL, true,
                ENCRYPT_ALL_USER_CHANGE, true,
                SIGN_ALL, true,
                SIGN_ALL_USER_CHANGE, true));
    }

    static Sample signOnlyNoUserChange() {
        OutlookSmimeSettings settings =
                new OutlookSmimeSettings(true, false, false, false, true, false, null, true, null);
        return new Sample("sign only, no user change", settings, ordered(
                SMIME_ENABLED, true,
                SMIME_USER_CHANGE, false,
                ENCRYPT_ALL, false,
                ENCRYPT_ALL_USER_CHANGE, false,
                SIGN_ALL, true,
                SIGN_ALL_USER_CHANGE, false));
    }

    /** Returns the sample with every key: S/MIME on, LDAP host and account type set. The golden files render it. */
    static Sample fullPolicyWithLdap() {
        OutlookSmimeSettings settings = new OutlookSmimeSettings(
                true, false, true, true, true, false, LDAP_URL, true, OutlookSmimeSettings.MODERN_AUTH);
        return new Sample("full policy with LDAP host", settings, ordered(
                SMIME_ENABLED, true,
                SMIME_USER_CHANGE, false,
                ENCRYPT_ALL, true,
                ENCRYPT_ALL_USER_CHANGE, true,
                SIGN_ALL, true,
                SIGN_ALL_USER_CHANGE, false,
                LDAP_HOST, LDAP_URL,
                ACCOUNT_TYPE, "ModernAuth"));
    }

    static Sample ldapValueNeedingEscapes() {
        OutlookSmimeSettings settings = new OutlookSmimeSettings(
                true, true, true, false, false, true, LDAP_URL_NEEDING_ESCAPES, false, null);
        return new Sample("LDAP value needing XML escapes", settings, ordered(
                SMIME_ENABLED, true,
                SMIME_USER_CHANGE, true,
                ENCRYPT_ALL, true,
                ENCRYPT_ALL_USER_CHANGE, false,
                SIGN_ALL, false,
                SIGN_ALL_USER_CHANGE, true,
                LDAP_HOST, LDAP_URL_NEEDING_ESCAPES));
    }

    static List<Sample> all() {
        return List.of(
                smimeOff(),
                encryptAndSignUserChangeAllowed(),
                signOnlyNoUserChange(),
                fullPolicyWithLdap(),
                ldapValueNeedingEscapes());
    }

    /** Builds an insertion-ordered map from alternating keys and values. */
    static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
