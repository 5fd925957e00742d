package io.smimedelivery.policy.trust;

import java.util.Objects;

/**
 * Rejected certificate upload. {@link #reasonCode()} returns one of the constants of this class for clients, and the
 * message states what is wrong and how to fix it, without echoing uploaded key material.
 */
public final class InvalidCertificateException extends RuntimeException {

    /** The upload is missing, empty or only whitespace. */
    public static final String EMPTY = "EMPTY";
    /** The upload is neither a PEM nor a DER X.509 certificate. */
    public static final String NOT_A_CERTIFICATE = "NOT_A_CERTIFICATE";
    /** The upload contains a private key or a PKCS #12 file, which can contain one. */
    public static final String PRIVATE_KEY = "PRIVATE_KEY";
    /** The upload contains more than one certificate. */
    public static final String MULTIPLE_CERTIFICATES = "MULTIPLE_CERTIFICATES";
    /** The certificate has no basicConstraints extension with cA set to true. */
    public static final String NOT_A_CA = "NOT_A_CA";
    /** The certificate has a keyUsage extension without keyCertSign. */
    public static final String KEY_CERT_SIGN_MISSING = "KEY_CERT_SIGN_MISSING";

    private static final long serialVersionUID = 1L;

    private final String reasonCode;

    public InvalidCertificateException(String reasonCode, String message) {
        super(message);
        this.reasonCode = Objects.requireNonNull(reasonCode, "reasonCode");
    }

    public InvalidCertificateException(String reasonCode, String message, Throwable cause) {
        super(message, cause);
        this.reasonCode = Objects.requireNonNull(reasonCode, "reasonCode");
    }

    /** Returns the machine-readable reason, one of the constants of this class. */
    public String reasonCode() {
        return reasonCode;
    }
}
