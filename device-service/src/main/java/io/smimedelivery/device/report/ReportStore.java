package io.smimedelivery.device.report;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import io.smimedelivery.common.jdbc.Sql;
import io.smimedelivery.events.Nullable;

/**
 * SQL queries behind the reports, in the caller's transaction. Every report reads the same row set, built
 * by {@link #reportRows}: one row per stored device_status of the scope, plus one row per device that is
 * not retired, belongs to a user who has the policy, and has no status for it. Rows are ordered by device
 * id in byte order (collation "C"), independent of the database's locale.
 */
@ApplicationScoped
public class ReportStore {

    /** The policy's summary figures that do not depend on devices. */
    public record PolicyInfo(long assignedUsers, @Nullable String policyName, @Nullable Integer policyVersion,
            boolean hasStatus) {
    }

    /** A policy the user has now, with its settings as JSON text. */
    public record UserPolicy(String policyId, int policyVersion, String policyName, String settingsJson) {
    }

    /** A user's contact data. */
    public record Contact(String userPrincipalName, String email) {
    }

    private static final String ROW_COLUMNS = "r.device_id, r.user_id, u.user_principal_name, u.email, r.platform,"
            + " r.model, r.intune_state, r.state, r.reason_code, r.detail, r.policy_version, r.updated_at";

    private final Sql sql;

    public ReportStore(DataSource dataSource) {
        this.sql = new Sql(dataSource, "Report");
    }

    /** Returns the number of users with the policy, the newest name and version, and whether any status exists. */
    public PolicyInfo policyInfo(String policyId) {
        return sql.query("""
                SELECT (SELECT count(*) FROM user_policy WHERE policy_id = ?),
                    (SELECT policy_name FROM user_policy WHERE policy_id = ? ORDER BY policy_version DESC, user_id LIMIT 1),
                    (SELECT max(policy_version) FROM user_policy WHERE policy_id = ?),
                    EXISTS (SELECT 1 FROM device_status WHERE policy_id = ?)
                """, r -> new PolicyInfo(r.getLong(1), r.getString(2), (Integer) r.getObject(3), r.getBoolean(4)),
                policyId, policyId, policyId, policyId).get(0);
    }

    /**
     * Counts the policy's rows per combination of report state, stored state (NONE when absent) and reason
     * code.
     */
    public List<StateCount> countStates(String policyId) {
        return sql.query(reportRows("policy_id") + """
                SELECT r.intune_state, COALESCE(r.state, 'NONE'), r.reason_code, count(*)
                FROM report r GROUP BY 1, 2, 3
                """, r -> new StateCount(IntuneState.valueOf(r.getString(1)), r.getString(2), r.getString(3), r.getLong(4)),
                policyId, policyId, policyId);
    }

    /** Number of rows with one combination of report state, stored state and reason code. */
    public record StateCount(IntuneState intuneState, String state, @Nullable String reasonCode, long rows) {
    }

    /** Aggregates state counts into a policy report. */
    public static PolicyReport summarize(String policyId, PolicyInfo info, List<StateCount> counts) {
        Map<IntuneState, Long> byIntuneState = new LinkedHashMap<>();
        Map<String, Long> byState = new LinkedHashMap<>();
        for (String state : ReportFilter.STORED_STATES) {
            byState.put(state, 0L);
        }
        byState.put(ReportFilter.NO_STATE, 0L);
        Map<String, Long> byReasonCode = new TreeMap<>();
        long total = 0;
        for (StateCount count : counts) {
            byIntuneState.merge(count.intuneState(), count.rows(), Long::sum);
            byState.merge(count.state(), count.rows(), Long::sum);
            if (count.reasonCode() != null) {
                byReasonCode.merge(count.reasonCode(), count.rows(), Long::sum);
            }
            total += count.rows();
        }
        PolicyReport.Counts totals = new PolicyReport.Counts(byIntuneState.getOrDefault(IntuneState.SUCCEEDED, 0L),
                byIntuneState.getOrDefault(IntuneState.PENDING, 0L), byIntuneState.getOrDefault(IntuneState.ERROR, 0L),
                byIntuneState.getOrDefault(IntuneState.CONFLICT, 0L),
                byIntuneState.getOrDefault(IntuneState.NOT_APPLICABLE, 0L),
                byIntuneState.getOrDefault(IntuneState.REMOVED, 0L), total);
        return new PolicyReport(policyId, info.policyName(), info.policyVersion(), info.assignedUsers(), totals, byState,
                byReasonCode);
    }

    /**
     * Returns one page of the policy's rows that match the filter, ordered by device id, with the number of
     * all matching rows. One statement reads both, so they come from the same snapshot.
     */
    public DevicePage devicePage(String policyId, ReportFilter filter, int limit, int offset) {
        List<Object> parameters = new ArrayList<>(List.of(policyId, policyId, policyId));
        String where = filterSql(filter, parameters);
        parameters.add(limit);
        parameters.add(offset);
        long[] total = { 0 };
        List<DeviceReportRow> rows = new ArrayList<>();
        sql.query(reportRows("policy_id") + ", filtered AS (SELECT " + ROW_COLUMNS
                + " FROM report r LEFT JOIN user_contact u ON u.user_id = r.user_id" + where + ")"
                + " SELECT (SELECT count(*) FROM filtered), page.* FROM (SELECT 1) AS one LEFT JOIN"
                + " (SELECT * FROM filtered ORDER BY device_id COLLATE \"C\" LIMIT ? OFFSET ?) AS page ON true"
                + " ORDER BY page.device_id COLLATE \"C\"", r -> {
                    total[0] = r.getLong(1);
                    if (r.getString(2) != null) {
                        rows.add(row(r, 2));
                    }
                    return null;
                }, parameters.toArray());
        return new DevicePage(total[0], limit, offset, rows);
    }

    /**
     * Returns up to {@code limit} of the policy's rows that match the filter and whose device id follows
     * {@code afterDeviceId} in byte order, or the first ones when it is null.
     */
    public List<DeviceReportRow> rowsAfter(String policyId, ReportFilter filter, @Nullable String afterDeviceId, int limit) {
        List<Object> parameters = new ArrayList<>(List.of(policyId, policyId, policyId));
        String where = filterSql(filter, parameters);
        if (afterDeviceId != null) {
            where += (where.isEmpty() ? " WHERE" : " AND") + " r.device_id COLLATE \"C\" > ?";
            parameters.add(afterDeviceId);
        }
        parameters.add(limit);
        return sql.query(reportRows("policy_id") + " SELECT " + ROW_COLUMNS
                + " FROM report r LEFT JOIN user_contact u ON u.user_id = r.user_id" + where
                + " ORDER BY r.device_id COLLATE \"C\" LIMIT ?", r -> row(r, 1), parameters.toArray());
    }

    /** Returns the user's rows of every policy, ordered by policy id and device id. */
    public List<PolicyRow> userRows(String userId) {
        return sql.query(reportRows("user_id") + " SELECT r.policy_id, " + ROW_COLUMNS
                + " FROM report r LEFT JOIN user_contact u ON u.user_id = r.user_id"
                + " ORDER BY r.policy_id COLLATE \"C\", r.device_id COLLATE \"C\"",
                r -> new PolicyRow(r.getString(1), row(r, 2)), userId, userId, userId);
    }

    /** A report row with the policy it belongs to. */
    public record PolicyRow(String policyId, DeviceReportRow row) {
    }

    public Optional<Contact> contact(String userId) {
        return sql.query("SELECT user_principal_name, email FROM user_contact WHERE user_id = ?",
                r -> new Contact(r.getString(1), r.getString(2)), userId).stream().findFirst();
    }

    /** Returns the policies the user has now, ordered by policy id. */
    public List<UserPolicy> userPolicies(String userId) {
        return sql.query("""
                SELECT policy_id, policy_version, policy_name, settings::text FROM user_policy WHERE user_id = ?
                ORDER BY policy_id COLLATE "C"
                """, r -> new UserPolicy(r.getString(1), r.getInt(2), r.getString(3), r.getString(4)), userId);
    }

    /** Returns the user's devices, retired ones included, ordered by device id. */
    public List<UserReport.Device> userDevices(String userId) {
        return sql.query("SELECT device_id, platform, os_version, model, management_state, retired_at, "
                + ELIGIBLE + " FROM device d WHERE user_id = ? ORDER BY device_id COLLATE \"C\"",
                r -> new UserReport.Device(r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5),
                        Sql.instant(r, 6), r.getBoolean(7)),
                userId);
    }

    /**
     * SQL condition on device alias {@code d}: a managed iOS or iPadOS device that is not retired, the same
     * rule by which certificate-service decides which devices receive packages.
     */
    private static final String ELIGIBLE = "(lower(btrim(d.platform)) IN ('ios', 'ipados')"
            + " AND d.management_state = 'MANAGED' AND d.retired_at IS NULL)";

    /**
     * Returns the WITH clause that defines {@code report}, the report rows whose {@code column} (policy_id or
     * user_id) equals a parameter, which the caller binds three times. The conflict CTE contains the users and
     * policies in conflict: both policies deploy certificates and differ in a setting of
     * {@link PolicyConflicts#SETTINGS}. The report state of a stored status is REMOVED for REMOVED, CONFLICT
     * when the user is in conflict for the policy, then follows the stored state. A device without a status is
     * NOT_APPLICABLE when it cannot receive certificates or the user's version of the policy deploys none,
     * and otherwise CONFLICT or PENDING.
     */
    static String reportRows(String column) {
        return """
                WITH conflict AS (
                    SELECT DISTINCT p.user_id, p.policy_id
                    FROM user_policy p
                    JOIN user_policy o ON o.user_id = p.user_id AND o.policy_id <> p.policy_id
                    WHERE p.%1$s = ? AND %2$s AND %3$s AND %4$s
                ), report AS (
                    SELECT s.policy_id, s.device_id, s.user_id, d.platform, d.model,
                        CASE WHEN s.state = 'REMOVED' THEN 'REMOVED'
                             WHEN c.user_id IS NOT NULL THEN 'CONFLICT'
                             WHEN s.state = 'INSTALLED' THEN 'SUCCEEDED'
                             WHEN s.state = 'FAILED' THEN 'ERROR'
                             ELSE 'PENDING' END AS intune_state,
                        s.state, s.reason_code, s.detail, s.policy_version, s.updated_at
                    FROM device_status s
                    LEFT JOIN device d ON d.device_id = s.device_id
                    LEFT JOIN conflict c ON c.user_id = s.user_id AND c.policy_id = s.policy_id
                    WHERE s.%1$s = ?
                    UNION ALL
                    SELECT up.policy_id, d.device_id, d.user_id, d.platform, d.model,
                        CASE WHEN NOT %5$s OR NOT %6$s THEN 'NOT_APPLICABLE'
                             WHEN c.user_id IS NOT NULL THEN 'CONFLICT'
                             ELSE 'PENDING' END,
                        NULL::text, NULL::text, NULL::text, NULL::integer, NULL::timestamptz
                    FROM user_policy up
                    JOIN device d ON d.user_id = up.user_id AND d.retired_at IS NULL
                    LEFT JOIN conflict c ON c.user_id = up.user_id AND c.policy_id = up.policy_id
                    WHERE up.%1$s = ?
                        AND NOT EXISTS (SELECT 1 FROM device_status s WHERE s.device_id = d.device_id AND s.policy_id = up.policy_id)
                )
                """.formatted(column, PolicyConflicts.deploysSql("p"), PolicyConflicts.deploysSql("o"),
                PolicyConflicts.differSql("p", "o"), ELIGIBLE,
                PolicyConflicts.deploysSql("up"));
    }

    private static String filterSql(ReportFilter filter, List<Object> parameters) {
        List<String> conditions = new ArrayList<>();
        if (!filter.intuneStates().isEmpty()) {
            conditions.add("r.intune_state = ANY (?)");
            parameters.add(filter.intuneStates().stream().map(Enum::name).toArray(String[]::new));
        }
        if (!filter.states().isEmpty()) {
            conditions.add("COALESCE(r.state, 'NONE') = ANY (?)");
            parameters.add(filter.states().toArray(String[]::new));
        }
        if (!filter.reasonCodes().isEmpty()) {
            conditions.add("r.reason_code = ANY (?)");
            parameters.add(filter.reasonCodes().toArray(String[]::new));
        }
        if (!filter.userIds().isEmpty()) {
            conditions.add("r.user_id = ANY (?)");
            parameters.add(filter.userIds().toArray(String[]::new));
        }
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    private static DeviceReportRow row(ResultSet r, int first) throws SQLException {
        int c = first;
        return new DeviceReportRow(r.getString(c), r.getString(c + 1), r.getString(c + 2), r.getString(c + 3),
                r.getString(c + 4), r.getString(c + 5), IntuneState.valueOf(r.getString(c + 6)), r.getString(c + 7),
                r.getString(c + 8), r.getString(c + 9), (Integer) r.getObject(c + 10), Sql.instant(r, c + 11));
    }
}
