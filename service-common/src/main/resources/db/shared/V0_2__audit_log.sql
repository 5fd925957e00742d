-- Every administrator request that changes state or is refused for its role: who, what, when and the
-- result. Bodies are never stored, because they carry PKCS#12 files and passwords.
CREATE TABLE audit_event (
    id           UUID        PRIMARY KEY,
    occurred_at  TIMESTAMPTZ NOT NULL,
    actor        TEXT        NOT NULL,
    roles        TEXT        NOT NULL,
    method       TEXT        NOT NULL,
    path         TEXT        NOT NULL,
    status       INTEGER     NOT NULL,
    outcome      TEXT        NOT NULL
);
CREATE INDEX audit_event_time ON audit_event (occurred_at DESC, id);
CREATE INDEX audit_event_actor ON audit_event (actor, occurred_at DESC);
