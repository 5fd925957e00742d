package io.smimedelivery.notification.mail;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import javax.net.ssl.SSLHandshakeException;

import io.smallrye.mutiny.TimeoutException;
import io.smimedelivery.notification.delivery.DeliveryOutcome;
import io.vertx.ext.mail.SMTPException;

/**
 * Classification of the failures that quarkus-mailer reports for one message, from what the Vert.x mail
 * client 4.5 exposes: the reply code and command of a rejection ({@link SMTPException}), the exception
 * type of a network failure, and the timeout of the blocking mailer.
 *
 * <p>NOTE: the client does not say how far a session got when the connection breaks or the wait ends.
 * A lost connection (an {@link IOException} such as "socket was closed unexpected.") is therefore
 * {@code UNCERTAIN} even when it broke before the message data, and a timeout is
 * {@code TEMPORARY_FAILURE} even when the server stalled after the data, before its final reply. The
 * second case can deliver a message twice, and a longer {@code quarkus.mailer.timeout} makes it rarer.
 */
final class SmtpFailures {

    /**
     * Starts of {@link SMTPException} messages for replies about this message: to RCPT TO, to DATA, and
     * the final reply after the message data. Vert.x 4.5 builds these messages in SMTPSendMail, and
     * MailDeliveryTest fails if a later version words them differently.
     */
    private static final String[] MESSAGE_REPLY_PREFIXES = {
            "recipient address not accepted", "DATA command not accepted", "sending data failed" };

    /** Message of the NoStackTraceThrowable that Vert.x raises when it writes to a closed connection. */
    private static final String CONNECTION_CLOSED_PREFIX = "Connection was closed";

    private SmtpFailures() {
    }

    static DeliveryOutcome classify(Throwable failure, Duration timeout) {
        Throwable cause = unwrap(failure);
        if (cause instanceof SMTPException rejection) {
            return classifyReply(rejection);
        }
        if (cause instanceof TimeoutException) {
            return DeliveryOutcome.temporary("Timed out after " + timeout.toSeconds()
                    + " s (quarkus.mailer.timeout) without a final reply from the SMTP server");
        }
        if (cause instanceof IllegalArgumentException) {
            return DeliveryOutcome.permanent("Message rejected before sending: " + cause.getMessage());
        }
        if (isConnectFailure(cause)) {
            return DeliveryOutcome.temporary("Cannot connect to the SMTP server: " + describe(cause));
        }
        boolean connectionLost = cause instanceof IOException
                || String.valueOf(cause.getMessage()).startsWith(CONNECTION_CLOSED_PREFIX);
        if (connectionLost) {
            return DeliveryOutcome.uncertain("Connection to the SMTP server lost before its final reply,"
                    + " so the message may have been delivered: " + describe(cause));
        }
        return DeliveryOutcome.temporary("Sending failed: " + describe(cause));
    }

    /** Returns the SMTP reply code of {@code failure}, or 0 when it is not an SMTP rejection. */
    static int replyCode(Throwable failure) {
        return unwrap(failure) instanceof SMTPException rejection ? rejection.getReplyCode() : 0;
    }

    private static DeliveryOutcome classifyReply(SMTPException rejection) {
        String detail = "SMTP server replied " + String.join(" ", rejection.getReplyMessages());
        String message = String.valueOf(rejection.getMessage());
        boolean aboutThisMessage = false;
        for (String prefix : MESSAGE_REPLY_PREFIXES) {
            aboutThisMessage |= message.startsWith(prefix);
        }
        // A 5xx to the greeting, EHLO, AUTH or MAIL FROM is about the server or the sender settings, which
        // an administrator can fix, so it stays temporary for the recipient.
        if (aboutThisMessage && rejection.isPermanent()) {
            return DeliveryOutcome.permanent(detail);
        }
        return DeliveryOutcome.temporary(detail);
    }

    private static boolean isConnectFailure(Throwable cause) {
        // Netty's ConnectTimeoutException is a ConnectException.
        return cause instanceof ConnectException
                || cause instanceof UnknownHostException
                || cause instanceof NoRouteToHostException
                || cause instanceof SSLHandshakeException;
    }

    /** Returns the cause that quarkus-mailer's blocking mailer wrapped in a CompletionException, if any. */
    static Throwable unwrap(Throwable failure) {
        Throwable current = failure;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    private static String describe(Throwable cause) {
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
}
