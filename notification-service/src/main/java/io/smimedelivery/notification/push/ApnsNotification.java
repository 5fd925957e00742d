package io.smimedelivery.notification.push;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Alert that prompts the user to open the app, with the data the app reads from the payload.
 *
 * @param title      alert title
 * @param body       alert text
 * @param collapseId the apns-collapse-id header, or null. The device shows only the latest notification
 *                   of a collapse id. At most {@value #MAX_COLLAPSE_ID_BYTES} bytes in UTF-8.
 * @param threadId   the aps thread-id that groups notifications on the device, or null
 * @param customData keys and values placed at the top level of the payload next to aps, such as
 *                   {@code smimePackageId} and {@code landingUrl}. The key {@code aps} is reserved.
 */
public record ApnsNotification(String title, String body, String collapseId, String threadId,
        Map<String, String> customData) {

    /** Maximum length of the apns-collapse-id header, set by APNs. */
    public static final int MAX_COLLAPSE_ID_BYTES = 64;

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Creates a notification. A null customData is an empty map, and the stored copy is sorted by key so
     * that the payload of equal notifications is identical.
     *
     * @throws IllegalArgumentException if collapseId is blank, too long or contains control characters,
     *     threadId is blank, or customData uses the key aps
     */
    public ApnsNotification {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(body, "body");
        if (collapseId != null) {
            validateCollapseId(collapseId);
        }
        if (threadId != null && threadId.isBlank()) {
            throw new IllegalArgumentException("Thread id must be null or not blank");
        }
        customData = copyCustomData(customData);
    }

    /** Builds the JSON payload: the aps dictionary with the alert, the default sound and the thread id, then the custom data. */
    public String toPayloadJson() {
        ObjectNode payload = JSON.createObjectNode();
        ObjectNode aps = payload.putObject("aps");
        ObjectNode alert = aps.putObject("alert");
        alert.put("title", title);
        alert.put("body", body);
        aps.put("sound", "default");
        if (threadId != null) {
            aps.put("thread-id", threadId);
        }
        customData.forEach(payload::put);
        try {
            return JSON.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            // A tree of strings always serializes, so this is a bug in Jackson or its setup.
            throw new IllegalStateException("Serializing the APNs payload failed", e);
        }
    }

    private static void validateCollapseId(String collapseId) {
        if (collapseId.isBlank()) {
            throw new IllegalArgumentException("Collapse id must be null or not blank");
        }
        int bytes = collapseId.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_COLLAPSE_ID_BYTES) {
            throw new IllegalArgumentException("Collapse id is " + bytes + " bytes in UTF-8, maximum is "
                    + MAX_COLLAPSE_ID_BYTES);
        }
        if (collapseId.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("Collapse id must not contain control characters");
        }
    }

    private static Map<String, String> copyCustomData(Map<String, String> customData) {
        if (customData == null) {
            return Map.of();
        }
        TreeMap<String, String> copy = new TreeMap<>();
        customData.forEach((key, value) -> {
            Objects.requireNonNull(key, "customData key");
            Objects.requireNonNull(value, () -> "customData value of " + key);
            copy.put(key, value);
        });
        if (copy.containsKey("aps")) {
            throw new IllegalArgumentException("Custom data must not use the key aps, which APNs reserves");
        }
        return Collections.unmodifiableMap(copy);
    }
}
