package io.smimedelivery.notification.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class LanguagesTest {

    @Test
    void resolvesPreferredLanguage() {
        String[][] cases = {
                // preferred, default, expected
                { "it", "en", "it" },
                { "it-IT", "en", "it" },
                { "IT", "en", "it" },
                { "it_CH", "en", "it" },
                { "en", "it", "en" },
                { "en-GB", "it", "en" },
                { "en-US", "it", "en" },
                { " en-gb ", "it", "en" },
                { "de-DE", "it", "it" },
                { "fr", "en", "en" },
                { "", "it", "it" },
                { null, "en", "en" },
                { "not a tag", "it", "it" },
                { "en-US,en;q=0.9", "it", "en" },
                { "ita", "en", "en" },
                { "de", "it-IT", "it" },
        };
        for (String[] c : cases) {
            assertEquals(c[2], Languages.resolve(c[0], c[1]), Arrays.toString(c));
        }
    }

    @Test
    void unsupportedDefaultRejected() {
        assertThrows(IllegalArgumentException.class, () -> Languages.resolve("it", "de"));
        assertThrows(IllegalArgumentException.class, () -> Languages.resolve("it", null));
    }
}
