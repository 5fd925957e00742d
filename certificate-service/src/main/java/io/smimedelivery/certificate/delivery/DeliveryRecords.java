package io.smimedelivery.certificate.delivery;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

import io.smimedelivery.events.PackagedCertificate;
import io.smimedelivery.events.PolicySettings;
import io.smimedelivery.events.SigningSource;

/** Rows of the delivery tables, as {@link DeliveryStore} reads and writes them. */
public final class DeliveryRecords {

    private DeliveryRecords() {
    }

    /** A user with at least one assigned policy. */
    public record AssignedUser(String userId, String userPrincipalName, String email, String preferredLanguage) {
    }

    /** A policy version that applies to a user. */
    public record UserPolicy(String userId, String policyId, int policyVersion, String policyName,
            PolicySettings settings) {
    }

    /** A device of a user, retired or not. */
    public record Device(String deviceId, String userId, String platform, String osVersion, boolean managed,
            String publicKeyPem, Instant enrolledAt, Instant retiredAt) {

        /** Returns whether packages go to this device: enrolled, managed, and an iPhone or iPad. */
        public boolean receivesPackages() {
            if (retiredAt != null || !managed) {
                return false;
            }
            String name = platform.strip().toLowerCase(Locale.ROOT);
            return name.equals("ios") || name.equals("ipados");
        }
    }

    /** Status of a package row. */
    public enum PackageStatus {
        READY, FAILED, REVOKED
    }

    /** A package that is READY or FAILED, without its envelope. */
    public record LivePackage(java.util.UUID id, String deviceId, String userId, String policyId, int policyVersion,
            PackageStatus status, String fingerprint, List<PackagedCertificate> certificates,
            SigningSource signingSource, String reasonCode, String detail, Instant createdAt, Instant retrievedAt) {
    }

    /**
     * A package of a device as a download reads it: the envelope of a READY package, or the revocation
     * reason of a REVOKED one.
     */
    public record StoredPackage(LivePackage pkg, byte[] envelope, String revokedReason) {
    }
}
