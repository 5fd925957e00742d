package io.smimedelivery.certificate.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class Pkcs12ProfileTest {

    @Test
    void parseAcceptsConfigNames() {
        assertEquals(Pkcs12Profile.LEGACY_3DES, Pkcs12Profile.parse("legacy-3des"));
        assertEquals(Pkcs12Profile.AES256, Pkcs12Profile.parse("aes256"));
        assertEquals(Pkcs12Profile.AES256, Pkcs12Profile.parse(" AES256 "));
    }

    @Test
    void parseRejectsUnknownName() {
        for (String name : Arrays.asList("3des", "legacy", "", "  ", null, "LEGACY_3DES")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Pkcs12Profile.parse(name));

            assertTrue(e.getMessage().contains("Use one of: legacy-3des, aes256."), e.getMessage());
        }
    }

    @Test
    void parseNamesRejectedValue() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> Pkcs12Profile.parse("rc2"));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> Pkcs12Profile.parse(null));

        assertTrue(unknown.getMessage().startsWith("Invalid PKCS#12 profile 'rc2'."), unknown.getMessage());
        assertTrue(missing.getMessage().startsWith("Invalid PKCS#12 profile (missing)."), missing.getMessage());
    }

    @Test
    void configNamesAreDistinct() {
        List<String> names = Arrays.stream(Pkcs12Profile.values()).map(Pkcs12Profile::configName).toList();

        assertEquals(names.size(), names.stream().distinct().count());
    }
}
