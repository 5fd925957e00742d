-- Users and their policies, as PolicyAssigned events describe them.
CREATE TABLE recipient (
    user_id              TEXT         PRIMARY KEY,
    user_principal_name  TEXT         NOT NULL,
    email                TEXT         NOT NULL,
    preferred_language   TEXT,
    updated_at           TIMESTAMPTZ  NOT NULL DEFAULT now()
);

CREATE TABLE recipient_policy (
    user_id               TEXT         NOT NULL,
    policy_id             TEXT         NOT NULL,
    policy_version        INTEGER      NOT NULL,
    policy_name           TEXT         NOT NULL,
    -- COMPANY_PORTAL or EMAIL, from the policy's end-user notification setting.
    end_user_notification TEXT         NOT NULL,
    PRIMARY KEY (user_id, policy_id)
);

-- Devices as DeviceEnrolled and DeviceRetired describe them. The APNs token stays sealed to this
-- service's key at rest and is opened only to send a push.
CREATE TABLE device (
    device_id          TEXT         PRIMARY KEY,
    user_id            TEXT         NOT NULL,
    platform           TEXT         NOT NULL,
    model              TEXT,
    public_key_pem     TEXT         NOT NULL,
    push_token_sealed  JSONB,
    -- false after APNs reported the token as unregistered or invalid.
    push_token_valid   BOOLEAN      NOT NULL DEFAULT true,
    enrolled_at        TIMESTAMPTZ  NOT NULL,
    retired_at         TIMESTAMPTZ
);
CREATE INDEX device_user ON device (user_id);

-- Latest package outcome per device and policy, from PackageReady and PackageFailed.
CREATE TABLE device_package (
    device_id       TEXT         NOT NULL,
    policy_id       TEXT         NOT NULL,
    user_id         TEXT         NOT NULL,
    policy_version  INTEGER      NOT NULL,
    package_id      TEXT,
    -- READY or FAILED
    outcome         TEXT         NOT NULL,
    reason_code     TEXT,
    occurred_at     TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (device_id, policy_id)
);
CREATE INDEX device_package_user ON device_package (user_id, policy_id, policy_version);

-- One notification per user, policy version, kind and channel; the unique key makes a repeated event
-- create nothing.
CREATE TABLE notification (
    id              UUID         PRIMARY KEY,
    user_id         TEXT         NOT NULL,
    policy_id       TEXT         NOT NULL,
    policy_version  INTEGER      NOT NULL,
    -- READY or FAILED
    kind            TEXT         NOT NULL,
    -- EMAIL or COMPANY_PORTAL
    channel         TEXT         NOT NULL,
    language        TEXT         NOT NULL,
    created_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    UNIQUE (user_id, policy_id, policy_version, kind, channel)
);
CREATE INDEX notification_policy ON notification (policy_id, policy_version);

-- Each way a notification reaches the user: one e-mail, one push per device, one list entry.
CREATE TABLE delivery (
    id               UUID         PRIMARY KEY,
    notification_id  UUID         NOT NULL REFERENCES notification (id),
    -- EMAIL, PUSH or NOTIFICATION_LIST
    channel          TEXT         NOT NULL,
    -- The device of a push; empty for the other channels.
    device_id        TEXT         NOT NULL DEFAULT '',
    -- PENDING, SENDING, SENT, FAILED or UNCERTAIN
    status           TEXT         NOT NULL,
    attempts         INTEGER      NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMPTZ  NOT NULL,
    lease_until      TIMESTAMPTZ,
    device_ids       TEXT         NOT NULL DEFAULT '',
    reason_code      TEXT,
    last_detail      TEXT,
    created_at       TIMESTAMPTZ  NOT NULL DEFAULT now(),
    finished_at      TIMESTAMPTZ,
    UNIQUE (notification_id, channel, device_id)
);
CREATE INDEX delivery_due ON delivery (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX delivery_sending ON delivery (lease_until) WHERE status = 'SENDING';

-- Every attempt and its outcome.
CREATE TABLE delivery_attempt (
    delivery_id  UUID         NOT NULL REFERENCES delivery (id),
    attempt      INTEGER      NOT NULL,
    started_at   TIMESTAMPTZ  NOT NULL,
    finished_at  TIMESTAMPTZ  NOT NULL,
    -- SENT, TEMPORARY_FAILURE, PERMANENT_FAILURE, UNCERTAIN or INTERRUPTED
    outcome      TEXT         NOT NULL,
    detail       TEXT         NOT NULL,
    PRIMARY KEY (delivery_id, attempt)
);

-- The Company Portal notification list of each user.
CREATE TABLE feed_entry (
    id               UUID         PRIMARY KEY,
    user_id          TEXT         NOT NULL,
    notification_id  UUID         NOT NULL UNIQUE REFERENCES notification (id),
    title            TEXT         NOT NULL,
    body             TEXT         NOT NULL,
    link             TEXT,
    created_at       TIMESTAMPTZ  NOT NULL DEFAULT now(),
    read_at          TIMESTAMPTZ
);
CREATE INDEX feed_entry_user ON feed_entry (user_id, created_at DESC);

-- Nonces of device tokens seen so far, kept until the token expires.
CREATE TABLE device_token_nonce (
    device_id   TEXT         NOT NULL,
    nonce       TEXT         NOT NULL,
    expires_at  TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (device_id, nonce)
);
