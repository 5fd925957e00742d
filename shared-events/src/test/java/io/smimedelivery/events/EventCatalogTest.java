package io.smimedelivery.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Checks that docs/events.md matches the event registry and the schemas. Run with
 * -Devents.write-docs=true to regenerate the page after changing an event.
 */
class EventCatalogTest {

    private static final Path PAGE = Path.of(System.getProperty("project.root", "..")).resolve("docs/events.md");

    private static final String INTRODUCTION = """
            # Events

            This page is generated from the event records in shared-events by EventCatalogTest; edit the records
            and run `./mvnw -pl shared-events test -Devents.write-docs=true -Devents.write-schemas=true`.

            ## Record format

            Every record follows the CloudEvents 1.0 Kafka binding in binary mode. The value is the event as
            JSON (UTF-8), and the attributes are headers:

            | header | value |
            |---|---|
            | `ce_id` | event id, unique per event; consumers de-duplicate on it |
            | `ce_type` | event type, such as `io.smimedelivery.policy.assigned.v1` |
            | `ce_source` | producing service, such as `/smime-delivery/policy-service` |
            | `ce_subject` | the record key |
            | `ce_time` | when the event happened, RFC 3339 |
            | `ce_specversion` | `1.0` |
            | `content-type` | `application/json` |

            The record key is the id of the user or device the event is about, so the events of one user or
            one device stay in order. A JSON Schema (draft 2020-12) for each event type is in
            `shared-events/src/main/resources/schemas/<type>.json`.

            Compatibility: a type name ends in a version that changes only for incompatible changes. Within a
            version, producers may add fields and enum values; consumers must ignore fields they do not
            know (the records in shared-events do) and read an unknown enum value as `UNKNOWN`.

            No private key, password, PKCS#12, package body, SCEP challenge or device token travels on a topic.
            An APNs device token that a consumer needs is sealed to that consumer's public key.

            Personal data: the fields marked *personal* below identify a person. Consumers that store them
            must handle them as personal data under the GDPR. Ids are pseudonymous.

            A consumer that cannot process a record writes it to `<topic>.dlq` with the original key, value and
            headers, plus `dead-letter-reason`, `dead-letter-cause`, `dead-letter-exception-class-name`,
            `dead-letter-topic`, `dead-letter-partition` and `dead-letter-offset`.
            """;

    @Test
    void eventsPageIsCurrent() throws IOException {
        String generated = render();
        if (Boolean.getBoolean("events.write-docs")) {
            Files.writeString(PAGE, generated, StandardCharsets.UTF_8);
        }

        assertEquals(generated, Files.readString(PAGE, StandardCharsets.UTF_8),
                "docs/events.md is out of date; run ./mvnw -pl shared-events test -Devents.write-docs=true");
    }

    private static String render() {
        StringBuilder page = new StringBuilder(INTRODUCTION);
        page.append("\n## Topics\n\n| topic | key | producer | consumers | event types |\n|---|---|---|---|---|\n");
        for (Topics.Description topic : Topics.DESCRIPTIONS) {
            List<String> types = new ArrayList<>();
            EventTypes.ALL.stream().filter(type -> type.topic().equals(topic.name()))
                    .forEach(type -> types.add(type.payloadType().getSimpleName()));
            page.append("| `").append(topic.name()).append("` | ").append(topic.key()).append(" | ")
                    .append(topic.producer()).append(" | ").append(String.join(", ", topic.consumers())).append(" | ")
                    .append(String.join(", ", types)).append(" |\n");
        }
        for (EventType<?> type : EventTypes.ALL) {
            ObjectNode schema = EventSchemas.generate(type);
            page.append("\n## ").append(type.payloadType().getSimpleName()).append("\n\n")
                    .append(type.summary()).append("\n\n")
                    .append("Type `").append(type.name()).append("` on `").append(type.topic()).append("`.\n\n");
            appendFields(page, schema, schema, "");
        }
        return page.toString();
    }

    private static void appendFields(StringBuilder page, JsonNode root, JsonNode object, String prefix) {
        if (prefix.isEmpty()) {
            page.append("| field | type | required | personal | description |\n|---|---|---|---|---|\n");
        }
        List<String> required = new ArrayList<>();
        object.path("required").forEach(name -> required.add(name.asText()));
        Iterator<Map.Entry<String, JsonNode>> fields = object.path("properties").fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode definition = resolve(root, field.getValue());
            String name = prefix + field.getKey();
            page.append("| `").append(name).append("` | ").append(typeOf(root, field.getValue())).append(" | ")
                    .append(required.contains(field.getKey()) ? "yes" : "no").append(" | ")
                    .append(field.getValue().path("x-personal-data").asBoolean() ? "personal" : "").append(" | ")
                    .append(field.getValue().path("description").asText()).append(" |\n");
            JsonNode items = resolve(root, definition.path("items"));
            if ("object".equals(definition.path("type").asText())) {
                appendFields(page, root, definition, name + ".");
            } else if ("object".equals(items.path("type").asText())) {
                appendFields(page, root, items, name + "[].");
            }
        }
    }

    private static JsonNode resolve(JsonNode root, JsonNode node) {
        JsonNode current = node;
        if (current.has("anyOf")) {
            for (JsonNode option : current.get("anyOf")) {
                if (!"null".equals(option.path("type").asText())) {
                    current = option;
                }
            }
        }
        if (current.has("$ref")) {
            String name = current.get("$ref").asText().substring("#/$defs/".length());
            return root.path("$defs").path(name);
        }
        return current;
    }

    private static String typeOf(JsonNode root, JsonNode node) {
        JsonNode definition = resolve(root, node);
        if (definition.has("enum")) {
            List<String> values = new ArrayList<>();
            definition.get("enum").forEach(value -> values.add(value.asText()));
            return "one of " + String.join(", ", values);
        }
        String type = definition.path("type").isArray() ? definition.path("type").get(0).asText()
                : definition.path("type").asText();
        if ("array".equals(type)) {
            JsonNode items = resolve(root, definition.path("items"));
            return "array of " + ("object".equals(items.path("type").asText()) ? "objects" : items.path("type").asText());
        }
        String format = definition.path("format").asText();
        return "date-time".equals(format) ? "string (date-time)" : type;
    }
}
