package io.smimedelivery.device.landing;

import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.type.TypeReference;

import io.smimedelivery.common.jdbc.Sql;
import io.smimedelivery.events.EventJson;
import io.smimedelivery.events.PackagedCertificate;

/** Read-only SQL access to what the landing page shows, in the caller's transaction. */
@ApplicationScoped
public class LandingStore {

    /** The device columns the landing page needs, with the user's preferred language if known. */
    public record DeviceRow(String deviceId, String userId, String platform, String model, Instant retiredAt,
            String preferredLanguage) {
    }

    /**
     * One policy of the device: a retrieval status row, a policy that applies to the user, or both.
     *
     * @param policyName null once the policy no longer applies to the user, because its row is then deleted
     * @param state null when no status row exists yet, or when the row names no policy version yet
     */
    public record PolicyRow(String policyId, String policyName, String state, String reasonCode, String packageId,
            Instant updatedAt) {
    }

    /** The certificates and signing source of a built package. */
    public record PackageRow(List<PackagedCertificate> certificates, String signingSource) {
    }

    private static final TypeReference<List<PackagedCertificate>> CERTIFICATE_LIST = new TypeReference<>() {
    };

    private final Sql sql;

    public LandingStore(DataSource dataSource) {
        this.sql = new Sql(dataSource, "Landing page");
    }

    public Optional<DeviceRow> device(String deviceId) {
        return sql.query("""
                SELECT d.device_id, d.user_id, d.platform, d.model, d.retired_at, c.preferred_language
                FROM device d LEFT JOIN user_contact c ON c.user_id = d.user_id
                WHERE d.device_id = ?
                """, r -> new DeviceRow(r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                Sql.instant(r, 5), r.getString(6)), deviceId).stream().findFirst();
    }

    /**
     * Returns the device's status rows joined with the policies that apply to its user, so a policy shows
     * up before its first status row and after its assignment row was deleted. Ordered by policy name,
     * then policy id.
     */
    public List<PolicyRow> policies(String deviceId, String userId) {
        return sql.query("""
                SELECT COALESCE(s.policy_id, p.policy_id) AS id, p.policy_name, s.state, s.reason_code,
                    s.package_id, s.updated_at
                FROM (SELECT * FROM device_status WHERE device_id = ?) s
                FULL JOIN (SELECT * FROM user_policy WHERE user_id = ?) p ON p.policy_id = s.policy_id
                ORDER BY p.policy_name NULLS LAST, id
                """, LandingStore::policyRow, deviceId, userId);
    }

    public Optional<PackageRow> packageInfo(String packageId) {
        return sql.query("SELECT certificates::text, signing_source FROM package_info WHERE package_id = ?",
                r -> new PackageRow(certificates(r.getString(1)), r.getString(2)), packageId).stream().findFirst();
    }

    private static PolicyRow policyRow(ResultSet r) throws SQLException {
        return new PolicyRow(r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5),
                Sql.instant(r, 6));
    }

    private static List<PackagedCertificate> certificates(String json) {
        try {
            return EventJson.mapper().readValue(json, CERTIFICATE_LIST);
        } catch (IOException e) {
            throw new IllegalStateException("Invalid certificate list in package_info: " + e.getMessage(), e);
        }
    }
}
