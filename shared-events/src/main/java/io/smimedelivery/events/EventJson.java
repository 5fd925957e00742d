package io.smimedelivery.events;

import java.io.IOException;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The JSON mapping of event payloads. Unknown fields are ignored and unknown enum values read as
 * {@code UNKNOWN}, so a producer can add fields and values without breaking older consumers. Times are
 * RFC 3339 strings in UTC.
 */
public final class EventJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_USING_DEFAULT_VALUE)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .build();

    private EventJson() {
    }

    /** Returns the shared mapper; callers must not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static byte[] toBytes(Object payload) {
        try {
            return MAPPER.writeValueAsBytes(payload);
        } catch (IOException e) {
            throw new IllegalArgumentException("Failed to write " + payload.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /**
     * Reads an event payload.
     *
     * @throws InvalidEventException if the bytes are not JSON or miss a required field
     */
    public static <T> T fromBytes(byte[] json, Class<T> payloadType) {
        try {
            return MAPPER.readValue(json, payloadType);
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidEventException("Invalid " + payloadType.getSimpleName() + " payload: "
                    + firstLine(e.getMessage()), e);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
