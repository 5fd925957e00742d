package io.smimedelivery.events;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/**
 * Source of a policy's signing certificate.
 * {@link #UNKNOWN} is what a consumer reads for a value added after it was built.
 */
public enum SigningProfileType {
    SCEP,
    IMPORTED_PKCS,
    DERIVED_CREDENTIAL,
    @JsonEnumDefaultValue
    UNKNOWN
}
