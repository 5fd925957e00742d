package io.smimedelivery.common.problem;

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
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        int number;
        try {
            number = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw ProblemException.invalidField(name, value, "use a whole number from " + min + " to " + max);
        }
        if (number < min || number > max) {
            throw ProblemException.invalidField(name, value, "use a whole number from " + min + " to " + max);
        }
        return number;
    }
}
