package io.smimedelivery.events.appconfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smimedelivery.events.appconfig.SamplePolicies.Sample;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class OutlookAppConfigJsonTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    static Stream<Sample> samples() {
        return SamplePolicies.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void jsonParsesBackToSameMap(Sample sample) throws IOException {
        String json = OutlookAppConfig.toJson(OutlookAppConfig.keys(sample.settings()));

        Map<String, Object> parsed = MAPPER.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {
        });

        assertEquals(sample.expected(), parsed);
        assertEquals(new ArrayList<>(sample.expected().keySet()), new ArrayList<>(parsed.keySet()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void jsonUsesBooleanAndStringNodes(Sample sample) throws IOException {
        JsonNode root = MAPPER.readTree(OutlookAppConfig.toJson(OutlookAppConfig.keys(sample.settings())));

        assertTrue(root.isObject());
        for (Map.Entry<String, Object> expected : sample.expected().entrySet()) {
            JsonNode node = root.get(expected.getKey());
            if (expected.getValue() instanceof Boolean flag) {
                assertTrue(node.isBoolean(), expected.getKey() + " is " + node.getNodeType());
                assertEquals(flag, node.booleanValue(), expected.getKey());
            } else {
                assertTrue(node.isTextual(), expected.getKey() + " is " + node.getNodeType());
                assertEquals(expected.getValue(), node.textValue(), expected.getKey());
            }
        }
    }

    @Test
    void jsonMatchesGoldenFile() throws IOException {
        String json = OutlookAppConfig.toJson(OutlookAppConfig.keys(SamplePolicies.fullPolicyWithLdap().settings()));

        assertEquals(readResource("/appconfig/full-policy.json").strip(), json);
    }

    @Test
    void jsonKeepsFieldOrder() throws IOException {
        Sample sample = SamplePolicies.fullPolicyWithLdap();
        JsonNode root = MAPPER.readTree(OutlookAppConfig.toJson(OutlookAppConfig.keys(sample.settings())));

        List<String> fieldNames = new ArrayList<>();
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            fieldNames.add(names.next());
        }
        assertEquals(new ArrayList<>(sample.expected().keySet()), fieldNames);
    }

    @Test
    void jsonIsDeterministic() {
        OutlookSmimeSettings settings = SamplePolicies.ldapValueNeedingEscapes().settings();

        String first = OutlookAppConfig.toJson(OutlookAppConfig.keys(settings));
        String second = OutlookAppConfig.toJson(OutlookAppConfig.keys(settings));

        assertEquals(first, second);
    }

    @Test
    void jsonRejectsIntegerValue() {
        Map<String, Object> keys = SamplePolicies.ordered("com.example.Count", 3);

        IllegalArgumentException error =
                assertThrows(IllegalArgumentException.class, () -> OutlookAppConfig.toJson(keys));

        assertTrue(error.getMessage().contains("com.example.Count"), error.getMessage());
    }

    @Test
    void jsonRejectsNullValue() {
        Map<String, Object> keys = new HashMap<>();
        keys.put("com.example.Missing", null);

        assertThrows(IllegalArgumentException.class, () -> OutlookAppConfig.toJson(keys));
    }

    @Test
    void jsonRejectsEmptyKey() {
        Map<String, Object> keys = SamplePolicies.ordered("", true);

        assertThrows(IllegalArgumentException.class, () -> OutlookAppConfig.toJson(keys));
    }

    @Test
    void jsonOfEmptyMapIsEmptyObject() {
        assertEquals("{}", OutlookAppConfig.toJson(Map.of()));
    }

    private static String readResource(String path) throws IOException {
        try (InputStream in = OutlookAppConfigJsonTest.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException("Test resource not found: " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
