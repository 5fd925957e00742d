package io.smimedelivery.events.appconfig;

import static io.smimedelivery.events.appconfig.SamplePolicies.ACCOUNT_TYPE;
import static io.smimedelivery.events.appconfig.SamplePolicies.LDAP_HOST;
import static io.smimedelivery.events.appconfig.SamplePolicies.SMIME_ENABLED;
import static io.smimedelivery.events.appconfig.SamplePolicies.SMIME_USER_CHANGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.smimedelivery.events.appconfig.SamplePolicies.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class OutlookAppConfigKeysTest {

    static Stream<Sample> samples() {
        return SamplePolicies.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void keysMatchExpectedSet(Sample sample) {
        Map<String, Object> keys = OutlookAppConfig.keys(sample.settings());

        assertEquals(sample.expected(), keys);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void keysKeepExpectedOrder(Sample sample) {
        Map<String, Object> keys = OutlookAppConfig.keys(sample.settings());

        assertEquals(new ArrayList<>(sample.expected().keySet()), new ArrayList<>(keys.keySet()));
    }

    @Test
    void smimeOffDropsEncryptSignAndLdap() {
        Map<String, Object> keys = OutlookAppConfig.keys(SamplePolicies.smimeOff().settings());

        assertEquals(List.of(SMIME_ENABLED, SMIME_USER_CHANGE), new ArrayList<>(keys.keySet()));
        assertEquals(Boolean.FALSE, keys.get(SMIME_ENABLED));
    }

    @Test
    void ldapHostIsStringValue() {
        Map<String, Object> keys = OutlookAppConfig.keys(SamplePolicies.fullPolicyWithLdap().settings());

        assertInstanceOf(String.class, keys.get(LDAP_HOST));
        assertEquals("ldaps://ldap.example.it:636", keys.get(LDAP_HOST));
    }

    @Test
    void ldapHostAbsentWhenNotSet() {
        Map<String, Object> keys =
                OutlookAppConfig.keys(SamplePolicies.encryptAndSignUserChangeAllowed().settings());

        assertFalse(keys.containsKey(LDAP_HOST));
    }

    @Test
    void accountTypeKeptWhenSmimeOff() {
        OutlookSmimeSettings settings = new OutlookSmimeSettings(
                false, false, false, false, false, false, null, false, OutlookSmimeSettings.MODERN_AUTH);

        Map<String, Object> keys = OutlookAppConfig.keys(settings);

        assertEquals(SamplePolicies.ordered(
                SMIME_ENABLED, false,
                SMIME_USER_CHANGE, false,
                ACCOUNT_TYPE, "ModernAuth"), keys);
    }

    @Test
    void valuesAreBooleanOrString() {
        for (Sample sample : SamplePolicies.all()) {
            for (Map.Entry<String, Object> entry : OutlookAppConfig.keys(sample.settings()).entrySet()) {
                boolean expectString = entry.getKey().equals(LDAP_HOST) || entry.getKey().equals(ACCOUNT_TYPE);
                Class<?> expectedType = expectString ? String.class : Boolean.class;
                assertInstanceOf(expectedType, entry.getValue(), sample + ": " + entry.getKey());
            }
        }
    }

    @Test
    void deployCertificatesAddsNoKey() {
        OutlookSmimeSettings deploying =
                new OutlookSmimeSettings(true, true, true, true, true, true, null, true, null);
        OutlookSmimeSettings notDeploying =
                new OutlookSmimeSettings(true, true, true, true, true, true, null, false, null);

        assertEquals(OutlookAppConfig.keys(deploying), OutlookAppConfig.keys(notDeploying));
    }

    @Test
    void keysMapIsUnmodifiable() {
        Map<String, Object> keys = OutlookAppConfig.keys(SamplePolicies.smimeOff().settings());

        assertThrows(UnsupportedOperationException.class, () -> keys.put(LDAP_HOST, "ldap://other"));
    }

    @Test
    void keysRejectsNullSettings() {
        assertThrows(NullPointerException.class, () -> OutlookAppConfig.keys(null));
    }

    @Test
    void constantsMatchDocumentedNames() {
        assertEquals(SMIME_ENABLED, OutlookAppConfig.SMIME_ENABLED);
        assertEquals(SMIME_USER_CHANGE, OutlookAppConfig.SMIME_ENABLED_USER_CHANGE_ALLOWED);
        assertEquals(SamplePolicies.ENCRYPT_ALL, OutlookAppConfig.ENCRYPT_ALL_MAIL);
        assertEquals(SamplePolicies.ENCRYPT_ALL_USER_CHANGE, OutlookAppConfig.ENCRYPT_ALL_MAIL_USER_CHANGE_ALLOWED);
        assertEquals(SamplePolicies.SIGN_ALL, OutlookAppConfig.SIGN_ALL_MAIL);
        assertEquals(SamplePolicies.SIGN_ALL_USER_CHANGE, OutlookAppConfig.SIGN_ALL_MAIL_USER_CHANGE_ALLOWED);
        assertEquals(LDAP_HOST, OutlookAppConfig.LDAP_HOST_NAME);
        assertEquals(ACCOUNT_TYPE, OutlookAppConfig.ACCOUNT_TYPE);
    }

    @Test
    void withUserAddsThePrincipalNameLast() {
        Map<String, Object> keys = OutlookAppConfig.keys(new OutlookSmimeSettings(true, false, false, true, true, true,
                null, true, null));
        Map<String, Object> forUser = OutlookAppConfig.withUser(keys, "mario.rossi@example.it");
        assertEquals("mario.rossi@example.it", forUser.get("IntuneMAMUPN"));
        assertEquals(new ArrayList<>(keys.keySet()), new ArrayList<>(forUser.keySet()).subList(0, keys.size()));
        assertThrows(IllegalArgumentException.class, () -> OutlookAppConfig.withUser(keys, " "));
        assertThrows(UnsupportedOperationException.class, () -> forUser.put("x", true));
    }
}
