package io.smimedelivery.policy.policy;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smimedelivery.common.problem.FieldError;
import io.smimedelivery.common.problem.ProblemException;
import io.smimedelivery.policy.assignment.AssignmentJobs;
import io.smimedelivery.policy.entity.AssignmentJob;
import io.smimedelivery.policy.entity.ScepProfile;
import io.smimedelivery.policy.entity.SmimePolicy;
import io.smimedelivery.policy.entity.SmimePolicyVersion;
import io.smimedelivery.policy.entity.TrustedRootProfile;

/** Creates, versions and deletes Outlook S/MIME policies. Every edit that changes settings adds a version. */
@ApplicationScoped
public class PolicyService {

    private static final Logger LOG = Logger.getLogger(PolicyService.class);

    private final ObjectMapper mapper;
    private final AssignmentJobs jobs;

    public PolicyService(ObjectMapper mapper, AssignmentJobs jobs) {
        this.mapper = mapper;
        this.jobs = jobs;
    }

    @Transactional
    public PolicyResponse create(PolicyRequest request) {
        PolicyDocument document = validate(request);
        Instant now = Instant.now();
        SmimePolicy policy = new SmimePolicy();
        policy.id = UUID.randomUUID();
        policy.name = request.name().trim();
        policy.description = request.description();
        policy.currentVersion = 1;
        policy.createdAt = now;
        policy.updatedAt = now;
        policy.persist();
        saveVersion(policy, document, now);
        LOG.infof("Created policy %s (%s)", policy.id, policy.name);
        return response(policy, document);
    }

    /**
     * Replaces a policy's settings with a new version and queues a job that sends it to the assigned
     * users. An edit that changes only the name or description keeps the version.
     */
    @Transactional
    public PolicyResponse update(UUID id, PolicyRequest request) {
        SmimePolicy policy = require(id);
        PolicyDocument document = validate(request);
        PolicyDocument current = document(policy.id, policy.currentVersion);
        Instant now = Instant.now();
        policy.name = request.name().trim();
        policy.description = request.description();
        policy.updatedAt = now;
        if (!document.equals(current)) {
            policy.currentVersion++;
            saveVersion(policy, document, now);
            jobs.enqueue(policy.id, "POLICY_EDITED");
            LOG.infof("Policy %s is now at version %d", policy.id, policy.currentVersion);
        }
        return response(policy, document);
    }

    /** Marks a policy deleted; its job sends PolicyUnassigned to every user who had it. */
    @Transactional
    public AssignmentJob delete(UUID id) {
        SmimePolicy policy = require(id);
        policy.deletedAt = Instant.now();
        LOG.infof("Deleted policy %s (%s)", policy.id, policy.name);
        return jobs.enqueue(policy.id, "POLICY_DELETED");
    }

    public PolicyResponse get(UUID id) {
        SmimePolicy policy = require(id);
        return response(policy, document(policy.id, policy.currentVersion));
    }

    public PolicyDocument version(UUID id, int version) {
        require(id);
        SmimePolicyVersion stored = SmimePolicyVersion.findById(new SmimePolicyVersion.Key(id, version));
        if (stored == null) {
            throw ProblemException.notFound("Version " + version + " of policy", id.toString());
        }
        return read(stored.settings);
    }

    public List<PolicyResponse> list() {
        List<SmimePolicy> policies = SmimePolicy.list("deletedAt is null order by createdAt");
        return policies.stream().map(policy -> response(policy, document(policy.id, policy.currentVersion))).toList();
    }

    /** Returns a policy that exists and is not deleted, or raises a 404 problem. */
    public SmimePolicy require(UUID id) {
        SmimePolicy policy = SmimePolicy.findById(id);
        if (policy == null || policy.deletedAt != null) {
            throw ProblemException.notFound("Policy", id.toString());
        }
        return policy;
    }

    public PolicyDocument document(UUID policyId, int version) {
        SmimePolicyVersion stored = SmimePolicyVersion.findById(new SmimePolicyVersion.Key(policyId, version));
        return read(stored.settings);
    }

    private PolicyDocument validate(PolicyRequest request) {
        if (request == null) {
            throw new ProblemException(Response.Status.BAD_REQUEST, "invalid-request", "Invalid request",
                    "The request body is missing; send the policy as JSON", List.of(new FieldError("body", null, "is required")));
        }
        PolicyValidator.Result result = PolicyValidator.validate(request,
                id -> ScepProfile.findById(id) != null, id -> TrustedRootProfile.findById(id) != null);
        if (!result.valid()) {
            throw ProblemException.invalidFields("invalid-policy", "Invalid policy", result.errors());
        }
        return result.document();
    }

    private void saveVersion(SmimePolicy policy, PolicyDocument document, Instant now) {
        SmimePolicyVersion version = new SmimePolicyVersion();
        version.policyId = policy.id;
        version.version = policy.currentVersion;
        version.createdAt = now;
        try {
            version.settings = mapper.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Failed to write the settings of policy " + policy.id, e);
        }
        version.persist();
    }

    private PolicyDocument read(String json) {
        try {
            return mapper.readValue(json, PolicyDocument.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored policy settings are unreadable", e);
        }
    }

    private static PolicyResponse response(SmimePolicy policy, PolicyDocument document) {
        return new PolicyResponse(policy.id, policy.name, policy.description, policy.currentVersion, policy.createdAt,
                policy.updatedAt, document);
    }
}
