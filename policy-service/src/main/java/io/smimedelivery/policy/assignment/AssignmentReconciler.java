package io.smimedelivery.policy.assignment;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.smimedelivery.common.outbox.Outbox;
import io.smimedelivery.events.PolicyAssigned;
import io.smimedelivery.events.PolicySettings;
import io.smimedelivery.events.PolicyUnassigned;
import io.smimedelivery.policy.entity.SmimePolicy;
import io.smimedelivery.policy.entity.SmimePolicyVersion;

/**
 * Brings what users have been sent for a policy in line with who should have it. A user should have a
 * policy when it is not deleted, the user exists, is in at least one INCLUDE group and in no EXCLUDE
 * group. For each user it compares that with user_policy_assignment and writes PolicyAssigned (new
 * user, new version, or changed contact data) or PolicyUnassigned to the outbox, in the caller's
 * transaction. Running it twice changes nothing the second time.
 */
@ApplicationScoped
public class AssignmentReconciler {

    /** Counts of one reconciliation. */
    public record Outcome(int assigned, int unassigned) {
        Outcome plus(Outcome other) {
            return new Outcome(assigned + other.assigned, unassigned + other.unassigned);
        }
    }

    /** Reasons of PolicyUnassigned. */
    public static final String POLICY_UNASSIGNED = "POLICY_UNASSIGNED";
    public static final String USER_LEFT_GROUP = "USER_LEFT_GROUP";
    public static final String USER_EXCLUDED = "USER_EXCLUDED";
    public static final String POLICY_DELETED = "POLICY_DELETED";
    public static final String USER_DELETED = "USER_DELETED";

    private static final Logger LOG = Logger.getLogger(AssignmentReconciler.class);
    private static final String STATE = """
            SELECT c.user_id, u.user_principal_name, u.email, u.preferred_language,
                   EXISTS (SELECT 1 FROM group_member gm JOIN policy_group_assignment a ON a.group_id = gm.group_id
                           WHERE a.policy_id = ? AND a.mode = 'INCLUDE' AND gm.user_id = c.user_id) AS included,
                   EXISTS (SELECT 1 FROM group_member gm JOIN policy_group_assignment a ON a.group_id = gm.group_id
                           WHERE a.policy_id = ? AND a.mode = 'EXCLUDE' AND gm.user_id = c.user_id) AS excluded,
                   upa.assigned_version, upa.contact_hash
            FROM unnest(?::text[]) AS c(user_id)
            LEFT JOIN directory_user u ON u.id = c.user_id
            LEFT JOIN user_policy_assignment upa ON upa.policy_id = ? AND upa.user_id = c.user_id
            ORDER BY c.user_id
            """;
    private static final String UPSERT = """
            INSERT INTO user_policy_assignment (policy_id, user_id, assigned_version, contact_hash, assigned_at)
            VALUES (?, ?, ?, ?, now())
            ON CONFLICT (policy_id, user_id) DO UPDATE
            SET assigned_version = EXCLUDED.assigned_version, contact_hash = EXCLUDED.contact_hash, assigned_at = now()
            """;

    private final DataSource dataSource;
    private final EntityManager entityManager;
    private final Outbox outbox;
    private final SettingsSnapshots snapshots;

    public AssignmentReconciler(DataSource dataSource, EntityManager entityManager, Outbox outbox,
            SettingsSnapshots snapshots) {
        this.dataSource = dataSource;
        this.entityManager = entityManager;
        this.outbox = outbox;
        this.snapshots = snapshots;
    }

    /**
     * Reconciles {@code userIds} for one policy.
     *
     * @param trigger what changed: an unassignment caused by a membership change is USER_LEFT_GROUP,
     *                otherwise POLICY_UNASSIGNED, unless the policy or user is gone or the user excluded
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Outcome reconcile(UUID policyId, List<String> userIds, String trigger) {
        if (userIds.isEmpty()) {
            return new Outcome(0, 0);
        }
        entityManager.flush();
        SmimePolicy policy = SmimePolicy.findById(policyId);
        if (policy == null) {
            throw new IllegalArgumentException("Policy " + policyId + " not found");
        }
        boolean deleted = policy.deletedAt != null;
        SmimePolicyVersion version = SmimePolicyVersion.findById(new SmimePolicyVersion.Key(policyId, policy.currentVersion));
        PolicySettings settings = deleted ? null : snapshots.snapshot(snapshots.document(version));

        int assigned = 0;
        int unassigned = 0;
        Instant now = Instant.now();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement state = connection.prepareStatement(STATE);
                PreparedStatement upsert = connection.prepareStatement(UPSERT);
                PreparedStatement delete = connection.prepareStatement(
                        "DELETE FROM user_policy_assignment WHERE policy_id = ? AND user_id = ?")) {
            state.setObject(1, policyId);
            state.setObject(2, policyId);
            state.setArray(3, connection.createArrayOf("text", userIds.toArray()));
            state.setObject(4, policyId);
            List<UserState> rows = new ArrayList<>();
            try (ResultSet result = state.executeQuery()) {
                while (result.next()) {
                    rows.add(new UserState(result.getString(1), result.getString(2), result.getString(3),
                            result.getString(4), result.getBoolean(5), result.getBoolean(6),
                            (Integer) result.getObject(7), result.getString(8)));
                }
            }

            for (UserState row : rows) {
                boolean exists = row.userPrincipalName() != null;
                boolean shouldHave = !deleted && exists && row.included() && !row.excluded();
                if (shouldHave) {
                    String hash = contactHash(row);
                    if (row.assignedVersion() == null || row.assignedVersion() != policy.currentVersion
                            || !hash.equals(row.contactHash())) {
                        outbox.add(new PolicyAssigned(policyId.toString(), policy.currentVersion, policy.name, settings,
                                row.userId(), row.userPrincipalName(), row.email(), row.preferredLanguage(), now));
                        upsert.setObject(1, policyId);
                        upsert.setString(2, row.userId());
                        upsert.setInt(3, policy.currentVersion);
                        upsert.setString(4, hash);
                        upsert.addBatch();
                        assigned++;
                    }
                } else if (row.assignedVersion() != null) {
                    String reason = deleted ? POLICY_DELETED
                            : !exists ? USER_DELETED
                            : row.excluded() ? USER_EXCLUDED
                            : USER_LEFT_GROUP.equals(trigger) ? USER_LEFT_GROUP : POLICY_UNASSIGNED;
                    outbox.add(new PolicyUnassigned(policyId.toString(), row.assignedVersion(), row.userId(), reason, now));
                    delete.setObject(1, policyId);
                    delete.setString(2, row.userId());
                    delete.addBatch();
                    unassigned++;
                }
            }
            upsert.executeBatch();
            delete.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to reconcile " + userIds.size() + " users of policy " + policyId, e);
        }
        if (assigned + unassigned > 0) {
            LOG.debugf("Policy %s: %d assigned, %d unassigned of %d users (%s)", policyId, assigned, unassigned,
                    userIds.size(), trigger);
        }
        return new Outcome(assigned, unassigned);
    }

    /** Reconciles one user for every policy that reaches or reached them, after a change of the user or their groups. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Outcome reconcileUser(String userId, String trigger) {
        entityManager.flush();
        List<UUID> policies = new ArrayList<>();
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement("""
                SELECT policy_id FROM user_policy_assignment WHERE user_id = ?
                UNION
                SELECT a.policy_id FROM policy_group_assignment a JOIN group_member gm ON gm.group_id = a.group_id
                WHERE gm.user_id = ?
                """)) {
            query.setString(1, userId);
            query.setString(2, userId);
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    policies.add(result.getObject(1, UUID.class));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to find the policies of user " + userId, e);
        }
        Outcome total = new Outcome(0, 0);
        for (UUID policyId : policies) {
            total = total.plus(reconcile(policyId, List.of(userId), trigger));
        }
        return total;
    }

    private static String contactHash(UserState row) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            String contact = row.userPrincipalName() + "\n" + row.email() + "\n" + row.preferredLanguage();
            return HexFormat.of().formatHex(digest.digest(contact.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private record UserState(String userId, String userPrincipalName, String email, String preferredLanguage,
            boolean included, boolean excluded, Integer assignedVersion, String contactHash) {
    }
}
