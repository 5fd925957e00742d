-- Certificates imported from users' PKCS#12 files, with their private keys encrypted at rest.
CREATE TABLE imported_certificate (
    id                    UUID         PRIMARY KEY,
    -- The user as the administrator named them: user principal name or e-mail address, in lower case.
    owner_address         TEXT         NOT NULL,
    purpose               TEXT         NOT NULL CHECK (purpose IN ('ENCRYPTION', 'SIGNING', 'DUAL')),
    thumbprint_sha256     TEXT         NOT NULL,
    thumbprint_sha1       TEXT         NOT NULL,
    serial_number_hex     TEXT         NOT NULL,
    subject_dn            TEXT         NOT NULL,
    issuer_dn             TEXT         NOT NULL,
    not_before            TIMESTAMPTZ  NOT NULL,
    not_after             TIMESTAMPTZ  NOT NULL,
    key_usage             TEXT         NOT NULL,
    extended_key_usages   TEXT         NOT NULL,
    email_addresses       TEXT         NOT NULL,
    certificate_der       BYTEA        NOT NULL,
    -- PKCS#8 private key, AES-256-GCM under the key-encryption key named in kek_id.
    private_key_encrypted BYTEA        NOT NULL,
    kek_id                TEXT         NOT NULL,
    imported_at           TIMESTAMPTZ  NOT NULL DEFAULT now(),
    UNIQUE (owner_address, thumbprint_sha256)
);
CREATE INDEX imported_certificate_owner ON imported_certificate (owner_address);
