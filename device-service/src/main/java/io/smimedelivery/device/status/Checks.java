package io.smimedelivery.device.status;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/** Argument checks of the retrieval event and fact records. */
final class Checks {

    private Checks() {
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

    /**
     * Returns the canonical form of a list of SHA-256 thumbprints: trimmed, lower-case, sorted and without
     * duplicates, so that two lists naming the same certificates are equal.
     */
    static List<String> thumbprints(Collection<String> thumbprints, String field) {
        present(thumbprints, field);
        TreeSet<String> sorted = new TreeSet<>();
        for (String thumbprint : thumbprints) {
            text(thumbprint, field + " entry");
            sorted.add(thumbprint.trim().toLowerCase(Locale.ROOT));
        }
        return List.copyOf(sorted);
    }
}
