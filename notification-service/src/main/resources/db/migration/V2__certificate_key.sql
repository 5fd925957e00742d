-- A READY notification belongs to the user's certificates as well as to the policy version, so when a
-- renewed certificate rebuilds the packages, the user gets a notification again. certificate_key is the
-- SHA-256 (hex) of the sorted thumbprints of the current encryption and the signing certificates in the
-- package, and empty for FAILED outcomes.
ALTER TABLE device_package ADD COLUMN certificate_key TEXT NOT NULL DEFAULT '';
ALTER TABLE notification ADD COLUMN certificate_key TEXT NOT NULL DEFAULT '';
ALTER TABLE notification DROP CONSTRAINT notification_user_id_policy_id_policy_version_kind_channel_key;
ALTER TABLE notification ADD CONSTRAINT notification_unique_per_certificates
    UNIQUE (user_id, policy_id, policy_version, kind, channel, certificate_key);
