-- Derived credentials (NIST SP 800-157) that devices report: certificates that a derived-credential
-- provider issued to the device from the user's smart card. Only public certificates are stored; the keys
-- stay on the device. The newest report per device and purpose is the current one.
CREATE TABLE derived_credential (
    id                   UUID         PRIMARY KEY,
    device_id            TEXT         NOT NULL,
    user_id              TEXT         NOT NULL,
    -- SIGNING or ENCRYPTION
    purpose              TEXT         NOT NULL,
    thumbprint_sha256    TEXT         NOT NULL,
    serial_number        TEXT         NOT NULL,
    subject              TEXT         NOT NULL,
    issuer               TEXT         NOT NULL,
    not_before           TIMESTAMPTZ  NOT NULL,
    not_after            TIMESTAMPTZ  NOT NULL,
    certificate_der      BYTEA        NOT NULL,
    -- PEM certificates between the credential and a trusted root, as the device sent them
    chain_pem            TEXT         NOT NULL,
    reported_at          TIMESTAMPTZ  NOT NULL,
    -- When 80 percent of the validity has passed and the user gets a renewal notification
    renewal_due_at       TIMESTAMPTZ  NOT NULL,
    renewal_notified_at  TIMESTAMPTZ,
    replaced_at          TIMESTAMPTZ
);
CREATE UNIQUE INDEX derived_credential_current ON derived_credential (device_id, purpose) WHERE replaced_at IS NULL;
CREATE INDEX derived_credential_renewal ON derived_credential (renewal_due_at) WHERE replaced_at IS NULL
    AND renewal_notified_at IS NULL;
