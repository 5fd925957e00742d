package io.smimedelivery.device.report;

import java.time.Instant;

import io.smimedelivery.events.Nullable;

/**
 * One device in a policy report. Device and user fields are null when device-service has no device or
 * user contact row for the ids. Status fields are null when no status is stored for the device and policy.
 *
 * @param state the stored retrieval state, or null when none is stored
 * @param policyVersion the policy version the stored status describes
 * @param updatedAt when the stored status last changed
 */
public record DeviceReportRow(
        String deviceId,
        String userId,
        @Nullable String userPrincipalName,
        @Nullable String email,
        @Nullable String platform,
        @Nullable String model,
        IntuneState intuneState,
        @Nullable String state,
        @Nullable String reasonCode,
        @Nullable String detail,
        @Nullable Integer policyVersion,
        @Nullable Instant updatedAt) {
}
