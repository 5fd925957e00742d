package io.smimedelivery.events;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/**
 * Channel of one notification delivery.
 * {@link #UNKNOWN} is what a consumer reads for a value added after it was built.
 */
public enum DeliveryChannel {
    PUSH,
    NOTIFICATION_LIST,
    EMAIL,
    @JsonEnumDefaultValue
    UNKNOWN
}
