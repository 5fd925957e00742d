package io.smimedelivery.device.status;

import java.time.Instant;
import java.util.List;

/** Short factories for retrieval events in tests. A {@code minute} counts minutes from {@link #START}. */
final class RetrievalEvents {

    static final Instant START = Instant.parse("2025-03-01T08:00:00Z");
    static final List<String> CERTIFICATES = List.of("aa01", "bb02", "cc03");

    private RetrievalEvents() {
    }

    static Instant at(int minute) {
        return START.plusSeconds(60L * minute);
    }

    static RetrievalEvent.Assigned assigned(int version, int minute) {
        return new RetrievalEvent.Assigned(version, at(minute));
    }

    static RetrievalEvent.Unassigned unassigned(int version, int minute) {
        return new RetrievalEvent.Unassigned(version, "USER_LEFT_GROUP", at(minute));
    }

    static RetrievalEvent.Enrolled enrolled(int minute) {
        return new RetrievalEvent.Enrolled(at(minute));
    }

    static RetrievalEvent.Retired retired(int minute) {
        return new RetrievalEvent.Retired("Lost device", at(minute));
    }

    static RetrievalEvent.Ready ready(String packageId, int version, int minute) {
        return new RetrievalEvent.Ready(packageId, version, CERTIFICATES, at(minute));
    }

    /** A package that leaves the signing certificate to SCEP. */
    static RetrievalEvent.Ready readyScep(String packageId, int version, int minute) {
        return new RetrievalEvent.Ready(packageId, version, CERTIFICATES, at(minute), true);
    }

    static RetrievalEvent.SigningIssued signingIssued(int version, int minute) {
        return new RetrievalEvent.SigningIssued(version, "dd04", at(minute));
    }

    static RetrievalEvent.SigningFailed signingFailed(int version, int minute) {
        return new RetrievalEvent.SigningFailed(version, "CHALLENGE_EXPIRED", "The challenge of the device expired.",
                at(minute));
    }

    static RetrievalEvent.BuildFailed buildFailed(int version, int minute) {
        return new RetrievalEvent.BuildFailed(version, "NO_ENCRYPTION_CERTIFICATE",
                "Import an encryption certificate for the user.", at(minute));
    }

    static RetrievalEvent.Retrieved retrieved(String packageId, int version, int minute) {
        return new RetrievalEvent.Retrieved(packageId, version, at(minute));
    }

    static RetrievalEvent.Revoked revoked(String packageId, int version, String reason, int minute) {
        return new RetrievalEvent.Revoked(packageId, version, reason, at(minute));
    }

    static RetrievalEvent.Notified notified(int version, int minute) {
        return new RetrievalEvent.Notified(version, at(minute));
    }

    static RetrievalEvent.NotificationFailure notificationFailed(int version, boolean permanent, int minute) {
        return new RetrievalEvent.NotificationFailure(version, permanent, "PUSH_TOKEN_INVALID",
                "APNs rejected the device token.", at(minute));
    }

    static RetrievalEvent.InstallConfirmed confirmed(String packageId, int version, int minute) {
        return new RetrievalEvent.InstallConfirmed(packageId, version, CERTIFICATES, at(minute));
    }

    static RetrievalEvent.InstallConfirmed confirmed(String packageId, int version, List<String> thumbprints,
            int minute) {
        return new RetrievalEvent.InstallConfirmed(packageId, version, thumbprints, at(minute));
    }

    /** Applies the events to empty facts in the given order. */
    static RetrievalFacts applyAll(List<? extends RetrievalEvent> events) {
        RetrievalFacts facts = RetrievalFacts.EMPTY;
        for (RetrievalEvent event : events) {
            facts = facts.apply(event);
        }
        return facts;
    }

    static RetrievalFacts applyAll(RetrievalEvent... events) {
        return applyAll(List.of(events));
    }

    static RetrievalStatus statusOf(RetrievalEvent... events) {
        return applyAll(events).status().orElseThrow();
    }
}
