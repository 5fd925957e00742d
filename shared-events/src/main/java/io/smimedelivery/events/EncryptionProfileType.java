package io.smimedelivery.events;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/**
 * Source of a policy's encryption certificates; SCEP is not allowed for encryption.
 * {@link #UNKNOWN} is what a consumer reads for a value added after it was built.
 */
public enum EncryptionProfileType {
    IMPORTED_PKCS,
    DERIVED_CREDENTIAL,
    @JsonEnumDefaultValue
    UNKNOWN
}
