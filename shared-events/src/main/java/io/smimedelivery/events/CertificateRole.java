package io.smimedelivery.events;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/**
 * Role of a certificate in a device package.
 * {@link #UNKNOWN} is what a consumer reads for a value added after it was built.
 */
public enum CertificateRole {
    ENCRYPTION,
    SIGNING,
    TRUSTED_ROOT,
    INTERMEDIATE,
    @JsonEnumDefaultValue
    UNKNOWN
}
