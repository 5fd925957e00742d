package io.smimedelivery.certificate.scep;

import java.util.Optional;

/** SCEP messageType values (RFC 8894, section 3.2.1.2), carried as a PrintableString of the number. */
public enum ScepMessageType {
    CERT_REP("3"),
    RENEWAL_REQ("17"),
    PKCS_REQ("19"),
    CERT_POLL("20"),
    GET_CERT("21"),
    GET_CRL("22");

    private final String code;

    ScepMessageType(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static Optional<ScepMessageType> fromCode(String code) {
        for (ScepMessageType type : values()) {
            if (type.code.equals(code)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
