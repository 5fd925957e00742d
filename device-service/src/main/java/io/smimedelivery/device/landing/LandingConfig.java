package io.smimedelivery.device.landing;

import java.time.ZoneId;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the landing page. */
@ConfigMapping(prefix = "smime.device")
public interface LandingConfig {

    /**
     * Language for users whose preferred language is missing or neither Italian nor English, and for the
     * page of an unknown device: {@code it} or {@code en}.
     */
    @WithDefault(LandingLanguage.ITALIAN)
    String defaultLanguage();

    /** Landing page settings. */
    Landing landing();

    /** Landing page settings. */
    interface Landing {

        /** Time zone of the dates and times on the page, as an IANA zone id such as Europe/Rome. */
        @WithDefault("UTC")
        ZoneId timeZone();
    }
}
