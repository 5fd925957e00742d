package io.smimedelivery.common.inbox;

/**
 * Thrown from a consumer method for a record that will not be processed. The channel's
 * dead-letter-queue failure strategy then writes the record to its dead-letter topic, with this
 * exception's message as the dead-letter reason.
 */
public class DeadLetterException extends RuntimeException {

    public DeadLetterException(String message, Throwable cause) {
        super(message, cause);
    }
}
