package io.smimedelivery.policy.assignment;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.smimedelivery.common.problem.ProblemException;
import io.smimedelivery.policy.directory.DirectoryService;
import io.smimedelivery.policy.entity.AssignmentJob;
import io.smimedelivery.policy.entity.SmimePolicy;
import io.smimedelivery.policy.policy.PolicyDocument;
import io.smimedelivery.policy.policy.PolicyService;

/** Group assignments of policies, the jobs they start, and what each user effectively receives. */
@ApplicationScoped
public class AssignmentService {

    /** INCLUDE gives the policy to the group's members; EXCLUDE keeps it from them even when another group includes them. */
    public enum Mode {
        INCLUDE, EXCLUDE
    }

    /** A group assignment of a policy. */
    public record GroupAssignment(UUID policyId, String groupId, Mode mode, Instant createdAt) {
    }

    /** A policy a user receives, and the version they were sent. */
    public record UserPolicy(UUID policyId, String policyName, int version, Instant assignedAt) {
    }

    /** A setting that two or more of a user's policies set to different values. */
    public record Conflict(String setting, Map<UUID, Object> valuesByPolicy) {
    }

    /** A user's policies and the conflicts between them. */
    public record UserAssignments(String userId, List<UserPolicy> policies, List<Conflict> conflicts) {
    }

    private final EntityManager entityManager;
    private final PolicyService policies;
    private final DirectoryService directory;
    private final AssignmentJobs jobs;

    public AssignmentService(EntityManager entityManager, PolicyService policies, DirectoryService directory,
            AssignmentJobs jobs) {
        this.entityManager = entityManager;
        this.policies = policies;
        this.directory = directory;
        this.jobs = jobs;
    }

    /** Assigns a group in {@code mode} (replacing an earlier mode for the same group) and queues the fan-out. */
    @Transactional
    public AssignmentJob assign(UUID policyId, String groupId, String modeText) {
        policies.require(policyId);
        directory.requireGroup(groupId);
        Mode mode = parseMode(modeText);
        entityManager.createNativeQuery("""
                INSERT INTO policy_group_assignment (policy_id, group_id, mode) VALUES (?1, ?2, ?3)
                ON CONFLICT (policy_id, group_id) DO UPDATE SET mode = EXCLUDED.mode
                """).setParameter(1, policyId).setParameter(2, groupId).setParameter(3, mode.name()).executeUpdate();
        return jobs.enqueue(policyId, mode == Mode.INCLUDE ? "GROUP_INCLUDED" : "GROUP_EXCLUDED");
    }

    /** Removes a group assignment and queues the fan-out that unassigns users no other group includes. */
    @Transactional
    public AssignmentJob unassign(UUID policyId, String groupId) {
        policies.require(policyId);
        int removed = entityManager.createNativeQuery(
                "DELETE FROM policy_group_assignment WHERE policy_id = ?1 AND group_id = ?2")
                .setParameter(1, policyId).setParameter(2, groupId).executeUpdate();
        if (removed == 0) {
            throw ProblemException.notFound("Assignment of group " + groupId + " to policy", policyId.toString());
        }
        return jobs.enqueue(policyId, "GROUP_UNASSIGNED");
    }

    @SuppressWarnings("unchecked")
    public List<GroupAssignment> assignments(UUID policyId) {
        policies.require(policyId);
        List<Object[]> rows = entityManager.createNativeQuery(
                "SELECT group_id, mode, created_at FROM policy_group_assignment WHERE policy_id = ?1 ORDER BY group_id")
                .setParameter(1, policyId).getResultList();
        List<GroupAssignment> result = new ArrayList<>();
        for (Object[] row : rows) {
            result.add(new GroupAssignment(policyId, (String) row[0], Mode.valueOf((String) row[1]), toInstant(row[2])));
        }
        return result;
    }

    /** Lists what a user receives and which settings their policies disagree on. */
    @SuppressWarnings("unchecked")
    public UserAssignments userAssignments(String userId) {
        directory.requireUser(userId);
        List<Object[]> rows = entityManager.createNativeQuery("""
                SELECT upa.policy_id, p.name, upa.assigned_version, upa.assigned_at
                FROM user_policy_assignment upa JOIN smime_policy p ON p.id = upa.policy_id
                WHERE upa.user_id = ?1 ORDER BY p.created_at
                """).setParameter(1, userId).getResultList();
        List<UserPolicy> received = new ArrayList<>();
        Map<UUID, PolicyDocument> documents = new LinkedHashMap<>();
        for (Object[] row : rows) {
            UUID policyId = (UUID) row[0];
            int version = ((Number) row[2]).intValue();
            received.add(new UserPolicy(policyId, (String) row[1], version, toInstant(row[3])));
            documents.put(policyId, policies.document(policyId, version));
        }
        return new UserAssignments(userId, received, conflicts(documents));
    }

    public AssignmentJob job(UUID id) {
        AssignmentJob job = AssignmentJob.findById(id);
        if (job == null) {
            throw ProblemException.notFound("Assignment job", id.toString());
        }
        return job;
    }

    public List<AssignmentJob> jobs(UUID policyId) {
        return AssignmentJob.list("policyId = ?1 order by createdAt desc", policyId);
    }

    /** Compares every Outlook setting across the policies; a setting with more than one value is a conflict. */
    static List<Conflict> conflicts(Map<UUID, PolicyDocument> documents) {
        List<Conflict> conflicts = new ArrayList<>();
        if (documents.size() < 2) {
            return conflicts;
        }
        Map<String, java.util.function.Function<PolicyDocument, Object>> settings = new LinkedHashMap<>();
        settings.put("smimeEnabled", PolicyDocument::smimeEnabled);
        settings.put("smimeUserChangeAllowed", PolicyDocument::smimeUserChangeAllowed);
        settings.put("deployCertificates", PolicyDocument::deployCertificates);
        settings.put("signingCertificateProfileType", PolicyDocument::signingCertificateProfileType);
        settings.put("scepProfileId", PolicyDocument::scepProfileId);
        settings.put("encryptionCertificateProfileType", PolicyDocument::encryptionCertificateProfileType);
        settings.put("endUserNotification", PolicyDocument::endUserNotification);
        settings.put("encryptAllMail", PolicyDocument::encryptAllMail);
        settings.put("encryptAllMailUserChangeAllowed", PolicyDocument::encryptAllMailUserChangeAllowed);
        settings.put("signAllMail", PolicyDocument::signAllMail);
        settings.put("signAllMailUserChangeAllowed", PolicyDocument::signAllMailUserChangeAllowed);
        settings.put("ldapHostName", PolicyDocument::ldapHostName);
        for (Map.Entry<String, java.util.function.Function<PolicyDocument, Object>> setting : settings.entrySet()) {
            Map<UUID, Object> values = new LinkedHashMap<>();
            documents.forEach((policyId, document) -> values.put(policyId, setting.getValue().apply(document)));
            if (values.values().stream().map(value -> Objects.toString(value, "")).distinct().count() > 1) {
                conflicts.add(new Conflict(setting.getKey(), values));
            }
        }
        return conflicts;
    }

    private static Mode parseMode(String text) {
        if (text == null || text.isBlank()) {
            throw ProblemException.invalidField("mode", null, "is required; send {\"mode\": \"INCLUDE\"} or {\"mode\": \"EXCLUDE\"}");
        }
        try {
            return Mode.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalidField("mode", text, "use INCLUDE or EXCLUDE");
        }
    }

    private static Instant toInstant(Object value) {
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof java.sql.Timestamp timestamp) {
            return timestamp.toInstant();
        }
        if (value instanceof java.time.OffsetDateTime offset) {
            return offset.toInstant();
        }
        return null;
    }

}
