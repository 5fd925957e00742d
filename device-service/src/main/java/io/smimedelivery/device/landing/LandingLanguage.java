package io.smimedelivery.device.landing;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** The languages of the landing page, and the choice of one of them from a BCP 47 tag. */
public final class LandingLanguage {

    public static final String ITALIAN = "it";
    public static final String ENGLISH = "en";
    public static final Set<String> SUPPORTED = Set.of(ITALIAN, ENGLISH);

    private LandingLanguage() {
    }

    /**
     * Returns {@code "it"} or {@code "en"} when the primary language subtag of {@code tag} is one of them,
     * so {@code it-IT} and {@code en-GB} count. Java locale names such as {@code it_IT} are accepted too.
     * A blank, malformed or unsupported tag gives an empty result.
     */
    public static Optional<String> supported(String tag) {
        if (tag == null || tag.isBlank()) {
            return Optional.empty();
        }
        // forLanguageTag returns an empty language for a malformed tag and lower-cases a valid one.
        String language = Locale.forLanguageTag(tag.strip().replace('_', '-')).getLanguage();
        return SUPPORTED.contains(language) ? Optional.of(language) : Optional.empty();
    }

    /**
     * Returns the configured default language as {@code "it"} or {@code "en"}.
     *
     * @throws IllegalArgumentException if {@code configured} is neither Italian nor English
     */
    public static String requireSupported(String configured) {
        return supported(configured).orElseThrow(() -> new IllegalArgumentException("Invalid default language '"
                + configured + "' in smime.device.default-language: expected one of " + SUPPORTED.stream().sorted().toList()));
    }

    /** Returns the locale of dates on the page: Italian, or British English for day-month-year order. */
    public static Locale dateLocale(String language) {
        return ITALIAN.equals(language) ? Locale.ITALIAN : Locale.UK;
    }
}
