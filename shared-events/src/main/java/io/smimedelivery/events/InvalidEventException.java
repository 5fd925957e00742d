package io.smimedelivery.events;

/** A record value that is not a valid event of its type. Retrying cannot help, so consumers dead-letter it. */
public class InvalidEventException extends RuntimeException {

    public InvalidEventException(String message, Throwable cause) {
        super(message, cause);
    }

    public InvalidEventException(String message) {
        super(message);
    }
}
