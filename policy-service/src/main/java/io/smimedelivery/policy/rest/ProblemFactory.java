package io.smimedelivery.policy.rest;

import java.util.List;

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

    static int pageSize(int limit) {
        if (limit < 1 || limit > MAX_PAGE_SIZE) {
            throw ProblemException.invalidField("limit", Integer.toString(limit), "use a number from 1 to " + MAX_PAGE_SIZE);
        }
        return limit;
    }
}
