package io.smimedelivery.policy.policy;

import java.util.List;
import java.util.UUID;

import io.smimedelivery.events.EncryptionProfileType;
import io.smimedelivery.events.EndUserNotification;
import io.smimedelivery.events.SigningProfileType;

/**
 * The validated settings of one policy version, stored as JSON in smime_policy_version and returned by
 * the API. Profile types and the notification are null when certificates are not deployed.
 */
public record PolicyDocument(
        String deviceEnrollmentType,
        String platform,
        String targetApp,
        boolean smimeEnabled,
        boolean smimeUserChangeAllowed,
        boolean deployCertificates,
        SigningProfileType signingCertificateProfileType,
        UUID scepProfileId,
        EncryptionProfileType encryptionCertificateProfileType,
        EndUserNotification endUserNotification,
        List<UUID> trustedRootProfileIds,
        boolean encryptAllMail,
        boolean encryptAllMailUserChangeAllowed,
        boolean signAllMail,
        boolean signAllMailUserChangeAllowed,
        String ldapHostName) {

    public static final String MANAGED_DEVICES = "MANAGED_DEVICES";
    public static final String IOS_IPADOS = "IOS_IPADOS";
    public static final String OUTLOOK_IOS = "OUTLOOK_IOS";

    public PolicyDocument {
        trustedRootProfileIds = List.copyOf(trustedRootProfileIds);
    }
}
