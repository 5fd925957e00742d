package io.smimedelivery.common.inbox;

import java.time.Instant;

import io.smimedelivery.events.EventType;

/**
 * A consumed event with its CloudEvents attributes and where it came from.
 *
 * @param id        ce_id, the producer's outbox event id
 * @param type      the event type named by ce_type
 * @param key       the record key
 * @param payload   the payload record, an instance of {@code type.payloadType()}
 * @param time      ce_time
 * @param source    ce_source
 * @param topic     topic the record was read from
 * @param partition partition of the record
 * @param offset    offset of the record
 */
public record ReceivedEvent(String id, EventType<?> type, String key, Object payload, Instant time, String source,
        String topic, int partition, long offset) {

    /** Returns the payload as {@code payloadType}; fails if the event is of another type. */
    public <T> T payload(Class<T> payloadType) {
        return payloadType.cast(payload);
    }
}
