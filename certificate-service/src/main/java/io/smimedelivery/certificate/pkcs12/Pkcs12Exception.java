package io.smimedelivery.certificate.pkcs12;

import java.util.Objects;

/**
 * Failure to read a PKCS#12 file. The message is a sentence for the person who uploaded the file and
 * never contains the password, key material or file bytes.
 */
public final class Pkcs12Exception extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Cause of the failure, for callers that map it to an API error code. */
    public enum Reason {
        /** The file is well-formed but its integrity check (MAC) fails with the given password. */
        WRONG_PASSWORD,
        /** The bytes are not a complete PKCS#12 structure, for example a truncated upload. */
        CORRUPT_FILE,
        /** The file contains certificates but no private key. */
        NO_PRIVATE_KEY,
        /** A private key in the file has no certificate with the same public key. */
        KEY_CERTIFICATE_MISMATCH,
        /** The file uses an encryption, MAC or key algorithm that this reader does not support. */
        UNSUPPORTED_ALGORITHM
    }

    private final Reason reason;

    public Pkcs12Exception(Reason reason, String message) {
        this(reason, message, null);
    }

    public Pkcs12Exception(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
