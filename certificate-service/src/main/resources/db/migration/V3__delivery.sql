-- Users with at least one assigned policy, as PolicyAssigned events describe them.
CREATE TABLE assigned_user (
    user_id              TEXT         PRIMARY KEY,
    user_principal_name  TEXT         NOT NULL,
    -- Primary SMTP address in lower case; the delivered certificates must carry it.
    email                TEXT         NOT NULL,
    preferred_language   TEXT,
    updated_at           TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX assigned_user_upn ON assigned_user (lower(user_principal_name));
CREATE INDEX assigned_user_email ON assigned_user (email);

-- The policy versions that apply to each user now.
CREATE TABLE user_policy (
    user_id         TEXT         NOT NULL,
    policy_id       TEXT         NOT NULL,
    policy_version  INTEGER      NOT NULL,
    policy_name     TEXT         NOT NULL,
    -- PolicySettings of the version, as the event carried it.
    settings        JSONB        NOT NULL,
    assigned_at     TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (user_id, policy_id)
);

-- Devices as DeviceEnrolled and DeviceRetired events describe them.
CREATE TABLE device (
    device_id         TEXT         PRIMARY KEY,
    user_id           TEXT         NOT NULL,
    platform          TEXT         NOT NULL,
    os_version        TEXT         NOT NULL,
    model             TEXT,
    managed           BOOLEAN      NOT NULL,
    public_key_pem    TEXT         NOT NULL,
    enrolled_at       TIMESTAMPTZ  NOT NULL,
    retired_at        TIMESTAMPTZ,
    retired_reason    TEXT
);
CREATE INDEX device_user ON device (user_id);

-- Users whose packages must be worked out again. Consumers and imports add rows in their own
-- transaction; the package worker deletes a row in the transaction that brings the user up to date.
CREATE TABLE package_request (
    user_id       TEXT         PRIMARY KEY,
    requested_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    attempts      INTEGER      NOT NULL DEFAULT 0,
    last_error    TEXT
);

-- One row per package built, or failed to build, for a device and policy version.
CREATE TABLE device_package (
    id                 UUID         PRIMARY KEY,
    device_id          TEXT         NOT NULL,
    user_id            TEXT         NOT NULL,
    policy_id          TEXT         NOT NULL,
    policy_version     INTEGER      NOT NULL,
    status             TEXT         NOT NULL CHECK (status IN ('READY', 'FAILED', 'REVOKED')),
    -- SHA-256 over everything the package was built from; equal fingerprints need no new package.
    fingerprint        TEXT         NOT NULL,
    -- CMS EnvelopedData to the device's key; only that device can open it. NULL once revoked.
    envelope           BYTEA,
    -- PackagedCertificate list, as in PackageReady.
    certificates       JSONB        NOT NULL DEFAULT '[]',
    signing_source     TEXT         NOT NULL,
    reason_code        TEXT,
    detail             TEXT,
    created_at         TIMESTAMPTZ  NOT NULL,
    retrieved_at       TIMESTAMPTZ,
    revoked_at         TIMESTAMPTZ,
    revoked_reason     TEXT
);
CREATE UNIQUE INDEX device_package_live ON device_package (device_id, policy_id) WHERE status <> 'REVOKED';
CREATE INDEX device_package_user ON device_package (user_id) WHERE status <> 'REVOKED';

-- Nonces of device tokens seen so far, kept until the token expires, so that a token is used once.
CREATE TABLE device_token_nonce (
    device_id   TEXT         NOT NULL,
    nonce       TEXT         NOT NULL,
    expires_at  TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (device_id, nonce)
);
CREATE INDEX device_token_nonce_expiry ON device_token_nonce (expires_at);
