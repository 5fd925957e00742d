package io.smimedelivery.notification.mail;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The e-mail templates in {@code src/main/resources/templates/mail}. Each method has two files, an HTML
 * one ({@code ready_it.html}) and a plain text one ({@code ready_it.txt}); the caller selects one with
 * {@link TemplateInstance#setVariant}. Qute checks at build time that the files use only {@link MailView}.
 */
@CheckedTemplate(basePath = "mail", defaultName = CheckedTemplate.UNDERSCORED_ELEMENT_NAME)
final class MailTemplates {

    private MailTemplates() {
    }

    static native TemplateInstance readyIt(MailView mail);

    static native TemplateInstance readyEn(MailView mail);

    static native TemplateInstance failedIt(MailView mail);

    static native TemplateInstance failedEn(MailView mail);

    static native TemplateInstance renewalIt(MailView mail);

    static native TemplateInstance renewalEn(MailView mail);
}
