package io.smimedelivery.device.report;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smimedelivery.common.jdbc.Sql;
import io.smimedelivery.events.EncryptionProfileType;
import io.smimedelivery.events.EndUserNotification;
import io.smimedelivery.events.EventJson;
import io.smimedelivery.events.PolicySettings;
import io.smimedelivery.events.SigningProfileType;

/** Inserts report scenarios directly into device-service's tables, as the event consumers would fill them. */
final class ReportFixtures {

    private static final String KEY_PEM = "-----BEGIN PUBLIC KEY-----\nnot used by reports\n-----END PUBLIC KEY-----\n";

    private final Sql sql;

    ReportFixtures(DataSource dataSource) {
        this.sql = new Sql(dataSource, "Report fixture");
    }

    /** Returns the settings of a certificate-deploying policy as stored JSON. */
    static ObjectNode deployingSettings() {
        PolicySettings settings = new PolicySettings(true, false, true, SigningProfileType.IMPORTED_PKCS,
                EncryptionProfileType.IMPORTED_PKCS, EndUserNotification.COMPANY_PORTAL, false, true, true, false,
                null, List.of(), null);
        return (ObjectNode) EventJson.mapper().valueToTree(settings);
    }

    /** Returns the settings of a policy that turns S/MIME on in Outlook without deploying certificates. */
    static ObjectNode settingsOnlySettings() {
        PolicySettings settings = new PolicySettings(false, true, false, null, null, null, true, false, false, true,
                null, List.of(), null);
        return (ObjectNode) EventJson.mapper().valueToTree(settings);
    }

    void contact(String userId, String userPrincipalName, String email) {
        sql.update("INSERT INTO user_contact (user_id, user_principal_name, email) VALUES (?, ?, ?)", userId,
                userPrincipalName, email);
    }

    void assign(String userId, String policyId, int version, String name, JsonNode settings) {
        sql.update("INSERT INTO user_policy (user_id, policy_id, policy_version, policy_name, settings)"
                + " VALUES (?, ?, ?, ?, ?::jsonb)", userId, policyId, version, name,
                new String(EventJson.toBytes(settings), StandardCharsets.UTF_8));
    }

    void device(String deviceId, String userId, String platform, String managementState, String model, boolean retired) {
        Timestamp now = Timestamp.from(Instant.now());
        sql.update("INSERT INTO device (device_id, user_id, platform, os_version, model, management_state,"
                + " public_key_pem, enrolled_at, updated_at, retired_at, retired_reason)"
                + " VALUES (?, ?, ?, '18.1', ?, ?, ?, ?, ?, ?, ?)", deviceId, userId, platform, model, managementState,
                KEY_PEM, now, now, retired ? now : null, retired ? "lost" : null);
    }

    /** Inserts a device_status row; {@code state} may be null, as before an event names a version. */
    void status(String deviceId, String policyId, String userId, String state, String reasonCode, String detail,
            Integer policyVersion, Instant updatedAt) {
        sql.update("INSERT INTO device_status (device_id, policy_id, user_id, facts, state, reason_code, detail,"
                + " policy_version, updated_at) VALUES (?, ?, ?, '{}'::jsonb, ?, ?, ?, ?, ?)", deviceId, policyId,
                userId, state, reasonCode, detail, policyVersion, Timestamp.from(updatedAt));
    }
}
