package io.smimedelivery.device.status;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import io.smimedelivery.common.jdbc.Sql;
import io.smimedelivery.events.EventJson;
import io.smimedelivery.events.PolicyAssigned;

/** Users' contact data and the policy versions that apply to them, from PolicyAssigned and PolicyUnassigned. */
@ApplicationScoped
public class UserPolicies {

    /** A policy version that applies to a user, and when it took effect. */
    public record Assignment(String policyId, int policyVersion, Instant assignedAt) {
    }

    /** A device of a user, with what decides whether it receives packages. */
    public record UserDevice(String deviceId, String platform, boolean managed, Instant retiredAt) {
    }

    /** Advisory lock space of the per-user locks. */
    private static final int USER_LOCK_SPACE = 8401;

    private final Sql sql;

    public UserPolicies(DataSource dataSource) {
        this.sql = new Sql(dataSource, "User policy table");
    }

    /**
     * Takes a lock on the user until the transaction ends, so that the events of one user, which arrive on
     * several topics, are applied one after the other and each reads what the others committed.
     */
    public void lockUser(String userId) {
        sql.lockUntilTransactionEnds(USER_LOCK_SPACE, userId);
    }

    /** Takes the per-user locks of {@link #lockUser} on all of {@code userIds}, in one fixed order. */
    public void lockUsers(Collection<String> userIds) {
        sql.lockAllUntilTransactionEnds(USER_LOCK_SPACE, userIds);
    }

    public void assign(PolicyAssigned event) {
        sql.update("""
                INSERT INTO user_contact (user_id, user_principal_name, email, preferred_language) VALUES (?, ?, ?, ?)
                ON CONFLICT (user_id) DO UPDATE SET user_principal_name = EXCLUDED.user_principal_name,
                    email = EXCLUDED.email, preferred_language = EXCLUDED.preferred_language, updated_at = now()
                """, event.userId(), event.userPrincipalName(), event.email(), event.preferredLanguage());
        sql.update("""
                INSERT INTO user_policy (user_id, policy_id, policy_version, policy_name, settings, assigned_at)
                VALUES (?, ?, ?, ?, ?::jsonb, ?)
                ON CONFLICT (user_id, policy_id) DO UPDATE SET policy_version = EXCLUDED.policy_version,
                    policy_name = EXCLUDED.policy_name, settings = EXCLUDED.settings, assigned_at = EXCLUDED.assigned_at
                WHERE user_policy.policy_version <= EXCLUDED.policy_version
                """, event.userId(), event.policyId(), event.policyVersion(), event.policyName(),
                new String(EventJson.toBytes(event.settings()), StandardCharsets.UTF_8), Timestamp.from(event.assignedAt()));
    }

    public void unassign(String userId, String policyId, int policyVersion) {
        sql.update("DELETE FROM user_policy WHERE user_id = ? AND policy_id = ? AND policy_version <= ?", userId, policyId,
                policyVersion);
    }

    public List<Assignment> assignmentsOf(String userId) {
        return sql.query("SELECT policy_id, policy_version, assigned_at FROM user_policy WHERE user_id = ?",
                result -> new Assignment(result.getString(1), result.getInt(2), Sql.instant(result, 3)), userId);
    }

    public List<UserDevice> devicesOf(String userId) {
        return sql.query("SELECT device_id, platform, management_state, retired_at FROM device WHERE user_id = ?",
                result -> new UserDevice(result.getString(1), result.getString(2), "MANAGED".equals(result.getString(3)),
                        Sql.instant(result, 4)), userId);
    }
}
