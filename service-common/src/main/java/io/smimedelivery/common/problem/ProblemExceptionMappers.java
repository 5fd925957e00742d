package io.smimedelivery.common.problem;

import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.vertx.core.http.HttpServerRequest;

/**
 * Maps every exception that leaves a REST resource to an RFC 9457 problem response. Quarkus REST picks
 * the mapper whose exception type is closest to the thrown one, so {@link #unexpected} only receives what no
 * other mapper handles.
 */
public class ProblemExceptionMappers {

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return ProblemResponses.fromProblemException(e, uri.getPath());
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e, UriInfo uri) {
        return ProblemResponses.fromConstraintViolations(e, uri.getPath());
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e, UriInfo uri) {
        return ProblemResponses.fromJsonException(e, uri.getPath());
    }

    /** Replaces Quarkus's own mapper for this type, which responds with plain JSON instead of a problem. */
    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e, UriInfo uri) {
        return ProblemResponses.fromJsonException(e, uri.getPath());
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, HttpServerRequest request) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return ProblemResponses.fromJsonException(json, request.path());
        }
        return ProblemResponses.fromWebApplicationException(e, request.method().name(), request.path());
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e, HttpServerRequest request) {
        return ProblemResponses.fromUnexpected(e, request.method().name(), request.path());
    }
}
