-- One-time SCEP challenges, each bound to a device, its user, a policy version and a SCEP profile, with
-- the request that the device must send. Only the SHA-256 of the challenge is stored; the challenge
-- itself reaches the device inside its encrypted package. The lifetime starts when the device downloads
-- that package, so expires_at stays empty until then.
CREATE TABLE scep_challenge (
    id                   UUID         PRIMARY KEY,
    challenge_sha256     TEXT         NOT NULL UNIQUE,
    package_id           UUID,
    lifetime_seconds     INTEGER      NOT NULL,
    device_id            TEXT         NOT NULL,
    user_id              TEXT         NOT NULL,
    policy_id            TEXT         NOT NULL,
    policy_version       INTEGER      NOT NULL,
    profile_id           TEXT         NOT NULL,
    -- Expected subject, RFC 4514 string, and subject alternative names, JSON [{"type":..,"value":..}]
    subject              TEXT         NOT NULL,
    subject_alt_names    TEXT         NOT NULL,
    min_key_size         INTEGER      NOT NULL,
    -- JSON arrays: key usage names (DIGITAL_SIGNATURE, KEY_ENCIPHERMENT) and extended key usage OIDs
    key_usages           TEXT         NOT NULL,
    extended_key_usages  TEXT         NOT NULL,
    validity_months      INTEGER      NOT NULL,
    renewal_threshold_percent INTEGER NOT NULL,
    created_at           TIMESTAMPTZ  NOT NULL DEFAULT now(),
    expires_at           TIMESTAMPTZ,
    used_at              TIMESTAMPTZ,
    -- transactionID of the request that used the challenge; a repeated request gets the same certificate
    transaction_id       TEXT,
    last_failure_code    TEXT,
    last_failure_at      TIMESTAMPTZ
);
CREATE INDEX scep_challenge_device ON scep_challenge (device_id, policy_id);
CREATE INDEX scep_challenge_package ON scep_challenge (package_id);
CREATE INDEX scep_challenge_expiry ON scep_challenge (expires_at) WHERE used_at IS NULL;

-- Certificates issued over SCEP. Private keys never leave the devices, so only certificates are stored.
CREATE TABLE scep_certificate (
    serial_number      TEXT         PRIMARY KEY,
    thumbprint_sha256  TEXT         NOT NULL UNIQUE,
    transaction_id     TEXT         NOT NULL,
    challenge_id       UUID         REFERENCES scep_challenge (id),
    device_id          TEXT         NOT NULL,
    user_id            TEXT         NOT NULL,
    policy_id          TEXT         NOT NULL,
    policy_version     INTEGER      NOT NULL,
    profile_id         TEXT         NOT NULL,
    subject            TEXT         NOT NULL,
    not_before         TIMESTAMPTZ  NOT NULL,
    not_after          TIMESTAMPTZ  NOT NULL,
    certificate_der    BYTEA        NOT NULL,
    issued_at          TIMESTAMPTZ  NOT NULL DEFAULT now(),
    revoked_at         TIMESTAMPTZ,
    revocation_reason  TEXT
);
CREATE INDEX scep_certificate_device ON scep_certificate (device_id, policy_id);
CREATE INDEX scep_certificate_transaction ON scep_certificate (transaction_id);
