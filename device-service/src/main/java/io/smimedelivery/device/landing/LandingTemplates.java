package io.smimedelivery.device.landing;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The landing page templates in {@code src/main/resources/templates/landing}. Qute checks at build time
 * that they use only the view records and the {@code landing:} texts of {@link LandingMessages}.
 */
@CheckedTemplate(basePath = "landing")
final class LandingTemplates {

    private LandingTemplates() {
    }

    static native TemplateInstance device(LandingViews.DevicePage page);

    static native TemplateInstance notice(LandingViews.NoticePage page);
}
