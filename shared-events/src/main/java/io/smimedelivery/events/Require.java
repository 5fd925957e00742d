package io.smimedelivery.events;

import java.util.List;

/** Argument checks of the event records' constructors. */
final class Require {

    private Require() {
    }

    static <T> T present(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException("Missing required field " + field);
        }
        return value;
    }

    static String text(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("Missing required field " + field);
        }
        return value;
    }

    static int positive(int value, String field) {
        if (value < 1) {
            throw new IllegalArgumentException("Invalid " + field + " " + value + ": expected 1 or more");
        }
        return value;
    }

    static <T> List<T> list(List<T> value, String field) {
        return List.copyOf(present(value, field));
    }
}
