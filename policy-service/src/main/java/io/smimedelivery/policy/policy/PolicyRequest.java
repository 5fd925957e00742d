package io.smimedelivery.policy.policy;

import java.util.List;

/**
 * An administrator's Outlook S/MIME policy as sent to the API. Choice fields are text, so an unknown
 * value gets a message that lists the allowed ones; {@link PolicyValidator} turns the request into a
 * {@link PolicyDocument}.
 */
public record PolicyRequest(
        String name,
        String description,
        String deviceEnrollmentType,
        String platform,
        String targetApp,
        Boolean smimeEnabled,
        Boolean smimeUserChangeAllowed,
        Boolean deployCertificates,
        String signingCertificateProfileType,
        String scepProfileId,
        String encryptionCertificateProfileType,
        String endUserNotification,
        List<String> trustedRootProfileIds,
        Boolean encryptAllMail,
        Boolean encryptAllMailUserChangeAllowed,
        Boolean signAllMail,
        Boolean signAllMailUserChangeAllowed,
        String ldapHostName) {
}
