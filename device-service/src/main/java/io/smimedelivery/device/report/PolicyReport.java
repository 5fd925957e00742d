package io.smimedelivery.device.report;

import java.util.Map;

import io.smimedelivery.events.Nullable;

/**
 * Summary of one policy's delivery.
 *
 * @param policyName the name of the highest assigned version, or null when no user has the policy now
 * @param policyVersion the highest version assigned to any user, or null when no user has the policy now
 * @param assignedUsers users that have the policy now
 * @param counts rows per report state
 * @param byState rows per stored retrieval state, with NONE for rows without one
 * @param byReasonCode rows per reason code, for rows that have one, ordered by code
 */
public record PolicyReport(
        String policyId,
        @Nullable String policyName,
        @Nullable Integer policyVersion,
        long assignedUsers,
        Counts counts,
        Map<String, Long> byState,
        Map<String, Long> byReasonCode) {

    /**
     * Rows per report state. {@code total} counts every row, removed ones included, so it equals the
     * unfiltered total of the device report.
     */
    public record Counts(long succeeded, long pending, long error, long conflict, long notApplicable, long removed,
            long total) {
    }
}
