package io.smimedelivery.device.status;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BinaryOperator;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;

import io.smimedelivery.events.EventJson;
import io.smimedelivery.events.Nullable;

/**
 * Everything device-service has learned about one device and one policy, from events in any order.
 *
 * <p>{@link #join} is the join of a semilattice: commutative, associative and idempotent. {@link #apply}
 * joins the facts of a single event, so any order and any repetition of the same events give equal facts,
 * and {@link #status()} is a pure function of the facts. Every field keeps a maximum, a minimum or a union,
 * with ties broken on all components so that two different values never compare equal.
 *
 * <p>The facts describe only {@link #policyVersion()}, the highest version that any event named. Facts of
 * lower versions are dropped on join, because none of them can change the status of the highest version.
 * Device enrollment and retirement have no version and are always kept.
 *
 * <p>The record is also the JSON form stored by device-service: {@link #toJson()} writes it with the shared
 * event mapper and {@link #fromJson(String)} reads it back.
 *
 * @param policyVersion the highest policy version any event named, or 0 before the first such event
 * @param assignedAt the latest {@code PolicyAssigned} time at {@code policyVersion}
 * @param unassigned the latest {@code PolicyUnassigned} at {@code policyVersion}
 * @param enrolledAt the latest {@code DeviceEnrolled} time
 * @param retired the latest {@code DeviceRetired}
 * @param packages the packages of {@code policyVersion}, sorted by package id
 * @param buildFailure the latest {@code PackageFailed} at {@code policyVersion}
 * @param notifiedAt the earliest {@code NotificationSent} time at {@code policyVersion}
 * @param notificationFailure the latest permanent {@code NotificationFailed} at {@code policyVersion};
 *     temporary failures are not kept because they change no status
 * @param scepSigning true when a package of {@code policyVersion} leaves the signing certificate to SCEP
 * @param signingIssued the latest {@code SigningCertificateIssued} at {@code policyVersion}
 * @param signingFailure the latest {@code SigningCertificateFailed} at {@code policyVersion}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record RetrievalFacts(
        int policyVersion,
        @Nullable Instant assignedAt,
        @Nullable Ending unassigned,
        @Nullable Instant enrolledAt,
        @Nullable Ending retired,
        List<PackageFacts> packages,
        @Nullable Failure buildFailure,
        @Nullable Instant notifiedAt,
        @Nullable Failure notificationFailure,
        boolean scepSigning,
        @Nullable Certificates signingIssued,
        @Nullable Failure signingFailure) {

    /** Facts before any event. */
    public static final RetrievalFacts EMPTY =
            new RetrievalFacts(0, null, null, null, null, List.of(), null, null, null, false, null, null);

    /** Facts without SCEP signing, as they were before SCEP existed. */
    public RetrievalFacts(int policyVersion, Instant assignedAt, Ending unassigned, Instant enrolledAt, Ending retired,
            List<PackageFacts> packages, Failure buildFailure, Instant notifiedAt, Failure notificationFailure) {
        this(policyVersion, assignedAt, unassigned, enrolledAt, retired, packages, buildFailure, notifiedAt,
                notificationFailure, false, null, null);
    }

    public RetrievalFacts {
        if (policyVersion < 0) {
            throw new IllegalArgumentException("Invalid policyVersion " + policyVersion + ": expected 0 or more");
        }
        packages = sortedById(packages == null ? List.of() : packages);
        boolean versionFacts = assignedAt != null || unassigned != null || !packages.isEmpty()
                || buildFailure != null || notifiedAt != null || notificationFailure != null || scepSigning
                || signingIssued != null || signingFailure != null;
        if (policyVersion == 0 && versionFacts) {
            throw new IllegalArgumentException("Invalid facts: policyVersion 0 with facts of a policy version");
        }
    }

    /** A {@code PolicyUnassigned} or {@code DeviceRetired}: when, and the reason it gave. */
    public record Ending(Instant at, String reason) {
        public Ending {
            Checks.present(at, "at");
            Checks.text(reason, "reason");
        }

        static final Comparator<Ending> ORDER =
                Comparator.comparing(Ending::at).thenComparing(Ending::reason);
    }

    /** A {@code PackageFailed} or permanent {@code NotificationFailed}. */
    public record Failure(Instant at, String reasonCode, String detail) {
        public Failure {
            Checks.present(at, "at");
            Checks.text(reasonCode, "reasonCode");
            Checks.text(detail, "detail");
        }

        static final Comparator<Failure> ORDER = Comparator.comparing(Failure::at)
                .thenComparing(Failure::reasonCode)
                .thenComparing(Failure::detail);
    }

    /** The certificates of a package, by SHA-256 thumbprint, and when they were sent or reported. */
    public record Certificates(Instant at, List<String> thumbprints) {
        public Certificates {
            Checks.present(at, "at");
            thumbprints = Checks.thumbprints(thumbprints, "thumbprints");
        }

        static final Comparator<Certificates> ORDER = Comparator.comparing(Certificates::at)
                .thenComparing(certificates -> String.join(",", certificates.thumbprints()));
    }

    /**
     * Facts about one package. Any field may be missing, because the events of a package can
     * arrive in any order.
     *
     * @param built when the package was built and which certificates it carries, from {@code PackageReady}
     * @param retrievedAt the first download
     * @param revoked the latest revocation
     * @param installed the latest install confirmation of the device, with the thumbprints it reported
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record PackageFacts(
            String packageId,
            @Nullable Certificates built,
            @Nullable Instant retrievedAt,
            @Nullable Ending revoked,
            @Nullable Certificates installed) {

        public PackageFacts {
            Checks.text(packageId, "packageId");
        }

        PackageFacts join(PackageFacts other) {
            return new PackageFacts(packageId,
                    max(built, other.built, Certificates.ORDER),
                    min(retrievedAt, other.retrievedAt),
                    max(revoked, other.revoked, Ending.ORDER),
                    max(installed, other.installed, Certificates.ORDER));
        }
    }

    /** Returns these facts joined with the facts of one event. */
    public RetrievalFacts apply(RetrievalEvent event) {
        return join(of(event));
    }

    /** Returns the least facts that contain both these facts and {@code other}. */
    public RetrievalFacts join(RetrievalFacts other) {
        int version = Math.max(policyVersion, other.policyVersion);
        RetrievalFacts left = atVersion(version);
        RetrievalFacts right = other.atVersion(version);
        return new RetrievalFacts(version,
                max(left.assignedAt, right.assignedAt, Comparator.naturalOrder()),
                max(left.unassigned, right.unassigned, Ending.ORDER),
                max(enrolledAt, other.enrolledAt, Comparator.naturalOrder()),
                max(retired, other.retired, Ending.ORDER),
                unionById(left.packages, right.packages),
                max(left.buildFailure, right.buildFailure, Failure.ORDER),
                min(left.notifiedAt, right.notifiedAt),
                max(left.notificationFailure, right.notificationFailure, Failure.ORDER),
                left.scepSigning || right.scepSigning,
                max(left.signingIssued, right.signingIssued, Certificates.ORDER),
                max(left.signingFailure, right.signingFailure, Failure.ORDER));
    }

    /** Computes the retrieval status, or returns empty while no event has named a policy version. */
    public Optional<RetrievalStatus> status() {
        return RetrievalStatusRules.status(this);
    }

    /** Writes the facts as JSON for storage, such as in a JSONB column. */
    public String toJson() {
        try {
            return EventJson.mapper().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Failed to write retrieval facts as JSON", e);
        }
    }

    /**
     * Reads facts written by {@link #toJson()}.
     *
     * @throws IllegalArgumentException if the text is not JSON or not valid facts
     */
    public static RetrievalFacts fromJson(String json) {
        try {
            return EventJson.mapper().readValue(json, RetrievalFacts.class);
        } catch (IOException e) {
            String message = String.valueOf(e.getMessage());
            int newline = message.indexOf('\n');
            throw new IllegalArgumentException("Invalid retrieval facts JSON: "
                    + (newline < 0 ? message : message.substring(0, newline)), e);
        }
    }

    /** Returns the facts of a single event. */
    static RetrievalFacts of(RetrievalEvent event) {
        Checks.present(event, "event");
        if (event instanceof RetrievalEvent.Assigned e) {
            return version(e.policyVersion()).withAssigned(e.assignedAt());
        }

        if (event instanceof RetrievalEvent.Unassigned e) {
            return version(e.policyVersion()).withUnassigned(new Ending(e.unassignedAt(), e.reason()));
        }

        if (event instanceof RetrievalEvent.Enrolled e) {
            return new RetrievalFacts(0, null, null, e.enrolledAt(), null, List.of(), null, null, null);
        }

        if (event instanceof RetrievalEvent.Retired e) {
            return new RetrievalFacts(0, null, null, null, new Ending(e.retiredAt(), e.reason()), List.of(),
                    null, null, null);
        }

        if (event instanceof RetrievalEvent.Ready e) {
            RetrievalFacts ready = version(e.policyVersion()).withPackage(new PackageFacts(e.packageId(),
                    new Certificates(e.readyAt(), e.thumbprints()), null, null, null));
            return e.scepSigning() ? ready.withScep(true, null, null) : ready;
        }

        if (event instanceof RetrievalEvent.SigningIssued e) {
            return version(e.policyVersion()).withScep(false, new Certificates(e.issuedAt(), List.of(e.thumbprint())), null);
        }

        if (event instanceof RetrievalEvent.SigningFailed e) {
            return version(e.policyVersion()).withScep(false, null, new Failure(e.failedAt(), e.reasonCode(), e.detail()));
        }

        if (event instanceof RetrievalEvent.BuildFailed e) {
            return version(e.policyVersion()).withBuildFailure(new Failure(e.failedAt(), e.reasonCode(), e.detail()));
        }

        if (event instanceof RetrievalEvent.Retrieved e) {
            return version(e.policyVersion())
                    .withPackage(new PackageFacts(e.packageId(), null, e.retrievedAt(), null, null));
        }

        if (event instanceof RetrievalEvent.Revoked e) {
            return version(e.policyVersion()).withPackage(
                    new PackageFacts(e.packageId(), null, null, new Ending(e.revokedAt(), e.reason()), null));
        }

        if (event instanceof RetrievalEvent.Notified e) {
            return version(e.policyVersion()).withNotifiedAt(e.sentAt());
        }

        if (event instanceof RetrievalEvent.NotificationFailure e) {
            if (!e.permanent()) {
                // A temporary failure changes no status, but it still shows that the policy reached this version.
                return version(e.policyVersion());
            }
            return version(e.policyVersion())
                    .withNotificationFailure(new Failure(e.failedAt(), e.reasonCode(), e.detail()));
        }

        if (event instanceof RetrievalEvent.InstallConfirmed e) {
            return version(e.policyVersion()).withPackage(new PackageFacts(e.packageId(), null, null, null,
                    new Certificates(e.confirmedAt(), e.thumbprints())));
        }

        throw new IllegalArgumentException("Unsupported retrieval event " + event);
    }

    private static RetrievalFacts version(int policyVersion) {
        return new RetrievalFacts(policyVersion, null, null, null, null, List.of(), null, null, null);
    }

    private RetrievalFacts withAssigned(Instant at) {
        return new RetrievalFacts(policyVersion, at, unassigned, enrolledAt, retired, packages, buildFailure,
                notifiedAt, notificationFailure, scepSigning, signingIssued, signingFailure);
    }

    private RetrievalFacts withUnassigned(Ending ending) {
        return new RetrievalFacts(policyVersion, assignedAt, ending, enrolledAt, retired, packages, buildFailure,
                notifiedAt, notificationFailure, scepSigning, signingIssued, signingFailure);
    }

    private RetrievalFacts withPackage(PackageFacts packageFacts) {
        return new RetrievalFacts(policyVersion, assignedAt, unassigned, enrolledAt, retired,
                List.of(packageFacts), buildFailure, notifiedAt, notificationFailure, scepSigning, signingIssued,
                signingFailure);
    }

    private RetrievalFacts withBuildFailure(Failure failure) {
        return new RetrievalFacts(policyVersion, assignedAt, unassigned, enrolledAt, retired, packages, failure,
                notifiedAt, notificationFailure, scepSigning, signingIssued, signingFailure);
    }

    private RetrievalFacts withNotifiedAt(Instant at) {
        return new RetrievalFacts(policyVersion, assignedAt, unassigned, enrolledAt, retired, packages,
                buildFailure, at, notificationFailure, scepSigning, signingIssued, signingFailure);
    }

    private RetrievalFacts withNotificationFailure(Failure failure) {
        return new RetrievalFacts(policyVersion, assignedAt, unassigned, enrolledAt, retired, packages,
                buildFailure, notifiedAt, failure, scepSigning, signingIssued, signingFailure);
    }

    private RetrievalFacts withScep(boolean scep, Certificates issued, Failure failure) {
        return new RetrievalFacts(policyVersion, assignedAt, unassigned, enrolledAt, retired, packages,
                buildFailure, notifiedAt, notificationFailure, scep, issued, failure);
    }

    /** Returns these facts as seen from {@code version}: facts of a lower version are dropped. */
    private RetrievalFacts atVersion(int version) {
        if (version == policyVersion) {
            return this;
        }
        return new RetrievalFacts(version, null, null, enrolledAt, retired, List.of(), null, null, null);
    }

    private static List<PackageFacts> unionById(List<PackageFacts> left, List<PackageFacts> right) {
        TreeMap<String, PackageFacts> byId = new TreeMap<>();
        BinaryOperator<PackageFacts> join = PackageFacts::join;
        for (PackageFacts packageFacts : left) {
            byId.merge(packageFacts.packageId(), packageFacts, join);
        }
        for (PackageFacts packageFacts : right) {
            byId.merge(packageFacts.packageId(), packageFacts, join);
        }
        return List.copyOf(byId.values());
    }

    private static List<PackageFacts> sortedById(List<PackageFacts> packages) {
        List<PackageFacts> sorted = new ArrayList<>(packages);
        sorted.sort(Comparator.comparing(PackageFacts::packageId));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).packageId().equals(sorted.get(i - 1).packageId())) {
                throw new IllegalArgumentException("Invalid facts: package " + sorted.get(i).packageId()
                        + " is listed twice");
            }
        }
        return List.copyOf(sorted);
    }

    private static <T> T max(T left, T right, Comparator<? super T> order) {
        if (left == null) {
            return right;
        }
        if (right == null) {
            return left;
        }
        return order.compare(left, right) >= 0 ? left : right;
    }

    private static Instant min(Instant left, Instant right) {
        if (left == null) {
            return right;
        }
        if (right == null) {
            return left;
        }
        return left.isBefore(right) ? left : right;
    }
}
