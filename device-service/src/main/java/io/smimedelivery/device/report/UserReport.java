package io.smimedelivery.device.report;

import java.time.Instant;
import java.util.List;

import io.smimedelivery.events.Nullable;

/**
 * One user's devices and policies with the report state of each device.
 *
 * @param userPrincipalName null when no PolicyAssigned event has described the user yet
 * @param devices every device enrolled for the user, retired ones included, by device id
 * @param policies the policies the user has now and those with a stored status for the user, by policy id
 */
public record UserReport(
        String userId,
        @Nullable String userPrincipalName,
        @Nullable String email,
        List<Device> devices,
        List<Policy> policies) {

    /**
     * A device of the user.
     *
     * @param eligible true for a managed iOS or iPadOS device that is not retired, the only devices that receive
     *     certificates
     */
    public record Device(String deviceId, String platform, String osVersion, @Nullable String model,
            String managementState, @Nullable Instant retiredAt, boolean eligible) {
    }

    /**
     * A policy of the user.
     *
     * @param assigned true when the user has the policy now
     * @param policyName null when the user no longer has the policy
     * @param policyVersion the version assigned to the user, or null when the user no longer has it
     * @param deploysCertificates true when the assigned version deploys certificates
     * @param conflictingSettings PolicySettings fields in which this policy differs from another of the user's
     *     certificate policies. When the list is not empty, the policy's devices count as CONFLICT.
     * @param devices the report rows of this policy for the user, by device id
     */
    public record Policy(String policyId, boolean assigned, @Nullable String policyName, @Nullable Integer policyVersion,
            boolean deploysCertificates, List<String> conflictingSettings, List<DeviceReportRow> devices) {
    }
}
