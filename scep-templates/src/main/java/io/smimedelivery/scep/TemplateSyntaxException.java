package io.smimedelivery.scep;

/**
 * Invalid certificate template text. The message names the problem and the position, and {@link #position()}
 * returns the 0-based character index in the template where the problem starts.
 */
public final class TemplateSyntaxException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int position;

    public TemplateSyntaxException(int position, String message) {
        super(message);
        this.position = position;
    }

    /** Returns the 0-based character index in the template where the problem starts. */
    public int position() {
        return position;
    }
}
