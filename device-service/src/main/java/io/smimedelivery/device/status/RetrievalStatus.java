package io.smimedelivery.device.status;

import java.time.Instant;
import java.util.Objects;

import io.smimedelivery.events.Nullable;
import io.smimedelivery.events.RetrievalState;
import io.smimedelivery.events.RetrievalStatusChanged;

/**
 * Retrieval status of one device for one policy, computed by {@link RetrievalFacts#status()}.
 *
 * @param state the state; never {@link RetrievalState#UNKNOWN}
 * @param reasonCode why the state is FAILED or REMOVED; null in every other state
 * @param detail what an administrator must know or do; never contains secrets
 * @param policyVersion the policy version the status describes
 * @param packageId the package the status describes; null in PENDING and REMOVED, and in FAILED when no
 *     package was built
 */
public record RetrievalStatus(
        RetrievalState state,
        @Nullable String reasonCode,
        @Nullable String detail,
        int policyVersion,
        @Nullable String packageId) {

    /** Reason code of REMOVED when the device was retired. */
    public static final String DEVICE_RETIRED = "DEVICE_RETIRED";
    /** Reason code of FAILED when every channel that notified the user failed for good. */
    public static final String NOTIFICATION_FAILED = "NOTIFICATION_FAILED";
    /** Reason code of FAILED when the device confirmed other certificates than its package carries. */
    public static final String INSTALL_MISMATCH = "INSTALL_MISMATCH";

    public RetrievalStatus {
        Checks.present(state, "state");
        Checks.positive(policyVersion, "policyVersion");
    }

    /**
     * Decides whether a {@link RetrievalStatusChanged} must be published: when there is a current status and
     * its state, reason code or policy version differs from the previous one. A new detail or package id
     * alone is not published.
     *
     * @param previous the status before the event, or null when there was none
     * @param current the status after the event, or null when there is none
     */
    public static boolean shouldPublish(@Nullable RetrievalStatus previous, @Nullable RetrievalStatus current) {
        if (current == null) {
            return false;
        }
        if (previous == null) {
            return true;
        }
        return previous.state != current.state
                || !Objects.equals(previous.reasonCode, current.reasonCode)
                || previous.policyVersion != current.policyVersion;
    }

    /** Builds the event that announces the move from {@code previous} to this status. */
    public RetrievalStatusChanged toChangedEvent(String deviceId, String userId, String policyId,
            @Nullable RetrievalStatus previous, Instant changedAt) {
        RetrievalState from = previous == null ? null : previous.state;
        return new RetrievalStatusChanged(deviceId, userId, policyId, policyVersion, from, state, reasonCode,
                detail, changedAt);
    }
}
