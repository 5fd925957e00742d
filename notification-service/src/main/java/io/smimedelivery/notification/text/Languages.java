package io.smimedelivery.notification.text;

import java.util.Locale;
import java.util.Set;

/** The languages of end-user texts, and the choice of one of them for a user. */
public final class Languages {

    public static final String ITALIAN = "it";
    public static final String ENGLISH = "en";
    public static final Set<String> SUPPORTED = Set.of(ITALIAN, ENGLISH);

    private Languages() {
    }

    /**
     * Returns {@code "it"} or {@code "en"} for a user's preferred language.
     *
     * <p>Both arguments are BCP 47 tags such as {@code it}, {@code it-IT}, {@code EN-gb}; Java locale names
     * such as {@code it_IT} are accepted too. Only the primary language subtag counts, so {@code en-US} and
     * {@code en-GB} both give English. A tag is read up to its first malformed subtag, as
     * {@link Locale#forLanguageTag} does, so {@code en-US,en;q=0.9} gives English too. A blank or
     * unsupported preference gives the default.
     *
     * @throws IllegalArgumentException if {@code defaultLanguage} is not Italian or English
     */
    public static String resolve(String preferredLanguage, String defaultLanguage) {
        String fallback = supportedLanguageOf(defaultLanguage);
        if (fallback == null) {
            throw new IllegalArgumentException("Invalid default language '" + defaultLanguage
                    + "': expected one of " + SUPPORTED.stream().sorted().toList());
        }
        String preferred = supportedLanguageOf(preferredLanguage);
        return preferred != null ? preferred : fallback;
    }

    private static String supportedLanguageOf(String tag) {
        if (tag == null || tag.isBlank()) {
            return null;
        }
        // forLanguageTag lower-cases the language and returns an empty one for a malformed tag.
        String language = Locale.forLanguageTag(tag.strip().replace('_', '-')).getLanguage();
        return SUPPORTED.contains(language) ? language : null;
    }
}
