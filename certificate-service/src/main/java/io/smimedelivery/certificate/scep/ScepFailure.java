package io.smimedelivery.certificate.scep;

/**
 * SCEP failInfo values (RFC 8894, section 3.2.1.4) with the reason this service records. A failure
 * goes to the client as a CertRep with pkiStatus FAILURE, never as an HTTP error.
 */
public enum ScepFailure {
    BAD_ALG("0"),
    BAD_MESSAGE_CHECK("1"),
    BAD_REQUEST("2"),
    BAD_TIME("3"),
    BAD_CERT_ID("4");

    private final String code;

    ScepFailure(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
