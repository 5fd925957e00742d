package io.smimedelivery.common.openapi;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

import io.smimedelivery.common.problem.ProblemDetail;

/**
 * Documents the RFC 9457 problem responses that every API operation can return: 400 for invalid
 * input, 404 for an unknown id, 409 for a conflict with stored state, and 500 with an error id.
 * Operations with a request body also get 413 for a body or upload over a configured limit. The
 * services register it with {@code mp.openapi.filter}.
 */
public class ProblemResponsesFilter implements OASFilter {

    private static final String SCHEMA_NAME = "ProblemDetail";
    private static final Map<String, String> RESPONSES = Map.of(
            "400", "Invalid request: errors lists each invalid field, its value and the fix",
            "404", "No resource with this id",
            "409", "The request conflicts with stored state, for example a profile still in use",
            "500", "Unexpected error: the detail gives an error id that the service log shows with the cause");
    private static final String TOO_LARGE_STATUS = "413";
    private static final String TOO_LARGE_DESCRIPTION = "The body, or a file or message in it, is larger than a"
            + " configured limit: the detail names the limit and its setting";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        openAPI.getComponents().addSchema(SCHEMA_NAME, problemSchema());
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        for (PathItem path : openAPI.getPaths().getPathItems().values()) {
            for (Operation operation : path.getOperations().values()) {
                addProblemResponses(operation);
            }
        }
    }

    private static void addProblemResponses(Operation operation) {
        if (operation.getResponses() == null) {
            operation.setResponses(OASFactory.createAPIResponses());
        }
        APIResponses responses = operation.getResponses();
        RESPONSES.forEach((status, description) -> addProblemResponse(responses, status, description));
        if (operation.getRequestBody() != null) {
            addProblemResponse(responses, TOO_LARGE_STATUS, TOO_LARGE_DESCRIPTION);
        }
    }

    private static void addProblemResponse(APIResponses responses, String status, String description) {
        if (responses.getAPIResponse(status) == null) {
            responses.addAPIResponse(status, OASFactory.createAPIResponse().description(description)
                    .content(OASFactory.createContent().addMediaType(ProblemDetail.MEDIA_TYPE,
                            OASFactory.createMediaType().schema(OASFactory.createSchema()
                                    .ref("#/components/schemas/" + SCHEMA_NAME)))));
        }
    }

    private static Schema problemSchema() {
        Schema text = OASFactory.createSchema().addType(Schema.SchemaType.STRING);
        Schema fieldError = OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .addProperty("field", OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                        .description("Path of the invalid field, such as members[2].email"))
                .addProperty("value", OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                        .description("The rejected value, cut to 200 characters; absent when missing"))
                .addProperty("message", OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                        .description("What is wrong and how to fix it"));
        return OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .description("RFC 9457 problem details, media type " + ProblemDetail.MEDIA_TYPE)
                .addProperty("type", text)
                .addProperty("title", text)
                .addProperty("status", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER))
                .addProperty("detail", text)
                .addProperty("instance", text)
                .addProperty("errors", OASFactory.createSchema().addType(Schema.SchemaType.ARRAY).items(fieldError))
                .required(List.of("type", "title", "status"));
    }
}
