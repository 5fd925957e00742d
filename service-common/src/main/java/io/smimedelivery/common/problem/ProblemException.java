package io.smimedelivery.common.problem;

import java.util.List;

import jakarta.ws.rs.core.Response;

/**
 * An error that a resource or service raises to respond with a specific problem document. The message
 * is the problem's detail and goes to the client, so it must not contain secrets.
 */
public class ProblemException extends RuntimeException {

    private final Response.Status status;
    private final String typeSlug;
    private final String title;
    private final List<FieldError> errors;
    private final java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();

    /**
     * @param status   HTTP status of the response
     * @param typeSlug last part of the problem type URI, such as {@code invalid-certificate}
     * @param title    short summary that is the same for every occurrence of this type
     * @param detail   what went wrong this time, with the value and the fix
     * @param errors   invalid fields, or an empty list
     */
    public ProblemException(Response.Status status, String typeSlug, String title, String detail,
            List<FieldError> errors) {
        super(detail);
        this.status = status;
        this.typeSlug = typeSlug;
        this.title = title;
        this.errors = List.copyOf(errors);
    }

    /** Returns a 400 problem for one invalid field. */
    public static ProblemException invalidField(String field, String value, String message) {
        return new ProblemException(Response.Status.BAD_REQUEST, "invalid-request", "Invalid request",
                "Invalid value for " + field + ": " + message, List.of(new FieldError(field, value, message)));
    }

    /**
     * Returns a 400 problem listing every invalid field. The detail names the field and its fix when
     * there is one, and the number of fields when there are more.
     */
    public static ProblemException invalidFields(String typeSlug, String title, List<FieldError> errors) {
        return new ProblemException(Response.Status.BAD_REQUEST, typeSlug, title, summary(errors), errors);
    }

    /** Returns the one-sentence summary of a list of field errors, as problem details use it. */
    public static String summary(List<FieldError> errors) {
        return errors.size() == 1 ? "Invalid value for " + errors.get(0).field() + ": " + errors.get(0).message()
                : errors.size() + " fields are invalid; see errors for each field and its fix";
    }

    /** Returns a 404 problem for a resource that does not exist. */
    public static ProblemException notFound(String resource, String id) {
        return new ProblemException(Response.Status.NOT_FOUND, "not-found", "Resource not found",
                resource + " " + id + " not found", List.of());
    }

    /** Adds a response header, such as WWW-Authenticate on a 401. */
    public ProblemException withHeader(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** Returns the response headers added with {@link #withHeader}. */
    public java.util.Map<String, String> headers() {
        return java.util.Collections.unmodifiableMap(headers);
    }

    public Response.Status status() {
        return status;
    }

    public String typeSlug() {
        return typeSlug;
    }

    public String title() {
        return title;
    }

    public List<FieldError> errors() {
        return errors;
    }
}
