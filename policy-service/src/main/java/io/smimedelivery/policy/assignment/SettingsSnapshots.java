package io.smimedelivery.policy.assignment;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smimedelivery.events.PolicySettings;
import io.smimedelivery.events.ScepProfileSnapshot;
import io.smimedelivery.events.TrustedRoot;
import io.smimedelivery.policy.entity.ScepProfile;
import io.smimedelivery.policy.entity.SmimePolicyVersion;
import io.smimedelivery.policy.entity.TrustedRootProfile;
import io.smimedelivery.policy.policy.PolicyDocument;

/** Builds the settings snapshot that PolicyAssigned carries, from a stored policy version and its profiles. */
@ApplicationScoped
public class SettingsSnapshots {

    private final ObjectMapper mapper;

    public SettingsSnapshots(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public PolicyDocument document(SmimePolicyVersion version) {
        try {
            return mapper.readValue(version.settings, PolicyDocument.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored settings of policy " + version.policyId + " version "
                    + version.version + " are unreadable", e);
        }
    }

    public PolicySettings snapshot(PolicyDocument document) {
        List<TrustedRoot> roots = new ArrayList<>();
        for (UUID id : document.trustedRootProfileIds()) {
            TrustedRootProfile root = TrustedRootProfile.findById(id);
            if (root != null) {
                roots.add(new TrustedRoot(root.id.toString(), root.thumbprintSha256, root.subjectDn, root.certificatePem));
            }
        }
        ScepProfileSnapshot scep = document.scepProfileId() == null ? null : scepSnapshot(document.scepProfileId());
        return new PolicySettings(document.smimeEnabled(), document.smimeUserChangeAllowed(),
                document.deployCertificates(), document.signingCertificateProfileType(),
                document.encryptionCertificateProfileType(), document.endUserNotification(), document.encryptAllMail(),
                document.encryptAllMailUserChangeAllowed(), document.signAllMail(),
                document.signAllMailUserChangeAllowed(), document.ldapHostName(), roots, scep);
    }

    private ScepProfileSnapshot scepSnapshot(UUID id) {
        ScepProfile profile = ScepProfile.findById(id);
        if (profile == null) {
            return null;
        }
        try {
            JsonNode definition = mapper.readTree(profile.definition);
            List<ScepProfileSnapshot.SubjectAlternativeName> sans = new ArrayList<>();
            definition.path("subjectAlternativeNames").forEach(san -> sans.add(
                    new ScepProfileSnapshot.SubjectAlternativeName(san.path("type").asText(), san.path("value").asText())));
            return new ScepProfileSnapshot(profile.id.toString(), definition.path("subjectNameFormat").asText(), sans,
                    definition.path("keySize").asInt(), texts(definition.path("keyUsages")),
                    definition.path("validityMonths").asInt(), texts(definition.path("extendedKeyUsages")),
                    definition.path("renewalThresholdPercent").asInt(), definition.path("rootProfileId").asText());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored SCEP profile " + id + " is unreadable", e);
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }
}
