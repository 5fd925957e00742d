package io.smimedelivery.notification.mail;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Content of one e-mail to a user, before it is rendered.
 *
 * @param recipientAddress the user's e-mail address; a non-ASCII domain is allowed, a non-ASCII local
 *                         part is not (see {@link MailComposer#compose})
 * @param language         the user's preferred language as a BCP 47 tag, or null for the configured default
 * @param kind             whether the certificates are ready or could not be delivered
 * @param policyName       name of the Outlook S/MIME policy, shown in the subject and text
 * @param recipientName    the user's display name for the salutation, or null for a salutation without name
 * @param devices          the user's devices with the addresses of their landing pages, possibly empty
 * @param reasonCode       for {@link Kind#FAILED}, why, such as {@code NO_ENCRYPTION_CERTIFICATE}; may be null
 * @param messageId        the Message-ID header value, such as {@code <notification-uuid@smime-delivery>}; the
 *                         caller keeps it stable so that a resent message has the same id
 */
public record EmailContent(
        String recipientAddress,
        String language,
        Kind kind,
        String policyName,
        String recipientName,
        List<DeviceLink> devices,
        String reasonCode,
        String messageId) {

    /** RFC 5322 msg-id restricted to printable ASCII without spaces: {@code <left@right>}. */
    private static final Pattern MESSAGE_ID = Pattern.compile("<[!-~&&[^<>@]]+@[!-~&&[^<>@]]+>");

    /** The news the e-mail brings. */
    public enum Kind {
        /** The certificates are ready: open Company Portal. */
        READY,
        /** The certificates could not be delivered: contact the IT helpdesk. */
        FAILED,
        /** A derived credential on a device passed 80 percent of its validity: renew it. */
        RENEWAL
    }

    public EmailContent {
        Objects.requireNonNull(recipientAddress, "recipientAddress");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(policyName, "policyName");
        Objects.requireNonNull(messageId, "messageId");
        if (policyName.isBlank()) {
            throw new IllegalArgumentException("Invalid policy name: it is blank");
        }
        if (!MESSAGE_ID.matcher(messageId).matches()) {
            throw new IllegalArgumentException("Invalid Message-ID '" + messageId
                    + "': expected <left@right> in printable ASCII without spaces");
        }
        devices = devices == null ? List.of() : List.copyOf(devices);
    }
}
