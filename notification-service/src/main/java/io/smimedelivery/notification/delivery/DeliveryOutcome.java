package io.smimedelivery.notification.delivery;

import java.time.Duration;
import java.util.Objects;

/**
 * Result of one attempt to hand a notification to a mail server or push gateway.
 *
 * @param status     what happened
 * @param detail     the server's reply or the error, for administrators; never contains a token or secret
 * @param retryAfter the delay the server asked for, or null to use the sender's own backoff
 */
public record DeliveryOutcome(Status status, String detail, Duration retryAfter) {

    /** Classification of an attempt. */
    public enum Status {
        /** The server accepted the notification. */
        SENT,
        /** The notification did not leave, or the server rejected it for now; another attempt may succeed. */
        TEMPORARY_FAILURE,
        /** The server rejected the recipient or token for good, such as SMTP 5xx or APNs 410 Unregistered. */
        PERMANENT_FAILURE,
        /**
         * The notification may have been delivered: the connection ended after the message was sent and
         * before the server confirmed it. Sending again could deliver it twice.
         */
        UNCERTAIN
    }

    public DeliveryOutcome {
        Objects.requireNonNull(status, "status");
        detail = detail == null ? "" : detail;
    }

    public static DeliveryOutcome sent(String detail) {
        return new DeliveryOutcome(Status.SENT, detail, null);
    }

    public static DeliveryOutcome temporary(String detail) {
        return new DeliveryOutcome(Status.TEMPORARY_FAILURE, detail, null);
    }

    public static DeliveryOutcome temporary(String detail, Duration retryAfter) {
        return new DeliveryOutcome(Status.TEMPORARY_FAILURE, detail, retryAfter);
    }

    public static DeliveryOutcome permanent(String detail) {
        return new DeliveryOutcome(Status.PERMANENT_FAILURE, detail, null);
    }

    public static DeliveryOutcome uncertain(String detail) {
        return new DeliveryOutcome(Status.UNCERTAIN, detail, null);
    }
}
