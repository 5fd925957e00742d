package io.smimedelivery.device.landing;

import java.sql.Timestamp;
import java.time.Instant;

import javax.sql.DataSource;

import io.smimedelivery.common.jdbc.Sql;

/**
 * Inserts the rows that the landing page reads, as the status consumers would store them. Every insert
 * runs in its own auto-committed statement.
 */
final class LandingRows {

    static final Instant UPDATED_AT = Instant.parse("2026-03-03T13:05:00Z");

    private final Sql sql;

    LandingRows(DataSource dataSource) {
        this.sql = new Sql(dataSource, "Landing test rows");
    }

    void device(String deviceId, String userId, String model) {
        sql.update("""
                INSERT INTO device (device_id, user_id, platform, os_version, model, serial_number, management_state,
                    public_key_pem, enrolled_at, updated_at)
                VALUES (?, ?, 'iOS', '18.1', ?, 'F2LXK0ABCD12', 'MANAGED', 'not a key', now(), now())
                """, deviceId, userId, model);
    }

    void retire(String deviceId) {
        sql.update("UPDATE device SET retired_at = now(), retired_reason = 'Lost' WHERE device_id = ?", deviceId);
    }

    void contact(String userId, String preferredLanguage) {
        sql.update("""
                INSERT INTO user_contact (user_id, user_principal_name, email, preferred_language)
                VALUES (?, ?, ?, ?)
                """, userId, userId + "@contoso.example", "mario.rossi." + userId + "@contoso.example", preferredLanguage);
    }

    void policy(String userId, String policyId, String policyName) {
        sql.update("""
                INSERT INTO user_policy (user_id, policy_id, policy_version, policy_name, settings)
                VALUES (?, ?, 1, ?, '{}'::jsonb)
                """, userId, policyId, policyName);
    }

    void status(String deviceId, String policyId, String userId, String state, String reasonCode, String detail,
            String packageId) {
        sql.update("""
                INSERT INTO device_status (device_id, policy_id, user_id, facts, state, reason_code, detail,
                    policy_version, package_id, updated_at)
                VALUES (?, ?, ?, '{}'::jsonb, ?, ?, ?, 1, ?, ?)
                """, deviceId, policyId, userId, state, reasonCode, detail, packageId, Timestamp.from(UPDATED_AT));
    }

    /** Inserts a package. {@code certificatesJson} is a PackagedCertificate list as JSON. */
    void packageInfo(String packageId, String deviceId, String policyId, String certificatesJson,
            String signingSource) {
        sql.update("""
                INSERT INTO package_info (package_id, device_id, policy_id, policy_version, certificates,
                    signing_source, ready_at)
                VALUES (?, ?, ?, 1, ?::jsonb, ?, now())
                """, packageId, deviceId, policyId, certificatesJson, signingSource);
    }

    /** Returns one PackagedCertificate as JSON. */
    static String certificate(String thumbprint, String role, String serialNumber, String notAfter, boolean current) {
        return """
                {"thumbprintSha256": "%s", "role": "%s", "serialNumber": "%s", "notAfter": "%s", "current": %s}"""
                .formatted(thumbprint, role, serialNumber, notAfter, current);
    }
}
