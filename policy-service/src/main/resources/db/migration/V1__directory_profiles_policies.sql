-- Directory: users and groups as the administrator imported them, or as an identity provider syncs them.
CREATE TABLE directory_user (
    id                  TEXT         PRIMARY KEY,
    user_principal_name TEXT         NOT NULL,
    email               TEXT         NOT NULL,
    display_name        TEXT         NOT NULL,
    preferred_language  TEXT,
    created_at          TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at          TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX directory_user_upn ON directory_user (lower(user_principal_name));

CREATE TABLE directory_group (
    id           TEXT         PRIMARY KEY,
    display_name TEXT         NOT NULL,
    description  TEXT,
    created_at   TIMESTAMPTZ  NOT NULL DEFAULT now()
);

CREATE TABLE group_member (
    group_id TEXT NOT NULL REFERENCES directory_group (id) ON DELETE CASCADE,
    user_id  TEXT NOT NULL REFERENCES directory_user (id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_member_user ON group_member (user_id);

-- Trusted root profiles: one CA certificate each.
CREATE TABLE trusted_root_profile (
    id                 UUID         PRIMARY KEY,
    name               TEXT         NOT NULL,
    subject_dn         TEXT         NOT NULL,
    issuer_dn          TEXT         NOT NULL,
    serial_number_hex  TEXT         NOT NULL,
    thumbprint_sha256  TEXT         NOT NULL UNIQUE,
    not_before         TIMESTAMPTZ  NOT NULL,
    not_after          TIMESTAMPTZ  NOT NULL,
    certificate_pem    TEXT         NOT NULL,
    created_at         TIMESTAMPTZ  NOT NULL DEFAULT now()
);

-- SCEP profiles, stored as the validated request document.
CREATE TABLE scep_profile (
    id         UUID         PRIMARY KEY,
    name       TEXT         NOT NULL,
    definition JSONB        NOT NULL,
    created_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ  NOT NULL DEFAULT now()
);

-- Outlook S/MIME app configuration policies. Every edit adds a version; the policy row points at the newest.
CREATE TABLE smime_policy (
    id              UUID         PRIMARY KEY,
    name            TEXT         NOT NULL,
    description     TEXT,
    current_version INTEGER      NOT NULL,
    deleted_at      TIMESTAMPTZ,
    created_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ  NOT NULL DEFAULT now()
);

CREATE TABLE smime_policy_version (
    policy_id  UUID         NOT NULL REFERENCES smime_policy (id),
    version    INTEGER      NOT NULL,
    settings   JSONB        NOT NULL,
    created_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (policy_id, version)
);

-- Groups a policy is assigned to: INCLUDE groups receive it unless an EXCLUDE group also contains the user.
CREATE TABLE policy_group_assignment (
    policy_id  UUID         NOT NULL REFERENCES smime_policy (id),
    group_id   TEXT         NOT NULL REFERENCES directory_group (id) ON DELETE CASCADE,
    mode       TEXT         NOT NULL CHECK (mode IN ('INCLUDE', 'EXCLUDE')),
    created_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (policy_id, group_id)
);
CREATE INDEX policy_group_assignment_group ON policy_group_assignment (group_id);

-- What each user has been sent: the policy version of the last PolicyAssigned, and a hash of the
-- contact data it carried, so a change of e-mail or language is sent again.
CREATE TABLE user_policy_assignment (
    policy_id        UUID         NOT NULL REFERENCES smime_policy (id),
    user_id          TEXT         NOT NULL,
    assigned_version INTEGER      NOT NULL,
    contact_hash     TEXT         NOT NULL,
    assigned_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (policy_id, user_id)
);
CREATE INDEX user_policy_assignment_user ON user_policy_assignment (user_id);

-- Fan-out jobs: a policy's users are reconciled in batches, resuming from the cursor after a restart.
CREATE TABLE assignment_job (
    id          UUID         PRIMARY KEY,
    policy_id   UUID         NOT NULL REFERENCES smime_policy (id),
    trigger     TEXT         NOT NULL,
    status      TEXT         NOT NULL CHECK (status IN ('QUEUED', 'RUNNING', 'COMPLETED', 'FAILED')),
    total       INTEGER      NOT NULL DEFAULT 0,
    done        INTEGER      NOT NULL DEFAULT 0,
    failed      INTEGER      NOT NULL DEFAULT 0,
    assigned    INTEGER      NOT NULL DEFAULT 0,
    unassigned  INTEGER      NOT NULL DEFAULT 0,
    cursor      TEXT,
    error       TEXT,
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    started_at  TIMESTAMPTZ,
    finished_at TIMESTAMPTZ
);
CREATE INDEX assignment_job_open ON assignment_job (created_at) WHERE status IN ('QUEUED', 'RUNNING');
