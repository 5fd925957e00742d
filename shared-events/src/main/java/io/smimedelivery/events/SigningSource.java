package io.smimedelivery.events;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/**
 * Source of the signing certificate of a device package.
 * {@link #UNKNOWN} is what a consumer reads for a value added after it was built.
 */
public enum SigningSource {
    IMPORTED_PKCS,
    SCEP,
    DERIVED_CREDENTIAL,
    NONE,
    @JsonEnumDefaultValue
    UNKNOWN
}
