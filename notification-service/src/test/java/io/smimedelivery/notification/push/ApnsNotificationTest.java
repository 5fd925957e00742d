package io.smimedelivery.notification.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

class ApnsNotificationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void payloadPutsCustomDataNextToAps() throws Exception {
        ApnsNotification notification = new ApnsNotification("Nuovo certificato", "Apri \"Company Portal\"", null,
                "smime", Map.of("landingUrl", "https://portal.example.it/p/1", "smimePackageId", "p-1"));

        String payload = notification.toPayloadJson();

        assertEquals(JSON.readTree("""
                {"aps":{"alert":{"title":"Nuovo certificato","body":"Apri \\"Company Portal\\""},
                        "sound":"default","thread-id":"smime"},
                 "landingUrl":"https://portal.example.it/p/1","smimePackageId":"p-1"}
                """), JSON.readTree(payload));
    }

    @Test
    void payloadIsIdenticalForEqualData() {
        Map<String, String> ordered = new LinkedHashMap<>();
        ordered.put("b", "2");
        ordered.put("a", "1");
        Map<String, String> reversed = new LinkedHashMap<>();
        reversed.put("a", "1");
        reversed.put("b", "2");

        String first = new ApnsNotification("T", "B", null, null, ordered).toPayloadJson();
        String second = new ApnsNotification("T", "B", null, null, reversed).toPayloadJson();

        assertEquals(first, second);
        assertEquals("{\"aps\":{\"alert\":{\"title\":\"T\",\"body\":\"B\"},\"sound\":\"default\"},\"a\":\"1\",\"b\":\"2\"}",
                first);
    }

    @Test
    void customDataIsCopied() {
        Map<String, String> data = new HashMap<>(Map.of("smimePackageId", "p-1"));
        ApnsNotification notification = new ApnsNotification("T", "B", null, null, data);

        data.put("smimePackageId", "changed");

        assertEquals("p-1", notification.customData().get("smimePackageId"));
        assertThrows(UnsupportedOperationException.class, () -> notification.customData().put("x", "y"));
    }

    @Test
    void nullCustomDataIsEmpty() {
        assertEquals(Map.of(), new ApnsNotification("T", "B", null, null, null).customData());
    }

    @Test
    void apsKeyIsReserved() {
        assertThrows(IllegalArgumentException.class,
                () -> new ApnsNotification("T", "B", null, null, Map.of("aps", "x")));
    }

    @Test
    void collapseIdIsValidated() {
        new ApnsNotification("T", "B", "c".repeat(ApnsNotification.MAX_COLLAPSE_ID_BYTES), null, null);

        assertThrows(IllegalArgumentException.class,
                () -> new ApnsNotification("T", "B", "c".repeat(ApnsNotification.MAX_COLLAPSE_ID_BYTES + 1), null, null));
        assertThrows(IllegalArgumentException.class,
                () -> new ApnsNotification("T", "B", "è".repeat(33), null, null), "66 bytes in UTF-8");
        assertThrows(IllegalArgumentException.class, () -> new ApnsNotification("T", "B", "a\r\nb", null, null));
        assertThrows(IllegalArgumentException.class, () -> new ApnsNotification("T", "B", " ", null, null));
    }

    @Test
    void requiredFieldsAreChecked() {
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("landingUrl", null);

        assertThrows(NullPointerException.class, () -> new ApnsNotification(null, "B", null, null, null));
        assertThrows(NullPointerException.class, () -> new ApnsNotification("T", null, null, null, null));
        assertThrows(NullPointerException.class, () -> new ApnsNotification("T", "B", null, null, nullValue));
        assertThrows(IllegalArgumentException.class, () -> new ApnsNotification("T", "B", null, " ", null));
    }
}
