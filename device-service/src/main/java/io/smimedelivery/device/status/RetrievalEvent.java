package io.smimedelivery.device.status;

import java.time.Instant;
import java.util.List;

import io.smimedelivery.events.DeviceEnrolled;
import io.smimedelivery.events.DeviceRetired;
import io.smimedelivery.events.NotificationFailed;
import io.smimedelivery.events.NotificationSent;
import io.smimedelivery.events.PackageFailed;
import io.smimedelivery.events.PackageReady;
import io.smimedelivery.events.PackageRetrieved;
import io.smimedelivery.events.PackageRevoked;
import io.smimedelivery.events.SigningCertificateFailed;
import io.smimedelivery.events.SigningCertificateIssued;
import io.smimedelivery.events.SigningSource;
import io.smimedelivery.events.PackagedCertificate;
import io.smimedelivery.events.PolicyAssigned;
import io.smimedelivery.events.PolicyUnassigned;

/**
 * One input to the retrieval status of a single device and policy, reduced to what {@link RetrievalFacts}
 * needs. The caller picks the device and policy: a user-keyed event such as {@link PolicyAssigned} is applied
 * to the facts of each of the user's devices, and a notification event to each device in its
 * {@code deviceIds}.
 */
public sealed interface RetrievalEvent {

    /** The policy applies to the device's user at {@code policyVersion}, from {@link PolicyAssigned}. */
    record Assigned(int policyVersion, Instant assignedAt) implements RetrievalEvent {
        public Assigned {
            Checks.positive(policyVersion, "policyVersion");
            Checks.present(assignedAt, "assignedAt");
        }
    }

    /** The policy stopped applying to the device's user, from {@link PolicyUnassigned}. */
    record Unassigned(int policyVersion, String reason, Instant unassignedAt) implements RetrievalEvent {
        public Unassigned {
            Checks.positive(policyVersion, "policyVersion");
            Checks.text(reason, "reason");
            Checks.present(unassignedAt, "unassignedAt");
        }
    }

    /** The device enrolled or re-enrolled, from {@link DeviceEnrolled}. */
    record Enrolled(Instant enrolledAt) implements RetrievalEvent {
        public Enrolled {
            Checks.present(enrolledAt, "enrolledAt");
        }
    }

    /** The device left management, from {@link DeviceRetired}. */
    record Retired(String reason, Instant retiredAt) implements RetrievalEvent {
        public Retired {
            Checks.text(reason, "reason");
            Checks.present(retiredAt, "retiredAt");
        }
    }

    /**
     * A package was built for the device, from {@link PackageReady}. The thumbprints are SHA-256 in
     * lower-case hex, sorted and without duplicates. {@code scepSigning} is true when the device requests
     * its signing certificate over SCEP, so installing the package alone does not complete the delivery.
     */
    record Ready(String packageId, int policyVersion, List<String> thumbprints, Instant readyAt, boolean scepSigning)
            implements RetrievalEvent {
        public Ready {
            Checks.text(packageId, "packageId");
            Checks.positive(policyVersion, "policyVersion");
            thumbprints = Checks.thumbprints(thumbprints, "thumbprints");
            Checks.present(readyAt, "readyAt");
        }

        public Ready(String packageId, int policyVersion, List<String> thumbprints, Instant readyAt) {
            this(packageId, policyVersion, thumbprints, readyAt, false);
        }
    }

    /** The SCEP CA issued the device's signing certificate, from {@link SigningCertificateIssued}. */
    record SigningIssued(int policyVersion, String thumbprint, Instant issuedAt) implements RetrievalEvent {
        public SigningIssued {
            Checks.positive(policyVersion, "policyVersion");
            Checks.text(thumbprint, "thumbprint");
            Checks.present(issuedAt, "issuedAt");
        }
    }

    /** The SCEP CA rejected the device's request for its signing certificate, from {@link SigningCertificateFailed}. */
    record SigningFailed(int policyVersion, String reasonCode, String detail, Instant failedAt) implements RetrievalEvent {
        public SigningFailed {
            Checks.positive(policyVersion, "policyVersion");
            Checks.text(reasonCode, "reasonCode");
            Checks.text(detail, "detail");
            Checks.present(failedAt, "failedAt");
        }
    }

    /** No package could be built for the device, from {@link PackageFailed}. */
    record BuildFailed(int policyVersion, String reasonCode, String detail, Instant failedAt)
            implements RetrievalEvent {
        public BuildFailed {
            Checks.positive(policyVersion, "policyVersion");
            Checks.text(reasonCode, "reasonCode");
            Checks.text(detail, "detail");
            Checks.present(failedAt, "failedAt");
        }
    }

    /** The device downloaded a package, from {@link PackageRetrieved}. */
    record Retrieved(String packageId, int policyVersion, Instant retrievedAt) implements RetrievalEvent {
        public Retrieved {
            Checks.text(packageId, "packageId");
            Checks.positive(policyVersion, "policyVersion");
            Checks.present(retrievedAt, "retrievedAt");
        }
    }

    /** A package may no longer be downloaded, from {@link PackageRevoked}. */
    record Revoked(String packageId, int policyVersion, String reason, Instant revokedAt)
            implements RetrievalEvent {
        public Revoked {
            Checks.text(packageId, "packageId");
            Checks.positive(policyVersion, "policyVersion");
            Checks.text(reason, "reason");
            Checks.present(revokedAt, "revokedAt");
        }
    }

    /** One channel notified the user about the device's package, from {@link NotificationSent}. */
    record Notified(int policyVersion, Instant sentAt) implements RetrievalEvent {
        public Notified {
            Checks.positive(policyVersion, "policyVersion");
            Checks.present(sentAt, "sentAt");
        }
    }

    /** A notification through one channel failed, for now or for good, from {@link NotificationFailed}. */
    record NotificationFailure(int policyVersion, boolean permanent, String reasonCode, String detail,
            Instant failedAt) implements RetrievalEvent {
        public NotificationFailure {
            Checks.positive(policyVersion, "policyVersion");
            Checks.text(reasonCode, "reasonCode");
            Checks.text(detail, "detail");
            Checks.present(failedAt, "failedAt");
        }
    }

    /**
     * The device reported which certificates of a package it installed. {@code confirmedAt} is the time
     * device-service received the report, not a time the device sent, because only device-service's own
     * clock is compared between reports.
     */
    record InstallConfirmed(String packageId, int policyVersion, List<String> thumbprints, Instant confirmedAt)
            implements RetrievalEvent {
        public InstallConfirmed {
            Checks.text(packageId, "packageId");
            Checks.positive(policyVersion, "policyVersion");
            thumbprints = Checks.thumbprints(thumbprints, "thumbprints");
            Checks.present(confirmedAt, "confirmedAt");
        }
    }

    static Assigned of(PolicyAssigned event) {
        return new Assigned(event.policyVersion(), event.assignedAt());
    }

    static Unassigned of(PolicyUnassigned event) {
        return new Unassigned(event.policyVersion(), event.reason(), event.unassignedAt());
    }

    static Enrolled of(DeviceEnrolled event) {
        return new Enrolled(event.enrolledAt());
    }

    static Retired of(DeviceRetired event) {
        return new Retired(event.reason(), event.retiredAt());
    }

    static Ready of(PackageReady event) {
        List<String> thumbprints = event.certificates().stream()
                .map(PackagedCertificate::thumbprintSha256)
                .toList();
        return new Ready(event.packageId(), event.policyVersion(), thumbprints, event.readyAt(),
                event.signingSource() == SigningSource.SCEP);
    }

    static SigningIssued of(SigningCertificateIssued event) {
        return new SigningIssued(event.policyVersion(), event.thumbprintSha256(), event.issuedAt());
    }

    static SigningFailed of(SigningCertificateFailed event) {
        return new SigningFailed(event.policyVersion(), event.reasonCode(), event.detail(), event.failedAt());
    }

    static BuildFailed of(PackageFailed event) {
        return new BuildFailed(event.policyVersion(), event.reasonCode(), event.detail(), event.failedAt());
    }

    static Retrieved of(PackageRetrieved event) {
        return new Retrieved(event.packageId(), event.policyVersion(), event.retrievedAt());
    }

    static Revoked of(PackageRevoked event) {
        return new Revoked(event.packageId(), event.policyVersion(), event.reason(), event.revokedAt());
    }

    static Notified of(NotificationSent event) {
        return new Notified(event.policyVersion(), event.sentAt());
    }

    static NotificationFailure of(NotificationFailed event) {
        return new NotificationFailure(event.policyVersion(), event.permanent(), event.reasonCode(),
                event.detail(), event.failedAt());
    }
}
