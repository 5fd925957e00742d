package io.smimedelivery.device.enrollment;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import io.smimedelivery.common.jdbc.Sql;
import io.smimedelivery.events.EventJson;
import io.smimedelivery.events.SealedValue;

/** SQL access to enrolled devices and device token nonces, in the caller's transaction. */
@ApplicationScoped
public class DeviceStore {

    private static final String COLUMNS = "device_id, user_id, platform, os_version, model, serial_number,"
            + " management_state, public_key_pem, push_token_sealed::text, enrolled_at, updated_at, retired_at,"
            + " retired_reason";

    private final Sql sql;

    public DeviceStore(DataSource dataSource) {
        this.sql = new Sql(dataSource, "Device table");
    }

    public Optional<DeviceRecord> device(String deviceId) {
        return sql.query("SELECT " + COLUMNS + " FROM device WHERE device_id = ?", DeviceStore::record, deviceId)
                .stream().findFirst();
    }

    /** Returns a page of devices, of one user when {@code userId} is given, ordered by device id. */
    public List<DeviceRecord> devices(String userId, int limit, int offset) {
        return userId == null
                ? sql.query("SELECT " + COLUMNS + " FROM device ORDER BY device_id LIMIT ? OFFSET ?", DeviceStore::record,
                        limit, offset)
                : sql.query("SELECT " + COLUMNS + " FROM device WHERE user_id = ? ORDER BY device_id LIMIT ? OFFSET ?",
                        DeviceStore::record, userId, limit, offset);
    }

    /** Inserts or replaces a device, which is then enrolled and not retired. */
    public void upsert(DeviceRecord device) {
        sql.update("""
                INSERT INTO device (device_id, user_id, platform, os_version, model, serial_number, management_state,
                    public_key_pem, push_token_sealed, enrolled_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)
                ON CONFLICT (device_id) DO UPDATE SET user_id = EXCLUDED.user_id, platform = EXCLUDED.platform,
                    os_version = EXCLUDED.os_version, model = EXCLUDED.model, serial_number = EXCLUDED.serial_number,
                    management_state = EXCLUDED.management_state, public_key_pem = EXCLUDED.public_key_pem,
                    push_token_sealed = EXCLUDED.push_token_sealed, enrolled_at = EXCLUDED.enrolled_at,
                    updated_at = EXCLUDED.updated_at, retired_at = NULL, retired_reason = NULL
                """, device.deviceId(), device.userId(), device.platform(), device.osVersion(), device.model(),
                device.serialNumber(), device.managementState(), device.publicKeyPem(), json(device.pushToken()),
                Timestamp.from(device.enrolledAt()), Timestamp.from(device.updatedAt()));
    }

    public void updatePushToken(String deviceId, SealedValue pushToken, Instant at) {
        sql.update("UPDATE device SET push_token_sealed = ?::jsonb, updated_at = ? WHERE device_id = ?", json(pushToken),
                Timestamp.from(at), deviceId);
    }

    public void retire(String deviceId, String reason, Instant at) {
        sql.update("UPDATE device SET retired_at = ?, retired_reason = ?, updated_at = ? WHERE device_id = ?",
                Timestamp.from(at), reason, Timestamp.from(at), deviceId);
    }

    public boolean firstNonceUse(String deviceId, String nonce, Instant expiresAt) {
        return sql.update("INSERT INTO device_token_nonce (device_id, nonce, expires_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                deviceId, nonce, Timestamp.from(expiresAt)) > 0;
    }

    private static String json(SealedValue value) {
        return value == null ? null : new String(EventJson.toBytes(value), StandardCharsets.UTF_8);
    }

    private static DeviceRecord record(ResultSet r) throws SQLException {
        String sealed = r.getString(9);
        return new DeviceRecord(r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5),
                r.getString(6), r.getString(7), r.getString(8),
                sealed == null ? null : EventJson.fromBytes(sealed.getBytes(StandardCharsets.UTF_8), SealedValue.class),
                Sql.instant(r, 10), Sql.instant(r, 11), Sql.instant(r, 12), r.getString(13));
    }
}
