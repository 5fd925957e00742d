package io.smimedelivery.certificate.scep;

/**
 * A SCEP request that the service rejects with a CertRep FAILURE. The reason code and detail are for
 * the administrator and the device status; they never contain the challenge password.
 */
public class ScepException extends RuntimeException {

    private final ScepFailure failure;
    private final String reasonCode;

    public ScepException(ScepFailure failure, String reasonCode, String detail) {
        super(detail);
        this.failure = failure;
        this.reasonCode = reasonCode;
    }

    public ScepFailure failure() {
        return failure;
    }

    /** Reason code such as CHALLENGE_INVALID or SUBJECT_MISMATCH. */
    public String reasonCode() {
        return reasonCode;
    }
}
