package io.smimedelivery.policy.rest;

import java.util.List;

import jakarta.ws.rs.core.Response;

import io.smimedelivery.common.problem.FieldError;
import io.smimedelivery.common.problem.ProblemException;

/** Problem responses and parameter checks shared by the resources. */
final class ProblemFactory {

    static final int MAX_PAGE_SIZE = 1000;

    private ProblemFactory() {
    }

    static ProblemException invalid(String title, List<FieldError> errors) {
        String detail = errors.size() == 1 ? "Invalid value for " + errors.get(0).field() + ": " + errors.get(0).message()
                : errors.size() + " fields are invalid; see errors for each field and its fix";
        return new ProblemException(Response.Status.BAD_REQUEST, "invalid-request", title, detail, errors);
    }

    static int pageSize(int limit) {
        if (limit < 1 || limit > MAX_PAGE_SIZE) {
            throw ProblemException.invalidField("limit", Integer.toString(limit), "use a number from 1 to " + MAX_PAGE_SIZE);
        }
        return limit;
    }
}
