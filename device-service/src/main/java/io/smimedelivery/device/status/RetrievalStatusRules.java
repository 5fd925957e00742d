package io.smimedelivery.device.status;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import io.smimedelivery.device.status.RetrievalFacts.Certificates;
import io.smimedelivery.device.status.RetrievalFacts.Failure;
import io.smimedelivery.device.status.RetrievalFacts.PackageFacts;
import io.smimedelivery.events.RetrievalState;

/**
 * Computes the status from the facts. The rules, in order of precedence, all for the highest policy version
 * any event named:
 * <ol>
 * <li>REMOVED with {@code DEVICE_RETIRED} when the latest retirement is not before the latest enrollment.
 * <li>REMOVED with the unassignment's reason when that version was unassigned and not assigned again later.
 * <li>FAILED with the build failure's reason when a build failed later than the latest package was built.
 * <li>PENDING when no package is built, or when the latest package is revoked and its successor is unknown.
 * <li>FAILED with the SCEP failure's reason when a package leaves signing to SCEP and the CA rejected the
 *     device's request later than the latest package was built and the latest certificate was issued.
 * <li>INSTALLED or FAILED with {@code INSTALL_MISMATCH}, from the latest install confirmation of the latest
 *     package. With SCEP signing, INSTALLED also needs an issued signing certificate; until then the
 *     status is RETRIEVED.
 * <li>RETRIEVED when the latest package was downloaded.
 * <li>NOTIFIED when any channel notified the user.
 * <li>FAILED with {@code NOTIFICATION_FAILED} when a channel failed for good and none succeeded.
 * <li>READY otherwise.
 * </ol>
 */
final class RetrievalStatusRules {

    /** Order in which the package built last is the latest. The package id breaks a tie. */
    private static final Comparator<PackageFacts> BUILD_ORDER = Comparator
            .comparing((PackageFacts packageFacts) -> packageFacts.built().at())
            .thenComparing(PackageFacts::packageId);

    private RetrievalStatusRules() {
    }

    static Optional<RetrievalStatus> status(RetrievalFacts facts) {
        if (facts.policyVersion() == 0) {
            return Optional.empty();
        }
        return Optional.of(compute(facts));
    }

    private static RetrievalStatus compute(RetrievalFacts facts) {
        int version = facts.policyVersion();

        if (isRetired(facts)) {
            return new RetrievalStatus(RetrievalState.REMOVED, RetrievalStatus.DEVICE_RETIRED,
                    "The device was retired: " + facts.retired().reason(), version, null);
        }
        if (isUnassigned(facts)) {
            return new RetrievalStatus(RetrievalState.REMOVED, facts.unassigned().reason(),
                    "The policy no longer applies to the device's user.", version, null);
        }

        PackageFacts latest = latestBuilt(facts.packages());
        Failure buildFailure = facts.buildFailure();
        // A build failure and a build at the same instant count as the build, which the device can use.
        if (buildFailure != null && (latest == null || buildFailure.at().isAfter(latest.built().at()))) {
            return new RetrievalStatus(RetrievalState.FAILED, buildFailure.reasonCode(), buildFailure.detail(),
                    version, null);
        }
        if (latest == null) {
            return new RetrievalStatus(RetrievalState.PENDING, null,
                    "No package is built for policy version " + version + " yet.", version, null);
        }
        String packageId = latest.packageId();
        if (latest.revoked() != null) {
            return new RetrievalStatus(RetrievalState.PENDING, null, "Package " + packageId + " was revoked ("
                    + latest.revoked().reason() + "); no newer package is known yet.", version, null);
        }

        Failure signingFailure = facts.signingFailure();
        if (facts.scepSigning() && signingFailure != null && signingFailure.at().isAfter(latest.built().at())
                && (facts.signingIssued() == null || signingFailure.at().isAfter(facts.signingIssued().at()))) {
            return new RetrievalStatus(RetrievalState.FAILED, signingFailure.reasonCode(),
                    "The SCEP request for the signing certificate failed: " + signingFailure.detail(), version, packageId);
        }

        Certificates installed = latest.installed();
        if (installed != null) {
            List<String> expected = latest.built().thumbprints();
            if (installed.thumbprints().equals(expected)) {
                if (facts.scepSigning() && facts.signingIssued() == null) {
                    return new RetrievalStatus(RetrievalState.RETRIEVED, null,
                            "The package is installed; the device has not yet received its signing certificate over SCEP.",
                            version, packageId);
                }
                return new RetrievalStatus(RetrievalState.INSTALLED, null, null, version, packageId);
            }
            return new RetrievalStatus(RetrievalState.FAILED, RetrievalStatus.INSTALL_MISMATCH,
                    mismatchDetail(packageId, expected, installed.thumbprints()), version, packageId);
        }
        if (latest.retrievedAt() != null) {
            return new RetrievalStatus(RetrievalState.RETRIEVED, null, null, version, packageId);
        }
        if (facts.notifiedAt() != null) {
            return new RetrievalStatus(RetrievalState.NOTIFIED, null, null, version, packageId);
        }
        Failure notificationFailure = facts.notificationFailure();
        if (notificationFailure != null) {
            return new RetrievalStatus(RetrievalState.FAILED, RetrievalStatus.NOTIFICATION_FAILED,
                    "The user could not be notified (" + notificationFailure.reasonCode() + "): "
                            + notificationFailure.detail(),
                    version, packageId);
        }
        return new RetrievalStatus(RetrievalState.READY, null, null, version, packageId);
    }

    /** Decides whether the device is retired. A retirement and an enrollment at the same instant count as retired. */
    private static boolean isRetired(RetrievalFacts facts) {
        return facts.retired() != null
                && (facts.enrolledAt() == null || !facts.enrolledAt().isAfter(facts.retired().at()));
    }

    /**
     * An unassignment counts unless the same version was assigned later. Both events come from
     * policy-service, so their times are comparable. At the same instant the unassignment counts. An
     * assignment of a lower version never cancels it, and any event of a higher version drops it.
     */
    private static boolean isUnassigned(RetrievalFacts facts) {
        return facts.unassigned() != null
                && (facts.assignedAt() == null || !facts.assignedAt().isAfter(facts.unassigned().at()));
    }

    private static PackageFacts latestBuilt(List<PackageFacts> packages) {
        return packages.stream()
                .filter(packageFacts -> packageFacts.built() != null)
                .max(BUILD_ORDER)
                .orElse(null);
    }

    private static String mismatchDetail(String packageId, List<String> expected, List<String> installed) {
        List<String> missing = new ArrayList<>(expected);
        missing.removeAll(installed);
        List<String> unexpected = new ArrayList<>(installed);
        unexpected.removeAll(expected);
        return "The device confirmed other certificates than package " + packageId + " carries. Missing: "
                + describe(missing) + ". Not in the package: " + describe(unexpected) + ".";
    }

    private static String describe(List<String> thumbprints) {
        return thumbprints.isEmpty() ? "none" : String.join(", ", thumbprints);
    }
}
