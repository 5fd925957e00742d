package io.smimedelivery.deviceauth;

/** Formatting of untrusted values for exception messages that end up in logs. */
final class LogText {

    /** Number of characters of a value kept in a message. */
    private static final int MAX_QUOTED_LENGTH = 80;

    private LogText() {
    }

    /**
     * Quotes a value taken from a token for a log message. Characters outside printable ASCII are
     * escaped and long values are cut, so an unverified claim cannot forge or flood log lines.
     */
    static String quote(String value) {
        StringBuilder text = new StringBuilder("\"");
        int end = Math.min(value.length(), MAX_QUOTED_LENGTH);
        for (int i = 0; i < end; i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                text.append('\\').append(c);
            } else if (c >= 0x20 && c < 0x7f) {
                text.append(c);
            } else {
                text.append(String.format("\\u%04x", (int) c));
            }
        }
        text.append('"');
        if (value.length() > MAX_QUOTED_LENGTH) {
            text.append(" (cut after ").append(MAX_QUOTED_LENGTH).append(" of ").append(value.length()).append(" characters)");
        }
        return text.toString();
    }
}
