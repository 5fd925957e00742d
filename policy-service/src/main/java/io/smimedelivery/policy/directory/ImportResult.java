package io.smimedelivery.policy.directory;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.smimedelivery.common.problem.FieldError;

/**
 * Result of a bulk import: counts and one entry per row.
 *
 * @param error set when the body stopped being readable; rows before it were processed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImportResult(int total, int created, int updated, int unchanged, int rejected, List<Row> rows,
        String error) {

    /**
     * One imported row.
     *
     * @param row    position of the row, starting at 1
     * @param line   line of the body where the row starts
     * @param key    the row's id, such as a user id or group:user
     * @param status CREATED, UPDATED, UNCHANGED or REJECTED (for memberships ADDED and REMOVED count as created)
     * @param errors why a rejected row was rejected
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Row(int row, int line, String key, String status, List<FieldError> errors) {
    }
}
