-- A derived credential's renewal notice is recorded first and planned with the user's other
-- notifications, so it waits for the user's assignment when it arrives before it, as events on
-- different topics may. One row per device credential; the thumbprint is its SHA-256 in hex.
CREATE TABLE renewal_due (
    device_id          TEXT        NOT NULL,
    thumbprint_sha256  TEXT        NOT NULL,
    user_id            TEXT        NOT NULL,
    policy_id          TEXT        NOT NULL,
    purpose            TEXT        NOT NULL,
    not_after          TIMESTAMPTZ NOT NULL,
    recorded_at        TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (device_id, thumbprint_sha256)
);
CREATE INDEX renewal_due_user ON renewal_due (user_id);
