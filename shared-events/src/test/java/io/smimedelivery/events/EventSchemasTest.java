package io.smimedelivery.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * Checks every event type against its committed JSON Schema. Run with -Devents.write-schemas=true to
 * regenerate the schema files after changing a record.
 */
class EventSchemasTest {

    private static final Path SCHEMA_DIR = Path.of(System.getProperty("project.root", ".."))
            .resolve("shared-events/src/main/resources/schemas");
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();

    static Iterable<EventType<?>> eventTypes() {
        return EventTypes.ALL;
    }

    @ParameterizedTest
    @MethodSource("eventTypes")
    void committedSchemaMatchesRecord(EventType<?> type) throws IOException {
        String generated = EventJson.mapper().writerWithDefaultPrettyPrinter()
                .writeValueAsString(EventSchemas.generate(type)) + "\n";
        Path file = SCHEMA_DIR.resolve(type.name() + ".json");
        if (Boolean.getBoolean("events.write-schemas")) {
            Files.writeString(file, generated, StandardCharsets.UTF_8);
        }

        assertTrue(Files.exists(file), "missing " + file + "; run the tests with -Devents.write-schemas=true");
        assertEquals(generated, Files.readString(file, StandardCharsets.UTF_8),
                file + " is out of date; run the tests with -Devents.write-schemas=true and commit the result");
        assertNotNull(EventSchemasTest.class.getResource(type.schemaResource()), "schema is on the classpath");
    }

    @ParameterizedTest
    @MethodSource("eventTypes")
    void sampleRoundTripsAndValidates(EventType<?> type) throws IOException {
        Object sample = EventSamples.sample(type);
        byte[] json = EventJson.toBytes(sample);

        assertEquals(Set.of(), schema(type).validate(EventJson.mapper().readTree(json)));
        assertEquals(sample, EventJson.fromBytes(json, type.payloadType()));
    }

    @ParameterizedTest
    @MethodSource("eventTypes")
    void unknownFieldIsAccepted(EventType<?> type) throws IOException {
        ObjectNode json = (ObjectNode) EventJson.mapper().valueToTree(EventSamples.sample(type));
        json.put("addedInALaterVersion", "some value");
        byte[] bytes = EventJson.mapper().writeValueAsBytes(json);

        assertEquals(Set.of(), schema(type).validate(json));
        assertEquals(EventSamples.sample(type), EventJson.fromBytes(bytes, type.payloadType()));
    }

    @ParameterizedTest
    @MethodSource("eventTypes")
    void missingRequiredFieldIsRejected(EventType<?> type) throws IOException {
        ObjectNode json = (ObjectNode) EventJson.mapper().valueToTree(EventSamples.sample(type));
        String required = schemaNode(type).get("required").get(0).asText();
        json.remove(required);

        Set<ValidationMessage> errors = schema(type).validate(json);
        assertFalse(errors.isEmpty(), "schema rejects a payload without " + required);
        assertThrows(InvalidEventException.class,
                () -> EventJson.fromBytes(EventJson.mapper().writeValueAsBytes(json), type.payloadType()));
    }

    @ParameterizedTest
    @MethodSource("eventTypes")
    void keyIsTopicAggregateId(EventType<?> type) {
        String key = type.keyOf(EventSamples.sample(type));

        String expected = Topics.DESCRIPTIONS.stream().filter(topic -> topic.name().equals(type.topic()))
                .findFirst().orElseThrow().key().equals("user id") ? "usr-1" : "dev-1";
        assertEquals(expected, key);
    }

    @org.junit.jupiter.api.Test
    void unknownEnumValueReadsAsUnknown() throws IOException {
        ObjectNode json = (ObjectNode) EventJson.mapper().valueToTree(EventSamples.sample(EventTypes.NOTIFICATION_SENT));
        json.put("channel", "CARRIER_PIGEON");

        NotificationSent event = EventJson.fromBytes(EventJson.mapper().writeValueAsBytes(json), NotificationSent.class);

        assertEquals(DeliveryChannel.UNKNOWN, event.channel());
    }

    @org.junit.jupiter.api.Test
    void notJsonIsInvalidEvent() {
        InvalidEventException error = assertThrows(InvalidEventException.class,
                () -> EventJson.fromBytes("not-json{".getBytes(StandardCharsets.UTF_8), PolicyAssigned.class));

        assertTrue(error.getMessage().startsWith("Invalid PolicyAssigned payload"), error.getMessage());
    }

    private static JsonNode schemaNode(EventType<?> type) throws IOException {
        try (InputStream in = EventSchemasTest.class.getResourceAsStream(type.schemaResource())) {
            assertNotNull(in, "schema resource " + type.schemaResource());
            return EventJson.mapper().readTree(in);
        }
    }

    private static JsonSchema schema(EventType<?> type) throws IOException {
        return FACTORY.getSchema(schemaNode(type), CONFIG);
    }
}
