package io.smimedelivery.device.status;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.smimedelivery.common.problem.FieldError;
import io.smimedelivery.common.problem.ProblemException;
import io.smimedelivery.common.problem.ProblemOr;

/**
 * Records what a device installed. The device names the package and the SHA-256 thumbprints of the
 * certificates it installed. The status becomes INSTALLED when they are the package's, and FAILED with
 * INSTALL_MISMATCH otherwise. The time is when the report arrived, not the device's clock.
 */
@ApplicationScoped
public class InstallationService {

    private static final Pattern THUMBPRINT = Pattern.compile("[0-9a-fA-F]{64}");
    private static final int MAX_THUMBPRINTS = 200;

    private final StatusTracker tracker;
    private final UserPolicies users;

    public InstallationService(StatusTracker tracker, UserPolicies users) {
        this.tracker = tracker;
        this.users = users;
    }

    /**
     * Records an installation report in the caller's transaction, or returns the problem with it. Every
     * problem is found before anything is written, so the caller may commit either way.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public ProblemOr<StatusTracker.StoredStatus> confirm(String deviceId, String packageId, List<String> thumbprints) {
        ProblemException invalid = problemWith(packageId, thumbprints);
        if (invalid != null) {
            return ProblemOr.problem(invalid);
        }
        StatusTracker.PackageRef ref = tracker.packageOf(deviceId, packageId).orElse(null);
        if (ref == null) {
            return ProblemOr.problem(ProblemException.notFound("Package of device " + deviceId, packageId));
        }
        users.lockUser(ref.userId());
        tracker.apply(deviceId, ref.policyId(), ref.userId(), new RetrievalEvent.InstallConfirmed(packageId,
                ref.policyVersion(), thumbprints.stream().map(t -> t.toLowerCase(Locale.ROOT)).toList(), Instant.now()));
        return ProblemOr.of(tracker.status(deviceId, ref.policyId()).orElseThrow());
    }

    /** Returns what is wrong with a report's fields, or null. */
    private static ProblemException problemWith(String packageId, List<String> thumbprints) {
        if (packageId == null || packageId.isBlank()) {
            return ProblemException.invalidField("packageId", packageId, "give the id of the package the device installed");
        }
        if (thumbprints == null || thumbprints.isEmpty() || thumbprints.size() > MAX_THUMBPRINTS) {
            return ProblemException.invalidField("thumbprints", thumbprints == null ? null : Integer.toString(thumbprints.size()),
                    "list the SHA-256 thumbprints (64 hex characters) of the 1 to " + MAX_THUMBPRINTS
                            + " certificates the device installed");
        }
        for (int i = 0; i < thumbprints.size(); i++) {
            String thumbprint = thumbprints.get(i);
            if (thumbprint == null || !THUMBPRINT.matcher(thumbprint).matches()) {
                return ProblemException.invalidFields("invalid-installation", "Invalid installation report", List.of(
                        new FieldError("thumbprints[" + i + "]", thumbprint, "use a SHA-256 thumbprint of 64 hex characters")));
            }
        }
        return null;
    }
}
