-- Enrolled devices. The APNs token is kept only sealed to notification-service's key.
CREATE TABLE device (
    device_id          TEXT         PRIMARY KEY,
    user_id            TEXT         NOT NULL,
    platform           TEXT         NOT NULL,
    os_version         TEXT         NOT NULL,
    model              TEXT,
    serial_number      TEXT,
    -- MANAGED or UNMANAGED
    management_state   TEXT         NOT NULL,
    public_key_pem     TEXT         NOT NULL,
    push_token_sealed  JSONB,
    enrolled_at        TIMESTAMPTZ  NOT NULL,
    updated_at         TIMESTAMPTZ  NOT NULL,
    retired_at         TIMESTAMPTZ,
    retired_reason     TEXT
);
CREATE INDEX device_user ON device (user_id);

-- Nonces of device tokens seen so far, kept until the token expires.
CREATE TABLE device_token_nonce (
    device_id   TEXT         NOT NULL,
    nonce       TEXT         NOT NULL,
    expires_at  TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (device_id, nonce)
);
