package io.smimedelivery.device.landing;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.qute.i18n.Localized;
import io.quarkus.runtime.Startup;

/**
 * The landing page texts of one language, and the language of a page. Startup fails when
 * {@code smime.device.default-language} is neither Italian nor English.
 */
@ApplicationScoped
@Startup
public class LandingTexts {

    private final String defaultLanguage;
    private final LandingMessages italian;
    private final LandingMessages english;

    /** The bundle without a qualifier is the English one, because English is its default locale. */
    LandingTexts(LandingConfig config, @Localized(LandingLanguage.ITALIAN) LandingMessages italian,
            LandingMessages english) {
        this.defaultLanguage = LandingLanguage.requireSupported(config.defaultLanguage());
        this.italian = italian;
        this.english = english;
    }

    /**
     * Returns the language of a page: {@code requested} (the {@code lang} query parameter) when it is
     * supported, otherwise the user's preferred language when it is supported, otherwise the default.
     * Both arguments are BCP 47 tags or null.
     */
    public String language(String requested, String preferred) {
        return LandingLanguage.supported(requested)
                .or(() -> LandingLanguage.supported(preferred))
                .orElse(defaultLanguage);
    }

    public LandingMessages messages(String language) {
        return LandingLanguage.ITALIAN.equals(language) ? italian : english;
    }
}
