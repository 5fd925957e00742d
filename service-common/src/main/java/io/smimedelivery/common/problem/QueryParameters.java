package io.smimedelivery.common.problem;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads whole-number query parameters as text, so an invalid value gets a 400 problem that names the
 * parameter. A JAX-RS {@code int} parameter would turn a value such as {@code abc} into a bare 404.
 */
public final class QueryParameters {

    private QueryParameters() {
    }

    /**
     * Returns {@code value} as a number from {@code min} to {@code max}, or {@code defaultValue} when it is
     * missing or blank.
     *
     * @throws ProblemException 400 naming {@code name} and the range when the value is no whole number or
     *     out of range
     */
    public static int integer(String name, String value, int defaultValue, int min, int max) {
        List<FieldError> errors = new ArrayList<>();
        int number = integer(name, value, defaultValue, min, max, errors);
        if (!errors.isEmpty()) {
            FieldError error = errors.get(0);
            throw ProblemException.invalidField(error.field(), error.value(), error.message());
        }
        return number;
    }

    /**
     * Returns {@code value} as a number from {@code min} to {@code max}, or {@code defaultValue} when it is
     * missing or blank. When it is no whole number or out of range, adds an error naming {@code name} and
     * the range to {@code errors} and returns {@code defaultValue}, so a caller can report every invalid
     * parameter of a request at once.
     */
    public static int integer(String name, String value, int defaultValue, int min, int max, List<FieldError> errors) {
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            int number = Integer.parseInt(value.strip());
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // Reported below like an out-of-range number.
        }
        String range = max == Integer.MAX_VALUE ? "of " + min + " or more" : "from " + min + " to " + max;
        errors.add(new FieldError(name, value, "use a whole number " + range));
        return defaultValue;
    }
}
