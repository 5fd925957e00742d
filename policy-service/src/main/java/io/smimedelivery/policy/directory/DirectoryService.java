package io.smimedelivery.policy.directory;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.smimedelivery.common.problem.FieldError;
import io.smimedelivery.common.problem.ProblemException;
import io.smimedelivery.policy.assignment.AssignmentJobs;
import io.smimedelivery.policy.assignment.AssignmentReconciler;
import io.smimedelivery.policy.entity.DirectoryGroup;
import io.smimedelivery.policy.entity.DirectoryUser;

/**
 * Directory changes with their consequences: a changed user or membership is reconciled at once with
 * every policy that reaches the user, and a deleted group queues a job for each policy assigned to it.
 */
@ApplicationScoped
public class DirectoryService {

    /** Trigger of reconciliations caused by a new membership or changed contact data. */
    public static final String USER_CHANGED = "USER_CHANGED";

    private static final Logger LOG = Logger.getLogger(DirectoryService.class);
    /** The same maximum as a user's display name. */
    private static final int MAX_GROUP_NAME_LENGTH = 256;
    private static final int MAX_GROUP_DESCRIPTION_LENGTH = 1000;

    private final Directory directory;
    private final AssignmentReconciler reconciler;
    private final AssignmentJobs jobs;
    private final EntityManager entityManager;

    public DirectoryService(Directory directory, AssignmentReconciler reconciler, AssignmentJobs jobs,
            EntityManager entityManager) {
        this.directory = directory;
        this.reconciler = reconciler;
        this.jobs = jobs;
        this.entityManager = entityManager;
    }

    /**
     * Validates and stores a user. Returns the change, or the problems when the user is invalid; a
     * rejected user changes nothing.
     */
    @Transactional
    public UpsertResult upsertUser(UserData user) {
        List<FieldError> errors = DirectoryValidation.validateUser(user);
        if (errors.isEmpty()) {
            Optional<DirectoryUser> sameName = directory.findUserByPrincipalName(user.userPrincipalName());
            if (sameName.isPresent() && !sameName.get().id.equals(user.id())) {
                errors = List.of(new FieldError("userPrincipalName", user.userPrincipalName(),
                        "is already the principal name of user " + sameName.get().id + "; use that id to update the user"));
            }
        }
        if (!errors.isEmpty()) {
            return new UpsertResult(null, errors);
        }
        Directory.Change change = directory.upsertUser(user);
        if (change == Directory.Change.UPDATED) {
            reconciler.reconcileUser(user.id(), USER_CHANGED);
        }
        return new UpsertResult(change, List.of());
    }

    @Transactional
    public void deleteUser(String id) {
        if (!directory.deleteUser(id)) {
            throw ProblemException.notFound("User", id);
        }
        AssignmentReconciler.Outcome outcome = reconciler.reconcileUser(id, AssignmentReconciler.USER_DELETED);
        LOG.infof("Deleted user %s; %d policy assignments removed", id, outcome.unassigned());
    }

    @Transactional
    public Directory.Change upsertGroup(String id, String displayName, String description) {
        List<FieldError> errors = new java.util.ArrayList<>();
        DirectoryValidation.checkId(errors, "id", id);
        if (displayName == null || displayName.isBlank()) {
            errors.add(new FieldError("displayName", null, "is required; give the group a name"));
        } else if (displayName.length() > MAX_GROUP_NAME_LENGTH) {
            errors.add(new FieldError("displayName", displayName.substring(0, 40) + "...", "has " + displayName.length()
                    + " characters; shorten it to at most " + MAX_GROUP_NAME_LENGTH));
        }
        if (description != null && description.length() > MAX_GROUP_DESCRIPTION_LENGTH) {
            errors.add(new FieldError("description", description.substring(0, 40) + "...", "has " + description.length()
                    + " characters; shorten it to at most " + MAX_GROUP_DESCRIPTION_LENGTH));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalidFields("invalid-request", "Invalid group", errors);
        }
        return directory.upsertGroup(id, displayName, description);
    }

    /** Deletes a group; each policy assigned to it gets a job that unassigns its former members. */
    @Transactional
    public void deleteGroup(String id) {
        if (directory.findGroup(id).isEmpty()) {
            throw ProblemException.notFound("Group", id);
        }
        @SuppressWarnings("unchecked")
        List<UUID> policies = entityManager.createNativeQuery(
                "SELECT policy_id FROM policy_group_assignment WHERE group_id = ?1", UUID.class)
                .setParameter(1, id).getResultList();
        directory.deleteGroup(id);
        entityManager.flush();
        for (UUID policyId : policies) {
            jobs.enqueue(policyId, "GROUP_DELETED");
        }
    }

    /** Adds a member and assigns the policies the group brings. Returns false when already a member. */
    @Transactional
    public boolean addMember(String groupId, String userId) {
        requireGroup(groupId);
        requireUser(userId);
        boolean added = directory.addMember(groupId, userId);
        if (added) {
            reconciler.reconcileUser(userId, USER_CHANGED);
        }
        return added;
    }

    /** Removes a member and unassigns the policies only that group brought. Returns false when not a member. */
    @Transactional
    public boolean removeMember(String groupId, String userId) {
        requireGroup(groupId);
        boolean removed = directory.removeMember(groupId, userId);
        if (removed) {
            reconciler.reconcileUser(userId, AssignmentReconciler.USER_LEFT_GROUP);
        }
        return removed;
    }

    public DirectoryGroup requireGroup(String groupId) {
        return directory.findGroup(groupId).orElseThrow(() -> ProblemException.notFound("Group", groupId));
    }

    public DirectoryUser requireUser(String userId) {
        return directory.findUser(userId).orElseThrow(() -> ProblemException.notFound("User", userId));
    }

    /** A stored user's change, or the problems that stopped it. */
    public record UpsertResult(Directory.Change change, List<FieldError> errors) {
    }
}
