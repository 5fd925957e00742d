package io.smimedelivery.policy;

import static io.restassured.RestAssured.given;
import static io.smimedelivery.policy.PolicyApi.uniqueId;
import static io.smimedelivery.policy.PolicyApi.validPolicy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smimedelivery.infra.InfrastructureTestResource;

/**
 * Bounds on the policy-service input over HTTP. The test profile in application.properties sets
 * smime.limits.import-rows to 2500; a rejected import stores none of its rows.
 */
@QuarkusTest
@WithTestResource(value = InfrastructureTestResource.class,
        initArgs = @ResourceArg(name = InfrastructureTestResource.DATABASE_ARG, value = "policy"))
class InputLimitsTest {

    private static final int MAX_ROWS = 2500;

    @Test
    void csvImportOverRowLimitIsProblem() {
        String prefix = uniqueId("over");
        StringBuilder csv = new StringBuilder("id,userPrincipalName,email,displayName,preferredLanguage\n");
        for (int i = 0; i <= MAX_ROWS; i++) {
            String id = prefix + "-" + i;
            csv.append(id).append(',').append(id).append("@example.it,").append(id).append("@example.it,User ").append(i)
                    .append(",it\n");
        }

        given().contentType("text/csv").body(csv.toString()).post("/api/directory/users/import")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("body"))
                .body("errors[0].value", equalTo("more than " + MAX_ROWS + " rows"))
                .body("detail", containsString("smime.limits.import-rows"));

        given().get("/api/directory/users/{id}", prefix + "-0").then().statusCode(404);
        given().get("/api/directory/users/{id}", prefix + "-" + MAX_ROWS).then().statusCode(404);
    }

    @Test
    void jsonMembershipImportOverRowLimitIsProblem() {
        String group = uniqueId("grp");
        PolicyApi.putGroup(group);
        String user = uniqueId("usr");
        PolicyApi.putUser(user, user + "@example.it", "it");
        List<Map<String, String>> rows = new ArrayList<>();
        rows.add(Map.of("groupId", group, "userId", user));
        for (int i = 1; i <= MAX_ROWS; i++) {
            rows.add(Map.of("groupId", group, "userId", "missing-" + i));
        }

        given().contentType(ContentType.JSON).body(rows).post("/api/directory/memberships/import")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("body"))
                .body("detail", containsString("smime.limits.import-rows"));

        given().get("/api/directory/groups/{id}/members", group).then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void longGroupFieldsAreProblems() {
        String group = uniqueId("grp");

        given().contentType(ContentType.JSON).body(Map.of("displayName", "G".repeat(257)))
                .put("/api/directory/groups/{id}", group)
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("displayName"))
                .body("errors[0].message", containsString("at most 256"));
        given().contentType(ContentType.JSON).body(Map.of("displayName", "Group", "description", "D".repeat(1001)))
                .put("/api/directory/groups/{id}", group)
                .then().statusCode(400)
                .body("errors[0].field", equalTo("description"))
                .body("errors[0].message", containsString("at most 1000"));

        given().get("/api/directory/groups/{id}", group).then().statusCode(404);
    }

    @Test
    void longTrustedRootNameIsProblem() {
        given().contentType(ContentType.JSON).body(Map.of("name", "R".repeat(201), "certificatePem", "x"))
                .post("/api/trusted-roots")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("name"))
                .body("errors[0].message", containsString("at most 200"));
    }

    @Test
    void policyFieldBoundsAreProblems() {
        Map<String, Object> longDescription = validPolicy(uniqueId("policy"));
        longDescription.put("description", "D".repeat(1001));
        given().contentType(ContentType.JSON).body(longDescription).post("/api/policies")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("description"))
                .body("errors[0].message", containsString("at most 1000"));

        Map<String, Object> manyRoots = validPolicy(uniqueId("policy"));
        manyRoots.put("trustedRootProfileIds", Collections.nCopies(101, UUID.randomUUID().toString()));
        given().contentType(ContentType.JSON).body(manyRoots).post("/api/policies")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("trustedRootProfileIds"))
                .body("errors[0].value", equalTo("101 ids"))
                .body("errors[0].message", containsString("at most 100"));
    }
}
