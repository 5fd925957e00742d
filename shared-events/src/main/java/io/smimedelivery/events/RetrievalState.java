package io.smimedelivery.events;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/**
 * Retrieval status of one device for one policy.
 * {@link #UNKNOWN} is what a consumer reads for a value added after it was built.
 */
public enum RetrievalState {
    PENDING,
    READY,
    NOTIFIED,
    RETRIEVED,
    INSTALLED,
    FAILED,
    REMOVED,
    @JsonEnumDefaultValue
    UNKNOWN
}
