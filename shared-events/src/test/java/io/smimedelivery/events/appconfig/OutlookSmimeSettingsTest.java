package io.smimedelivery.events.appconfig;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OutlookSmimeSettingsTest {

    @Test
    void nullOptionalValuesAccepted() {
        assertDoesNotThrow(() -> settings(null, null));
    }

    @Test
    void modernAuthAccountTypeAccepted() {
        assertDoesNotThrow(() -> settings("ldaps://ldap.example.it:636", "ModernAuth"));
    }

    @Test
    void blankLdapHostRejected() {
        IllegalArgumentException error =
                assertThrows(IllegalArgumentException.class, () -> settings("  ", null));

        assertTrue(error.getMessage().contains("ldapHostName"), error.getMessage());
    }

    @Test
    void emptyLdapHostRejected() {
        assertThrows(IllegalArgumentException.class, () -> settings("", null));
    }

    @Test
    void undocumentedAccountTypeRejected() {
        IllegalArgumentException error =
                assertThrows(IllegalArgumentException.class, () -> settings(null, "BasicAuth"));

        assertTrue(error.getMessage().contains("BasicAuth"), error.getMessage());
    }

    @Test
    void accountTypeIsCaseSensitive() {
        assertThrows(IllegalArgumentException.class, () -> settings(null, "modernauth"));
    }

    @Test
    void blankAccountTypeRejected() {
        assertThrows(IllegalArgumentException.class, () -> settings(null, ""));
    }

    private static OutlookSmimeSettings settings(String ldapHostName, String accountType) {
        return new OutlookSmimeSettings(true, true, true, true, true, true, ldapHostName, true, accountType);
    }
}
