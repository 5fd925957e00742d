package io.smimedelivery.common.problem;

/**
 * One invalid input value in a problem response.
 *
 * @param field   path of the field in the request, such as {@code members[2].email} or a query parameter name
 * @param value   the rejected value as text, or null when it was missing; never a secret
 * @param message what is wrong and how to fix it
 */
public record FieldError(String field, String value, String message) {
}
