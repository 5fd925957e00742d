package io.smimedelivery.policy.profile;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smimedelivery.common.problem.FieldError;
import io.smimedelivery.common.problem.ProblemException;
import io.smimedelivery.policy.entity.ScepProfile;
import io.smimedelivery.policy.entity.TrustedRootProfile;
import io.smimedelivery.policy.scep.ScepProfileSpec;
import io.smimedelivery.policy.scep.ScepProfileValidator;
import io.smimedelivery.policy.trust.CaCertificate;
import io.smimedelivery.policy.trust.CaCertificateParser;
import io.smimedelivery.policy.trust.InvalidCertificateException;

/** Trusted root profiles and SCEP profiles. */
@ApplicationScoped
public class ProfileService {

    private static final Logger LOG = Logger.getLogger(ProfileService.class);
    private static final int MAX_TRUSTED_ROOT_NAME_LENGTH = 200;

    private final EntityManager entityManager;
    private final ObjectMapper mapper;

    public ProfileService(EntityManager entityManager, ObjectMapper mapper) {
        this.entityManager = entityManager;
        this.mapper = mapper;
    }

    /** Stores an uploaded CA certificate (PEM or DER) as a trusted root profile. */
    @Transactional
    public TrustedRootProfile createTrustedRoot(String name, byte[] upload) {
        if (name == null || name.isBlank()) {
            throw ProblemException.invalidField("name", null, "is required; name the profile, such as Contoso Root CA,"
                    + " in the name query parameter of a file upload or the name field of a JSON request");
        }
        if (name.length() > MAX_TRUSTED_ROOT_NAME_LENGTH) {
            throw ProblemException.invalidField("name", name.substring(0, 40) + "...", "has " + name.length()
                    + " characters; shorten it to at most " + MAX_TRUSTED_ROOT_NAME_LENGTH);
        }

        CaCertificate certificate;
        try {
            certificate = CaCertificateParser.parse(upload);
        } catch (InvalidCertificateException e) {
            LOG.infof("Rejected a trusted root upload for %s: %s", name, e.reasonCode());
            throw new ProblemException(Response.Status.BAD_REQUEST, "invalid-certificate", "Invalid CA certificate",
                    e.getMessage(), List.of(new FieldError("certificate", null, e.reasonCode() + ": " + e.getMessage())));
        }

        TrustedRootProfile existing = TrustedRootProfile.find("thumbprintSha256", certificate.thumbprintSha256()).firstResult();
        if (existing != null) {
            throw new ProblemException(Response.Status.CONFLICT, "duplicate-certificate", "Certificate already uploaded",
                    "Trusted root profile " + existing.id + " (" + existing.name + ") already holds the certificate with"
                            + " SHA-256 thumbprint " + certificate.thumbprintSha256() + "; use that profile",
                    List.of());
        }

        TrustedRootProfile profile = new TrustedRootProfile();
        profile.id = UUID.randomUUID();
        profile.name = name.trim();
        profile.subjectDn = certificate.subjectDn();
        profile.issuerDn = certificate.issuerDn();
        profile.serialNumberHex = certificate.serialNumberHex();
        profile.thumbprintSha256 = certificate.thumbprintSha256();
        profile.notBefore = certificate.notBefore();
        profile.notAfter = certificate.notAfter();
        profile.certificatePem = certificate.pem();
        profile.createdAt = Instant.now();
        profile.persist();

        if (certificate.notAfter().isBefore(Instant.now())) {
            LOG.warnf("Trusted root profile %s holds an expired certificate: %s, thumbprint %s, expired %s", profile.id,
                    profile.subjectDn, profile.thumbprintSha256, profile.notAfter);
        }
        LOG.infof("Created trusted root profile %s: %s, thumbprint %s", profile.id, profile.subjectDn, profile.thumbprintSha256);
        return profile;
    }

    public TrustedRootProfile trustedRoot(UUID id) {
        TrustedRootProfile profile = TrustedRootProfile.findById(id);
        if (profile == null) {
            throw ProblemException.notFound("Trusted root profile", id.toString());
        }
        return profile;
    }

    /** Deletes a trusted root profile that no policy version in use and no SCEP profile references. */
    @Transactional
    public void deleteTrustedRoot(UUID id) {
        trustedRoot(id);
        long policies = ((Number) entityManager.createNativeQuery("""
                SELECT count(*) FROM smime_policy p JOIN smime_policy_version v
                  ON v.policy_id = p.id AND v.version = p.current_version
                WHERE p.deleted_at IS NULL AND jsonb_exists(v.settings -> 'trustedRootProfileIds', ?1)
                """).setParameter(1, id.toString()).getSingleResult()).longValue();
        long scepProfiles = ((Number) entityManager.createNativeQuery(
                "SELECT count(*) FROM scep_profile WHERE definition ->> 'rootProfileId' = ?1")
                .setParameter(1, id.toString()).getSingleResult()).longValue();
        if (policies + scepProfiles > 0) {
            throw new ProblemException(Response.Status.CONFLICT, "profile-in-use", "Profile in use",
                    "Trusted root profile " + id + " is in use (policies: " + policies + ", SCEP profiles: "
                            + scepProfiles + "); remove it from them first",
                    List.of());
        }
        TrustedRootProfile.deleteById(id);
    }

    /**
     * Validates and stores a SCEP profile; extended key usages are stored as OIDs.
     * NOTE: profiles cannot be edited, because a change would have to reach devices through a new
     * version of every policy that uses the profile. Create a new profile and edit the policy instead.
     */
    @Transactional
    public ScepProfile createScepProfile(ScepProfileSpec spec) {
        if (spec == null) {
            throw ProblemException.invalidField("body", null, "send the SCEP profile as JSON");
        }

        List<FieldError> errors = new ArrayList<>(ScepProfileValidator.validate(spec));
        if (errors.stream().noneMatch(error -> error.field().equals("rootProfileId"))) {
            UUID rootId = parseUuid(spec.rootProfileId());
            if (rootId == null || TrustedRootProfile.findById(rootId) == null) {
                errors.add(new FieldError("rootProfileId", spec.rootProfileId(),
                        "names no trusted root profile; upload the root CA certificate first and use its id"));
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalidFields("invalid-scep-profile", "Invalid SCEP profile", errors);
        }

        ScepProfileSpec normalized = new ScepProfileSpec(spec.name().trim(), "user", spec.subjectNameFormat(),
                spec.subjectAlternativeNames() == null ? List.of() : spec.subjectAlternativeNames(), spec.keySize(),
                spec.keyUsages(), spec.validityMonths(), ScepProfileValidator.normalizedExtendedKeyUsages(spec.extendedKeyUsages()),
                spec.renewalThresholdPercent(), spec.rootProfileId().trim());

        ScepProfile profile = new ScepProfile();
        profile.id = UUID.randomUUID();
        profile.name = normalized.name();
        try {
            profile.definition = mapper.writeValueAsString(normalized);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Failed to write SCEP profile " + profile.name, e);
        }
        profile.createdAt = Instant.now();
        profile.updatedAt = profile.createdAt;
        profile.persist();
        LOG.infof("Created SCEP profile %s (%s)", profile.id, profile.name);
        return profile;
    }

    public ScepProfile scepProfile(UUID id) {
        ScepProfile profile = ScepProfile.findById(id);
        if (profile == null) {
            throw ProblemException.notFound("SCEP profile", id.toString());
        }
        return profile;
    }

    public ScepProfileSpec definition(ScepProfile profile) {
        try {
            return mapper.readValue(profile.definition, ScepProfileSpec.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored SCEP profile " + profile.id + " is unreadable", e);
        }
    }

    /** Deletes a SCEP profile that no policy version in use references. */
    @Transactional
    public void deleteScepProfile(UUID id) {
        scepProfile(id);
        long policies = ((Number) entityManager.createNativeQuery("""
                SELECT count(*) FROM smime_policy p JOIN smime_policy_version v
                  ON v.policy_id = p.id AND v.version = p.current_version
                WHERE p.deleted_at IS NULL AND v.settings ->> 'scepProfileId' = ?1
                """).setParameter(1, id.toString()).getSingleResult()).longValue();
        if (policies > 0) {
            throw new ProblemException(Response.Status.CONFLICT, "profile-in-use", "Profile in use",
                    "SCEP profile " + id + " is in use (policies: " + policies + "); change their signing profile first",
                    List.of());
        }
        ScepProfile.deleteById(id);
    }


    private static UUID parseUuid(String value) {
        try {
            return value == null ? null : UUID.fromString(value.trim());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
