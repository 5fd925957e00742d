-- Runs of the key-encryption key rotation, which re-encrypts stored values under the current key id in
-- batches. Each batch updates its values and the counters here in one transaction.
CREATE TABLE kek_rotation (
    id              UUID         PRIMARY KEY,
    -- The current key id when the run started. Every value that the run re-encrypts ends up under this id.
    target_kek_id   TEXT         NOT NULL,
    status          TEXT         NOT NULL CHECK (status IN ('RUNNING', 'COMPLETED', 'FAILED', 'INTERRUPTED')),
    -- Values under other configured key ids when the run started, and how many it re-encrypted or failed.
    total           INTEGER      NOT NULL,
    done            INTEGER      NOT NULL DEFAULT 0,
    errors          INTEGER      NOT NULL DEFAULT 0,
    -- Table, row id and reason of the last failure. It never contains key material.
    last_error      TEXT,
    -- Set by a stop request. The runner ends before its next batch.
    stop_requested  BOOLEAN      NOT NULL DEFAULT false,
    started_at      TIMESTAMPTZ  NOT NULL,
    finished_at     TIMESTAMPTZ
);
CREATE INDEX kek_rotation_started ON kek_rotation (started_at DESC);

-- The rotation selects values by key id, and the status counts them by key id.
CREATE INDEX imported_certificate_kek ON imported_certificate (kek_id);
CREATE INDEX import_key_kek ON import_key (kek_id);
