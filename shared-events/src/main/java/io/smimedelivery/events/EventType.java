package io.smimedelivery.events;

import java.util.Objects;
import java.util.function.Function;

/**
 * One kind of event: its CloudEvents type name, the topic it goes to, its payload record and how the
 * record key is derived from the payload.
 *
 * @param name        CloudEvents {@code type}, versioned, such as {@code io.smimedelivery.policy.assigned.v1}
 * @param topic       topic the event is published to
 * @param payloadType record that the JSON value maps to
 * @param keyOf       returns the record key: the id of the aggregate whose events must stay in order
 * @param summary     one sentence on what happened, for docs/events.md
 */
public record EventType<T>(String name, String topic, Class<T> payloadType, Function<T, String> keyOf,
        String summary) {

    public EventType {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payloadType, "payloadType");
        Objects.requireNonNull(keyOf, "keyOf");
        Objects.requireNonNull(summary, "summary");
    }

    /** Returns the classpath location of this event's JSON Schema. */
    public String schemaResource() {
        return "/schemas/" + name + ".json";
    }

    /** Returns the record key of {@code payload}, checking first that it is of this type. */
    public String keyOf(Object payload) {
        return keyOf.apply(payloadType.cast(payload));
    }
}
