package io.smimedelivery.events;

/**
 * Kafka header names of the CloudEvents 1.0 Kafka protocol binding in binary mode: the attributes travel
 * as {@code ce_}-prefixed headers and the record value is the event data unchanged.
 */
public final class CloudEventHeaders {

    /** Event id: the outbox event id, unique per event, and the key for de-duplication by consumers. */
    public static final String ID = "ce_id";
    /** Event type, such as {@code io.smimedelivery.policy.assigned.v1}. */
    public static final String TYPE = "ce_type";
    /** Producing service, such as {@code /smime-delivery/policy-service}. */
    public static final String SOURCE = "ce_source";
    /** The record key: the user id or device id the event is about. */
    public static final String SUBJECT = "ce_subject";
    /** When the event happened, RFC 3339. */
    public static final String TIME = "ce_time";
    public static final String SPEC_VERSION = "ce_specversion";
    /** Media type of the value; the binding names this header without the ce_ prefix. */
    public static final String CONTENT_TYPE = "content-type";

    public static final String SPEC_VERSION_1_0 = "1.0";
    public static final String JSON = "application/json";

    private CloudEventHeaders() {
    }
}
