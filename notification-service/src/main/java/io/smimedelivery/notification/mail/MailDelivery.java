package io.smimedelivery.notification.mail;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import io.quarkus.runtime.Startup;
import io.smimedelivery.notification.delivery.DeliveryOutcome;

/**
 * Hands messages to the SMTP server through quarkus-mailer and classifies the result. See
 * {@link SmtpFailures} for the rules and for the cases that the mail client cannot tell apart.
 */
@ApplicationScoped
@Startup
public class MailDelivery {

    private static final Logger LOG = Logger.getLogger(MailDelivery.class);

    private final Mailer mailer;
    private final Duration timeout;

    /** Fails startup when {@code quarkus.mailer.timeout} is zero, which would let a send wait forever. */
    MailDelivery(Mailer mailer, @ConfigProperty(name = "quarkus.mailer.timeout") Duration timeout) {
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("Invalid quarkus.mailer.timeout " + timeout
                    + ": expected a positive duration, such as 30s, so that a send cannot block forever");
        }
        this.mailer = mailer;
        this.timeout = timeout;
    }

    /**
     * Sends one message and returns how it went: {@code SENT} once the server accepted it,
     * {@code PERMANENT_FAILURE} for a 5xx reply to the recipient or the message or an address that
     * quarkus-mailer rejects, {@code TEMPORARY_FAILURE} for a 4xx reply, a failed connection or no result
     * within {@code quarkus.mailer.timeout}, and {@code UNCERTAIN} when the connection broke before the
     * server's final reply.
     *
     * <p>Blocks the calling thread for at most {@code quarkus.mailer.timeout}, so call it from a worker
     * thread, never from a Vert.x event loop. NOTE: when the wait ends, the Vert.x connection is not
     * closed; it stays open until the server closes it and counts against {@code quarkus.mailer.max-pool-size}.
     */
    public DeliveryOutcome send(Mail mail) {
        String messageId = messageId(mail);
        try {
            mailer.send(mail);
        } catch (RuntimeException e) {
            DeliveryOutcome outcome = SmtpFailures.classify(e, timeout);
            // The detail can contain the recipient address, because servers repeat it in their replies.
            LOG.warnf("Mail %s not delivered: %s (%s, SMTP reply code %d)", messageId, outcome.status(),
                    SmtpFailures.unwrap(e).getClass().getSimpleName(), SmtpFailures.replyCode(e));
            LOG.debugf("Mail %s to %s: %s", messageId, mail.getTo(), outcome.detail());
            return outcome;
        }
        LOG.debugf("Mail %s to %s accepted by the SMTP server", messageId, mail.getTo());
        return DeliveryOutcome.sent("Accepted by the SMTP server");
    }

    private static String messageId(Mail mail) {
        List<String> values = mail.getHeaders().get(MailComposer.MESSAGE_ID_HEADER);
        return values == null || values.isEmpty() ? "(no Message-ID)" : values.get(0);
    }
}
