package io.smimedelivery.common.problem;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Builds problem documents from exceptions. Messages come from this class or from a
 * {@link ProblemException}, never from an arbitrary exception, so class names, stack traces and values
 * that may be secret stay out of responses.
 */
public final class ProblemResponses {

    private static final Logger LOG = Logger.getLogger(ProblemResponses.class);
    /** Rejected values longer than this are cut, so a pasted certificate body is not echoed whole. */
    static final int MAX_ECHOED_VALUE_LENGTH = 200;

    private ProblemResponses() {
    }

    public static Response fromProblemException(ProblemException e, String path) {
        Response response = build(new ProblemDetail(ProblemDetail.PROBLEM_TYPE_PREFIX + e.typeSlug(), e.title(),
                e.status().getStatusCode(), e.getMessage(), path, e.errors()));
        if (e.headers().isEmpty()) {
            return response;
        }
        Response.ResponseBuilder builder = Response.fromResponse(response);
        e.headers().forEach(builder::header);
        return builder.build();
    }

    /** Keeps the status of a JAX-RS exception (404, 405, 415 and so on) and describes it in plain words. */
    public static Response fromWebApplicationException(WebApplicationException e, String method, String path) {
        int status = e.getResponse().getStatus();
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known == null ? "HTTP " + status : known.getReasonPhrase();
        String detail = switch (status) {
            case 404 -> "No resource at " + path + "; see /q/swagger-ui for the available endpoints";
            case 405 -> method + " is not allowed on " + path + "; see /q/swagger-ui for the allowed methods";
            case 406 -> "None of the media types in the Accept header can be produced for " + path;
            case 415 -> "Unsupported Content-Type for " + method + " " + path
                    + "; see /q/swagger-ui for the accepted media types";
            default -> title;
        };
        if (status >= 500) {
            LOG.errorf(e, "%s %s failed with status %d", method, path, status);
        }
        return build(new ProblemDetail(ProblemDetail.ABOUT_BLANK, title, status, detail, path, List.of()));
    }

    /** Lists every violated constraint with its field path, rejected value and message. */
    public static Response fromConstraintViolations(ConstraintViolationException e, String path) {
        List<FieldError> errors = new ArrayList<>();
        Set<ConstraintViolation<?>> violations = e.getConstraintViolations();
        for (ConstraintViolation<?> violation : violations) {
            errors.add(new FieldError(fieldPath(violation.getPropertyPath()), echo(violation.getInvalidValue()),
                    violation.getMessage()));
        }
        errors.sort(Comparator.comparing(FieldError::field));
        return build(new ProblemDetail(ProblemDetail.PROBLEM_TYPE_PREFIX + "invalid-request", "Invalid request",
                Response.Status.BAD_REQUEST.getStatusCode(), ProblemException.summary(errors), path, errors));
    }

    /** Describes a request body that is not valid JSON or does not match the expected structure. */
    public static Response fromJsonException(JsonProcessingException e, String path) {
        String field = e instanceof JsonMappingException mapping ? jsonPath(mapping) : "";
        String message;
        String value = null;
        if (e instanceof UnrecognizedPropertyException unknown) {
            field = field.isEmpty() ? String.valueOf(unknown.getPropertyName()) : field;
            message = "unknown field; remove it or check its spelling against the API schema in /q/openapi";
        } else if (e instanceof InvalidFormatException format) {
            value = echo(format.getValue());
            message = expectedValue(format.getTargetType());
        } else if (e instanceof JsonMappingException) {
            message = "wrong JSON type or structure; compare the request with the API schema in /q/openapi";
        } else {
            int line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
            int column = e.getLocation() == null ? -1 : e.getLocation().getColumnNr();
            message = "the body is not valid JSON (error at line " + line + ", column " + column
                    + "); send a well-formed JSON document";
        }
        String name = field.isEmpty() ? "body" : field;
        return build(new ProblemDetail(ProblemDetail.PROBLEM_TYPE_PREFIX + "invalid-request", "Invalid request",
                Response.Status.BAD_REQUEST.getStatusCode(), "Invalid value for " + name + ": " + message, path,
                List.of(new FieldError(name, value, message))));
    }

    /**
     * Builds a 500 response for an unexpected error. It carries only an error id, and the log line with
     * the same id contains the exception.
     */
    public static Response fromUnexpected(Throwable e, String method, String path) {
        String errorId = UUID.randomUUID().toString();
        LOG.errorf(e, "Unexpected error %s in %s %s", errorId, method, path);
        return build(new ProblemDetail(ProblemDetail.PROBLEM_TYPE_PREFIX + "internal-error", "Internal error",
                Response.Status.INTERNAL_SERVER_ERROR.getStatusCode(),
                "The server failed to process the request; report error id " + errorId + " to the operator",
                "urn:uuid:" + errorId, List.of()));
    }

    /** Describes the expected JSON value in the API's words instead of a Java type name. */
    static String expectedValue(Class<?> type) {
        if (type == Boolean.class || type == boolean.class) {
            return "expected true or false";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "expected a whole number";
        }
        if (type == java.util.UUID.class) {
            return "expected a UUID such as 6b1d2f7e-3c4a-4d5e-8f90-123456789abc";
        }
        if (type.isEnum()) {
            return "expected one of " + java.util.Arrays.toString(type.getEnumConstants());
        }
        return "expected a JSON " + (CharSequence.class.isAssignableFrom(type) ? "string" : "value of another type")
                + "; compare the request with the API schema in /q/openapi";
    }

    static Response build(ProblemDetail problem) {
        return Response.status(problem.status()).type(ProblemDetail.MEDIA_TYPE).entity(problem).build();
    }

    static String echo(Object value) {
        if (value == null) {
            return null;
        }
        String text = String.valueOf(value);
        return text.length() <= MAX_ECHOED_VALUE_LENGTH ? text : text.substring(0, MAX_ECHOED_VALUE_LENGTH) + "...";
    }

    /**
     * Returns the property path as the client wrote it: {@code members[2].email} for a body field, the
     * parameter name for a query or path parameter. Bean Validation puts the method and the body
     * parameter name first, and neither means anything to the client.
     */
    static String fieldPath(Path path) {
        List<Path.Node> nodes = new ArrayList<>();
        for (Path.Node node : path) {
            if (node.getKind() != ElementKind.METHOD && node.getKind() != ElementKind.CONSTRUCTOR) {
                nodes.add(node);
            }
        }
        if (nodes.size() > 1 && nodes.get(0).getKind() == ElementKind.PARAMETER) {
            nodes.remove(0);
        }
        StringBuilder field = new StringBuilder();
        for (Path.Node node : nodes) {
            if (node.getIndex() != null && field.length() > 0) {
                field.append('[').append(node.getIndex()).append(']');
            }
            if (node.getName() != null) {
                if (field.length() > 0) {
                    field.append('.');
                }
                field.append(node.getName());
            }
        }
        return field.toString();
    }

    private static String jsonPath(JsonMappingException e) {
        StringBuilder field = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                if (field.length() > 0) {
                    field.append('.');
                }
                field.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                field.append('[').append(reference.getIndex()).append(']');
            }
        }
        return field.toString();
    }
}
