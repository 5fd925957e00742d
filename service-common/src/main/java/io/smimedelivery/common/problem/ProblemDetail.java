package io.smimedelivery.common.problem;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem details document, returned with media type {@code application/problem+json}.
 *
 * @param type     URI of the problem type; {@code about:blank} when the HTTP status alone describes the problem
 * @param title    short summary of the problem type
 * @param status   HTTP status code
 * @param detail   explanation of this occurrence, naming the value and the fix
 * @param instance URI of this occurrence: the request path, or an error id for unexpected errors
 * @param errors   extension member listing each invalid field
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ProblemDetail(String type, String title, int status, String detail, String instance,
        List<FieldError> errors) {

    /** Media type of problem details documents (RFC 9457, section 3). */
    public static final String MEDIA_TYPE = "application/problem+json";

    /** Problem type URIs are {@code PROBLEM_TYPE_PREFIX + slug}. */
    public static final String PROBLEM_TYPE_PREFIX = "urn:smime-delivery:problem:";

    /** Problem type for plain HTTP errors, whose title is the status reason phrase (RFC 9457, section 4.2.1). */
    public static final String ABOUT_BLANK = "about:blank";
}
