package io.smimedelivery.certificate.scep;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.smimedelivery.certificate.crypto.CertificateEncoding;
import io.smimedelivery.certificate.scep.ChallengeSpec.SubjectAltName;
import io.smimedelivery.events.ScepProfileSnapshot;
import io.smimedelivery.scep.SanTemplate;
import io.smimedelivery.scep.SanType;
import io.smimedelivery.scep.SubjectNameFormat;
import io.smimedelivery.scep.SubjectVariable;

/**
 * Prepares the SCEP part of a device package: renders the profile's subject and subject alternative
 * names for the user and device, and creates the one-time challenge bound to both.
 */
@ApplicationScoped
public class ScepPackaging {

    /** Reason code: no SCEP issuing CA is configured. */
    public static final String SCEP_NOT_CONFIGURED = "SCEP_NOT_CONFIGURED";
    /** Reason code: the policy's signing type is SCEP but the assignment carries no SCEP profile. */
    public static final String SCEP_PROFILE_MISSING = "SCEP_PROFILE_MISSING";
    /** Reason code: the profile uses a variable whose value this service does not know, or renders badly. */
    public static final String SCEP_TEMPLATE_UNRESOLVED = "SCEP_TEMPLATE_UNRESOLVED";

    /** A SCEP package that cannot be prepared, with the reason code and the administrator's fix. */
    public static class ScepPackagingException extends RuntimeException {

        private final String reasonCode;

        ScepPackagingException(String reasonCode, String detail) {
            super(detail);
            this.reasonCode = reasonCode;
        }

        public String reasonCode() {
            return reasonCode;
        }
    }

    /** The user and device values a profile's templates may use. */
    public record Subject(String userId, String userPrincipalName, String email, String deviceId) {
    }

    private final IssuingCaLoader caLoader;
    private final ScepChallenges challenges;
    private final ScepConfig config;

    public ScepPackaging(IssuingCaLoader caLoader, ScepChallenges challenges, ScepConfig config) {
        this.caLoader = caLoader;
        this.challenges = challenges;
        this.config = config;
    }

    /**
     * Returns the instructions for one device, with a new challenge stored in the caller's transaction.
     *
     * @throws ScepPackagingException when SCEP is not configured or the profile cannot be rendered
     */
    public ScepInstructions prepare(Subject subject, String policyId, int policyVersion, ScepProfileSnapshot profile,
            java.util.UUID packageId) {
        Optional<IssuingCa> ca = caLoader.ca();
        if (ca.isEmpty()) {
            throw new ScepPackagingException(SCEP_NOT_CONFIGURED, "The policy's signing certificates come from SCEP, but "
                    + "certificate-service has no SCEP issuing CA; set smime.scep.ca-certificate-file and "
                    + "smime.scep.ca-key-file, or smime.scep.ca-pkcs12-file");
        }
        if (profile == null) {
            throw new ScepPackagingException(SCEP_PROFILE_MISSING, "The policy's signing type is SCEP but it names no "
                    + "SCEP profile; edit the policy and choose one");
        }
        Map<SubjectVariable, String> values = values(subject);
        String renderedSubject;
        List<SubjectAltName> names = new ArrayList<>();
        try {
            renderedSubject = SubjectNameFormat.parse(profile.subjectNameFormat()).render(values);
            for (ScepProfileSnapshot.SubjectAlternativeName name : profile.subjectAlternativeNames()) {
                SanType type = SanType.valueOf(name.type());
                names.add(new SubjectAltName(type.name(), SanTemplate.parse(type, name.value()).render(values)));
            }
        } catch (IllegalArgumentException | io.smimedelivery.scep.TemplateSyntaxException e) {
            throw new ScepPackagingException(SCEP_TEMPLATE_UNRESOLVED, "The subject or a subject alternative name of SCEP"
                    + " profile " + profile.profileId() + " cannot be filled in for device " + subject.deviceId() + ": "
                    + e.getMessage() + "; use only {{UserPrincipalName}}, {{EmailAddress}}, {{UserName}} and {{DeviceId}},"
                    + " which this service knows for every device");
        }
        ChallengeSpec spec = new ChallengeSpec(subject.deviceId(), subject.userId(), policyId, policyVersion,
                profile.profileId(), renderedSubject, names, profile.keySize(), profile.keyUsages(),
                profile.extendedKeyUsages(), profile.validityMonths(), profile.renewalThresholdPercent());
        String challenge = challenges.create(spec, packageId);
        return new ScepInstructions(config.url(), challenge, config.challengeLifetime().toSeconds(), renderedSubject,
                names, profile.keySize(), profile.keyUsages(), profile.extendedKeyUsages(), profile.validityMonths(),
                profile.renewalThresholdPercent(), CertificateEncoding.thumbprint(ca.get().certificate()));
    }

    /** Serial number and device name are not known to this service, so templates that use them fail to render. */
    private static Map<SubjectVariable, String> values(Subject subject) {
        Map<SubjectVariable, String> values = new EnumMap<>(SubjectVariable.class);
        values.put(SubjectVariable.USER_PRINCIPAL_NAME, subject.userPrincipalName());
        values.put(SubjectVariable.EMAIL_ADDRESS, subject.email());
        String upn = subject.userPrincipalName();
        values.put(SubjectVariable.USER_NAME, upn.contains("@") ? upn.substring(0, upn.indexOf('@')).toLowerCase(Locale.ROOT)
                : upn);
        values.put(SubjectVariable.DEVICE_ID, subject.deviceId());
        return values;
    }
}
