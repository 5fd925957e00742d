package io.smimedelivery.certificate.rotation;

/**
 * A column that contains values encrypted with {@link io.smimedelivery.certificate.crypto.KeyEncryption},
 * with the key id of each value in the same row's {@code kek_id} column. The key rotation re-encrypts every
 * column listed here, so a new column of encrypted data must be added.
 */
public enum EncryptedColumn {

    /** PKCS#8 private keys of imported certificates. The primary key is a UUID. */
    IMPORTED_CERTIFICATE_PRIVATE_KEY("imported_certificate", "private_key_encrypted"),

    /** PKCS#8 private key of the RSA import key that PKCS#12 passwords are encrypted to. The primary key is text. */
    IMPORT_KEY_PRIVATE_KEY("import_key", "private_key_encrypted");

    private final String table;
    private final String column;

    EncryptedColumn(String table, String column) {
        this.table = table;
        this.column = column;
    }

    public String table() {
        return table;
    }

    public String column() {
        return column;
    }
}
