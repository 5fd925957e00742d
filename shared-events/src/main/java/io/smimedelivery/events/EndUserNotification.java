package io.smimedelivery.events;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/**
 * Channel through which a policy notifies users to open Company Portal.
 * {@link #UNKNOWN} is what a consumer reads for a value added after it was built.
 */
public enum EndUserNotification {
    COMPANY_PORTAL,
    EMAIL,
    @JsonEnumDefaultValue
    UNKNOWN
}
