-- The RSA key pair that administrators encrypt PKCS#12 passwords to before upload. The private key is
-- stored like imported keys: PKCS#8 under AES-256-GCM with the key-encryption key named in kek_id.
CREATE TABLE import_key (
    id                    TEXT         PRIMARY KEY,
    public_key_der        BYTEA        NOT NULL,
    private_key_encrypted BYTEA        NOT NULL,
    kek_id                TEXT         NOT NULL,
    created_at            TIMESTAMPTZ  NOT NULL DEFAULT now()
);
