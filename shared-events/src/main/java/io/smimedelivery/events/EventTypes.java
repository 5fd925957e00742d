package io.smimedelivery.events;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Every event type of the system. Type names end in a version, raised only for incompatible changes. */
public final class EventTypes {

    private static final String PREFIX = "io.smimedelivery.";

    public static final EventType<PolicyAssigned> POLICY_ASSIGNED = new EventType<>(PREFIX + "policy.assigned.v1",
            Topics.POLICY_ASSIGNMENTS, PolicyAssigned.class, PolicyAssigned::userId,
            "A policy version applies to a user, through at least one assigned group.");
    public static final EventType<PolicyUnassigned> POLICY_UNASSIGNED = new EventType<>(PREFIX + "policy.unassigned.v1",
            Topics.POLICY_ASSIGNMENTS, PolicyUnassigned.class, PolicyUnassigned::userId,
            "A policy no longer applies to a user.");

    public static final EventType<DeviceEnrolled> DEVICE_ENROLLED = new EventType<>(PREFIX + "device.enrolled.v1",
            Topics.DEVICE_ENROLLMENTS, DeviceEnrolled.class, DeviceEnrolled::deviceId,
            "A device enrolled, or re-enrolled with new data, for a user.");
    public static final EventType<DeviceRetired> DEVICE_RETIRED = new EventType<>(PREFIX + "device.retired.v1",
            Topics.DEVICE_ENROLLMENTS, DeviceRetired.class, DeviceRetired::deviceId,
            "A device left management.");

    public static final EventType<PackageReady> PACKAGE_READY = new EventType<>(PREFIX + "package.ready.v1",
            Topics.CERTIFICATE_PACKAGES, PackageReady.class, PackageReady::deviceId,
            "A package for one device and policy version is built.");
    public static final EventType<PackageFailed> PACKAGE_FAILED = new EventType<>(PREFIX + "package.failed.v1",
            Topics.CERTIFICATE_PACKAGES, PackageFailed.class, PackageFailed::deviceId,
            "No package could be built for one device and policy version.");
    public static final EventType<PackageRetrieved> PACKAGE_RETRIEVED = new EventType<>(PREFIX + "package.retrieved.v1",
            Topics.CERTIFICATE_PACKAGES, PackageRetrieved.class, PackageRetrieved::deviceId,
            "A device downloaded its package.");
    public static final EventType<SigningCertificateIssued> SIGNING_CERTIFICATE_ISSUED = new EventType<>(
            PREFIX + "package.signing-certificate-issued.v1", Topics.CERTIFICATE_PACKAGES,
            SigningCertificateIssued.class, SigningCertificateIssued::deviceId,
            "The SCEP CA issued a signing certificate to one device.");
    public static final EventType<SigningCertificateFailed> SIGNING_CERTIFICATE_FAILED = new EventType<>(
            PREFIX + "package.signing-certificate-failed.v1", Topics.CERTIFICATE_PACKAGES,
            SigningCertificateFailed.class, SigningCertificateFailed::deviceId,
            "The SCEP CA rejected one device's request for its signing certificate.");
    public static final EventType<DerivedCredentialRenewalDue> DERIVED_CREDENTIAL_RENEWAL_DUE = new EventType<>(
            PREFIX + "package.derived-credential-renewal-due.v1", Topics.CERTIFICATE_PACKAGES,
            DerivedCredentialRenewalDue.class, DerivedCredentialRenewalDue::deviceId,
            "80 percent of a device's derived credential validity has passed.");
    public static final EventType<PackageRevoked> PACKAGE_REVOKED = new EventType<>(PREFIX + "package.revoked.v1",
            Topics.CERTIFICATE_PACKAGES, PackageRevoked.class, PackageRevoked::deviceId,
            "A package may no longer be downloaded.");

    public static final EventType<NotificationSent> NOTIFICATION_SENT = new EventType<>(PREFIX + "notification.sent.v1",
            Topics.NOTIFICATIONS, NotificationSent.class, NotificationSent::userId,
            "A user was told to open Company Portal through one channel.");
    public static final EventType<NotificationFailed> NOTIFICATION_FAILED = new EventType<>(
            PREFIX + "notification.failed.v1", Topics.NOTIFICATIONS, NotificationFailed.class,
            NotificationFailed::userId, "A notification could not be delivered through one channel.");

    public static final EventType<RetrievalStatusChanged> RETRIEVAL_STATUS_CHANGED = new EventType<>(
            PREFIX + "retrieval.status-changed.v1", Topics.RETRIEVAL_STATUS, RetrievalStatusChanged.class,
            RetrievalStatusChanged::deviceId, "The retrieval status of one device for one policy changed.");

    public static final List<EventType<?>> ALL = List.of(POLICY_ASSIGNED, POLICY_UNASSIGNED, DEVICE_ENROLLED,
            DEVICE_RETIRED, PACKAGE_READY, PACKAGE_FAILED, PACKAGE_RETRIEVED, SIGNING_CERTIFICATE_ISSUED,
            SIGNING_CERTIFICATE_FAILED, DERIVED_CREDENTIAL_RENEWAL_DUE, PACKAGE_REVOKED, NOTIFICATION_SENT, NOTIFICATION_FAILED, RETRIEVAL_STATUS_CHANGED);

    private static final Map<String, EventType<?>> BY_NAME =
            ALL.stream().collect(Collectors.toUnmodifiableMap(EventType::name, Function.identity()));

    private EventTypes() {
    }

    /** Returns the event type with CloudEvents type {@code name}, or empty for a type this build does not know. */
    public static Optional<EventType<?>> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /** Returns the event type whose payload record is {@code payloadType}. */
    @SuppressWarnings("unchecked")
    public static <T> EventType<T> forPayload(Class<T> payloadType) {
        for (EventType<?> type : ALL) {
            if (type.payloadType().equals(payloadType)) {
                return (EventType<T>) type;
            }
        }
        throw new IllegalArgumentException(payloadType.getName() + " is not an event payload; see EventTypes.ALL");
    }
}
