-- Users with assigned policies, as PolicyAssigned events describe them.
CREATE TABLE user_contact (
    user_id              TEXT         PRIMARY KEY,
    user_principal_name  TEXT         NOT NULL,
    email                TEXT         NOT NULL,
    preferred_language   TEXT,
    updated_at           TIMESTAMPTZ  NOT NULL DEFAULT now()
);

-- Policy versions that apply to each user now; a row is deleted when the policy stops applying.
CREATE TABLE user_policy (
    user_id         TEXT         NOT NULL,
    policy_id       TEXT         NOT NULL,
    policy_version  INTEGER      NOT NULL,
    policy_name     TEXT         NOT NULL,
    -- PolicySettings of the version, as the event carried it.
    settings        JSONB        NOT NULL,
    PRIMARY KEY (user_id, policy_id)
);

-- Packages as PackageReady describes them, for the landing page and install checks.
CREATE TABLE package_info (
    package_id      TEXT         PRIMARY KEY,
    device_id       TEXT         NOT NULL,
    policy_id       TEXT         NOT NULL,
    policy_version  INTEGER      NOT NULL,
    -- PackagedCertificate list with thumbprints and roles.
    certificates    JSONB        NOT NULL,
    signing_source  TEXT         NOT NULL,
    ready_at        TIMESTAMPTZ  NOT NULL
);
CREATE INDEX package_info_device ON package_info (device_id, policy_id);

-- Retrieval status per device and policy: the merged facts (RetrievalFacts as JSON) and the status
-- computed from them.
CREATE TABLE device_status (
    device_id       TEXT         NOT NULL,
    policy_id       TEXT         NOT NULL,
    user_id         TEXT         NOT NULL,
    facts           JSONB        NOT NULL,
    -- PENDING, READY, NOTIFIED, RETRIEVED, INSTALLED, FAILED or REMOVED; NULL until an event names a version.
    state           TEXT,
    reason_code     TEXT,
    detail          TEXT,
    policy_version  INTEGER,
    package_id      TEXT,
    updated_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (device_id, policy_id)
);
CREATE INDEX device_status_policy ON device_status (policy_id, state);
CREATE INDEX device_status_user ON device_status (user_id);

-- Every published transition, with its time and reason.
CREATE TABLE status_transition (
    id              BIGSERIAL    PRIMARY KEY,
    device_id       TEXT         NOT NULL,
    policy_id       TEXT         NOT NULL,
    user_id         TEXT         NOT NULL,
    policy_version  INTEGER      NOT NULL,
    from_state      TEXT,
    to_state        TEXT         NOT NULL,
    reason_code     TEXT,
    detail          TEXT,
    changed_at      TIMESTAMPTZ  NOT NULL
);
CREATE INDEX status_transition_device ON status_transition (device_id, policy_id, id);
