package io.smimedelivery.common.problem;

/**
 * A result, or the problem response that replaces it. A transaction returns it instead of throwing the
 * problem, so the transaction commits, and the caller throws the problem afterwards.
 *
 * @param value   the result, or null when there is a problem
 * @param problem the problem response, or null
 */
public record ProblemOr<T>(T value, ProblemException problem) {

    public static <T> ProblemOr<T> of(T value) {
        return new ProblemOr<>(value, null);
    }

    public static <T> ProblemOr<T> problem(ProblemException problem) {
        return new ProblemOr<>(null, problem);
    }

    /** Returns the result, or throws the problem. */
    public T orThrow() {
        if (problem != null) {
            throw problem;
        }
        return value;
    }
}
