package io.smimedelivery.policy.rest;

import java.util.List;
import java.util.UUID;

import io.smimedelivery.common.problem.FieldError;
import io.smimedelivery.common.problem.ProblemException;

/** Problem responses and parameter checks shared by the resources. */
final class ProblemFactory {

    static final int MAX_PAGE_SIZE = 1000;

    private ProblemFactory() {
    }

    static ProblemException invalid(String title, List<FieldError> errors) {
        return ProblemException.invalidFields("invalid-request", title, errors);
    }

    /** Parses the limit query parameter; text that is not a number from 1 to 1000 is a 400 problem. */
    static int pageSize(String limit) {
        try {
            int value = Integer.parseInt(limit.trim());
            if (value >= 1 && value <= MAX_PAGE_SIZE) {
                return value;
            }
        } catch (NumberFormatException e) {
            // Reported below with the same message as an out-of-range number.
        }
        throw ProblemException.invalidField("limit", limit, "use a number from 1 to " + MAX_PAGE_SIZE);
    }

    /**
     * Parses an id from the path. Ids of policies, profiles and jobs are UUIDs, so any other text names
     * nothing and is a 404 problem that states the expected form.
     */
    static UUID uuid(String value, String resource) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(jakarta.ws.rs.core.Response.Status.NOT_FOUND, "not-found", "Resource not found",
                    resource + " " + value + " not found: " + resource.toLowerCase(java.util.Locale.ROOT)
                            + " ids are UUIDs such as 6b1d2f7e-3c4a-4d5e-8f90-123456789abc",
                    List.of());
        }
    }
}
