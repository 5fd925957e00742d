package io.smimedelivery.notification.mail;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.mailer.Mail;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.qute.Variant;
import io.smimedelivery.notification.text.Languages;
import io.smimedelivery.notification.text.NotificationTexts;

/** Renders an {@link EmailContent} into a message for {@link MailDelivery}. */
@ApplicationScoped
public class MailComposer {

    static final String SUBJECT_HEADER = "Subject";
    static final String MESSAGE_ID_HEADER = "Message-ID";

    private final NotificationTexts texts;
    private final String from;

    MailComposer(NotificationTexts texts, @ConfigProperty(name = "quarkus.mailer.from") String from) {
        this.texts = texts;
        this.from = from;
    }

    /**
     * Builds the message: sender from {@code quarkus.mailer.from}, one recipient, subject, plain text and
     * HTML bodies in the recipient's language, and the caller's Message-ID.
     *
     * <p>The recipient's domain is converted to ASCII (IDNA) and the local part is kept. The Subject header
     * is set already encoded (RFC 2047, folded with CRLF), and {@link Mail#getSubject()} keeps the plain
     * text. Vert.x keeps a Message-ID header that the message sets, instead of generating one.
     *
     * @throws IllegalArgumentException if the recipient address is invalid or has a non-ASCII local part
     */
    public Mail compose(EmailContent content) {
        String recipient = MailAddresses.toAsciiAddress(content.recipientAddress());
        String language = texts.language(content.language());
        boolean failed = content.kind() == EmailContent.Kind.FAILED;

        String subject = withoutControlCharacters(switch (content.kind()) {
            case READY -> texts.readySubject(language, content.policyName());
            case FAILED -> texts.failedSubject(language, content.policyName());
            case RENEWAL -> texts.renewalSubject(language, content.policyName());
        });
        MailView view = new MailView(
                texts.greeting(language, content.recipientName()),
                content.policyName(),
                content.devices(),
                failed ? texts.failureReason(language, content.reasonCode()) : null);

        Mail mail = new Mail()
                .setFrom(from)
                .addTo(recipient)
                .setText(render(template(content.kind(), language, view), Variant.TEXT_PLAIN))
                .setHtml(render(template(content.kind(), language, view), Variant.TEXT_HTML));
        setSubject(mail, subject);
        mail.addHeader(MESSAGE_ID_HEADER, content.messageId());
        return mail;
    }

    /**
     * Sets the subject both as plain text, for quarkus-mailer's mock mailbox and logs, and as an encoded
     * Subject header, which Vert.x writes in place of the header it would generate from the plain text.
     */
    static void setSubject(Mail mail, String subject) {
        mail.setSubject(subject);
        mail.removeHeader(SUBJECT_HEADER);
        mail.addHeader(SUBJECT_HEADER, HeaderEncoding.encodeUnstructured(SUBJECT_HEADER, subject));
    }

    private static TemplateInstance template(EmailContent.Kind kind, String language, MailView view) {
        boolean italian = Languages.ITALIAN.equals(language);
        return switch (kind) {
            case READY -> italian ? MailTemplates.readyIt(view) : MailTemplates.readyEn(view);
            case FAILED -> italian ? MailTemplates.failedIt(view) : MailTemplates.failedEn(view);
            case RENEWAL -> italian ? MailTemplates.renewalIt(view) : MailTemplates.renewalEn(view);
        };
    }

    private static String render(TemplateInstance template, String contentType) {
        return template.setVariant(Variant.forContentType(contentType)).render();
    }

    /** Replaces line breaks and other control characters, which a policy name could bring, with spaces. */
    private static String withoutControlCharacters(String text) {
        return text.codePoints()
                .map(c -> Character.isISOControl(c) ? ' ' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
    }
}
