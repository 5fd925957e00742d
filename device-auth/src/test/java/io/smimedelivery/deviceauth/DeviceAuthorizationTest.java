package io.smimedelivery.deviceauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class DeviceAuthorizationTest {

    private static final String TOKEN = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJkIn0.c2lnbmF0dXJl";

    @Test
    void headerPrefixesScheme() {
        assertEquals("Device " + TOKEN, DeviceAuthorization.header(TOKEN));
    }

    @Test
    void headerRejectsNonToken68() {
        assertThrows(IllegalArgumentException.class, () -> DeviceAuthorization.header(""));
        assertThrows(IllegalArgumentException.class, () -> DeviceAuthorization.header("a b"));
        assertThrows(IllegalArgumentException.class, () -> DeviceAuthorization.header("a\r\nX-Injected: 1"));
    }

    @Test
    void tokenRoundTrip() {
        assertEquals(Optional.of(TOKEN), DeviceAuthorization.token(DeviceAuthorization.header(TOKEN)));
    }

    @Test
    void schemeIsCaseInsensitive() {
        for (String scheme : Arrays.asList("device", "DEVICE", "dEvIcE")) {
            assertEquals(Optional.of(TOKEN), DeviceAuthorization.token(scheme + " " + TOKEN), scheme);
        }
    }

    @Test
    void toleratesSurroundingAndRepeatedSpaces() {
        assertEquals(Optional.of(TOKEN), DeviceAuthorization.token("  Device   " + TOKEN + "  "));
    }

    @Test
    void acceptsToken68Padding() {
        assertEquals(Optional.of("abc+/=="), DeviceAuthorization.token("Device abc+/=="));
    }

    @Test
    void rejectsOtherValues() {
        for (String value : Arrays.asList(
                null,
                "",
                "Device",
                "Device ",
                "Bearer " + TOKEN,
                "Devices " + TOKEN,
                "DPoP " + TOKEN,
                TOKEN,
                "Device " + TOKEN + " extra",
                "Device a=b",
                "Device tok\u00e9n")) {
            assertEquals(Optional.empty(), DeviceAuthorization.token(value), "value " + value);
        }
    }
}
