package io.smimedelivery.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One valid payload per event type, with every field set, including the nullable ones. */
final class EventSamples {

    static final Instant TIME = Instant.parse("2026-12-04T09:30:00Z");

    private static final PolicySettings SETTINGS = new PolicySettings(true, false, true, SigningProfileType.SCEP,
            EncryptionProfileType.IMPORTED_PKCS, EndUserNotification.EMAIL, true, true, false, false, "ldaps://ldap.example.it",
            List.of(new TrustedRoot("root-1", "aa".repeat(32), "CN=Example Root CA,O=Example,C=IT",
                    "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")),
            new ScepProfileSnapshot("scep-1", "CN={{UserName}},E={{EmailAddress}}",
                    List.of(new ScepProfileSnapshot.SubjectAlternativeName("EMAIL", "{{EmailAddress}}")), 2048,
                    List.of("DIGITAL_SIGNATURE"), 12, List.of("1.3.6.1.5.5.7.3.4"), 20, "root-1"));

    private static final Map<EventType<?>, Object> SAMPLES = Map.ofEntries(
            Map.entry(EventTypes.POLICY_ASSIGNED, new PolicyAssigned("pol-1", 3, "S/MIME Italia", SETTINGS, "usr-1",
                    "mario.rossi@example.it", "mario.rossi@example.it", "it", TIME)),
            Map.entry(EventTypes.POLICY_UNASSIGNED, new PolicyUnassigned("pol-1", 3, "usr-1", "USER_LEFT_GROUP", TIME)),
            Map.entry(EventTypes.DEVICE_ENROLLED, new DeviceEnrolled("dev-1", "usr-1", "iOS", "18.1", "iPhone16,2", true,
                    "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----\n",
                    new SealedValue("notification-2026", "RSA-OAEP-256", "c2VhbGVk"), TIME)),
            Map.entry(EventTypes.DEVICE_RETIRED, new DeviceRetired("dev-1", "usr-1", "lost device", TIME)),
            Map.entry(EventTypes.PACKAGE_READY, new PackageReady("pkg-1", "dev-1", "usr-1", "pol-1", 3,
                    List.of(new PackagedCertificate("ab".repeat(32), CertificateRole.ENCRYPTION, "1f", TIME, true),
                            new PackagedCertificate("cd".repeat(32), CertificateRole.ENCRYPTION, "1e", TIME, false)),
                    SigningSource.IMPORTED_PKCS, TIME)),
            Map.entry(EventTypes.PACKAGE_FAILED, new PackageFailed("dev-1", "usr-1", "pol-1", 3,
                    "NO_ENCRYPTION_CERTIFICATE", "Import an encryption certificate for mario.rossi@example.it", TIME)),
            Map.entry(EventTypes.PACKAGE_RETRIEVED, new PackageRetrieved("pkg-1", "dev-1", "usr-1", "pol-1", 3, TIME)),
            Map.entry(EventTypes.SIGNING_CERTIFICATE_ISSUED, new SigningCertificateIssued("dev-1", "usr-1", "pol-1", 3,
                    "ef".repeat(32), "0a1b", TIME, TIME)),
            Map.entry(EventTypes.DERIVED_CREDENTIAL_RENEWAL_DUE, new DerivedCredentialRenewalDue("dev-1", "usr-1", "pol-1", 3,
                    "SIGNING", "ab".repeat(32), TIME, TIME)),
            Map.entry(EventTypes.SIGNING_CERTIFICATE_FAILED, new SigningCertificateFailed("dev-1", "usr-1", "pol-1", 3,
                    "CHALLENGE_EXPIRED", "The challenge of device dev-1 expired", TIME)),
            Map.entry(EventTypes.PACKAGE_REVOKED, new PackageRevoked("pkg-1", "dev-1", "usr-1", "pol-1", 3, "SUPERSEDED", TIME)),
            Map.entry(EventTypes.NOTIFICATION_SENT, new NotificationSent("ntf-1", "usr-1", "pol-1", 3,
                    DeliveryChannel.EMAIL, List.of("dev-1", "dev-2"), 1, TIME)),
            Map.entry(EventTypes.NOTIFICATION_FAILED, new NotificationFailed("ntf-1", "usr-1", "pol-1", 3,
                    DeliveryChannel.PUSH, List.of("dev-1"), 2, false, "PUSH_GATEWAY_UNAVAILABLE", "HTTP 503 from the gateway", TIME)),
            Map.entry(EventTypes.RETRIEVAL_STATUS_CHANGED, new RetrievalStatusChanged("dev-1", "usr-1", "pol-1", 3,
                    RetrievalState.READY, RetrievalState.NOTIFIED, null, null, TIME)));

    private EventSamples() {
    }

    static Object sample(EventType<?> type) {
        Object sample = SAMPLES.get(type);
        if (sample == null) {
            throw new IllegalStateException("No sample for " + type.name() + "; add one to EventSamples");
        }
        return sample;
    }
}
