package io.smimedelivery.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.module.jackson.JacksonModule;

/** Generates the JSON Schema (draft 2020-12) of an event payload from its record. */
final class EventSchemas {

    private static final SchemaGenerator GENERATOR = createGenerator();

    private EventSchemas() {
    }

    static ObjectNode generate(EventType<?> type) {
        ObjectNode schema = GENERATOR.generateSchema(type.payloadType());
        ObjectNode root = EventJson.mapper().createObjectNode();
        root.put("$schema", schema.get("$schema").asText());
        root.put("$id", "urn:smime-delivery:schema:" + type.name());
        root.put("title", type.payloadType().getSimpleName());
        root.put("description", type.summary() + " Topic " + type.topic() + ", CloudEvents type " + type.name() + ".");
        schema.remove("$schema");
        root.setAll(schema);
        return root;
    }

    private static SchemaGenerator createGenerator() {
        SchemaGeneratorConfigBuilder builder = new SchemaGeneratorConfigBuilder(EventJson.mapper(),
                SchemaVersion.DRAFT_2020_12, OptionPreset.PLAIN_JSON)
                .with(new JacksonModule())
                .with(Option.EXTRA_OPEN_API_FORMAT_VALUES)
                .with(Option.FLATTENED_ENUMS)
                .with(Option.NULLABLE_FIELDS_BY_DEFAULT)
                .without(Option.SCHEMA_VERSION_INDICATOR, Option.DEFINITIONS_FOR_ALL_OBJECTS);
        builder.with(Option.SCHEMA_VERSION_INDICATOR);
        builder.forFields()
                .withRequiredCheck(field -> field.getAnnotationConsideringFieldAndGetter(Nullable.class) == null)
                .withNullableCheck(field -> field.getAnnotationConsideringFieldAndGetter(Nullable.class) != null)
                .withInstanceAttributeOverride((attributes, field, context) -> {
                    if (field.getAnnotationConsideringFieldAndGetter(PersonalData.class) != null) {
                        attributes.put("x-personal-data", true);
                    }
                });
        return new SchemaGenerator(builder.build());
    }
}
