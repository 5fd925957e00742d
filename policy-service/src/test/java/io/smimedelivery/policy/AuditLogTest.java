package io.smimedelivery.policy;

import static io.restassured.RestAssured.given;
import static io.smimedelivery.policy.PolicyApi.uniqueId;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.smimedelivery.infra.AdminTokens;
import io.smimedelivery.infra.InfrastructureTestResource;

@QuarkusTest
@WithTestResource(value = InfrastructureTestResource.class,
        initArgs = @ResourceArg(name = InfrastructureTestResource.DATABASE_ARG, value = "policy"))
class AuditLogTest {

    private final AdminTokens tokens = AdminTokens.forTests();

    @Test
    void adminActionsRecordedWithResult() {
        String admin = uniqueId("auditor") + "@example.it";
        String reader = uniqueId("viewer") + "@example.it";
        String adminToken = bearer(admin, AdminTokens.ADMIN);
        String readerToken = bearer(reader, AdminTokens.READER);
        String group = uniqueId("grp");
        Instant before = Instant.now().minusSeconds(1);

        given().header("Authorization", adminToken).contentType(ContentType.JSON).body(Map.of("displayName", "Vendite"))
                .put("/api/directory/groups/{id}", group).then().statusCode(201);
        given().header("Authorization", adminToken).contentType(ContentType.JSON).body(Map.of("displayName", ""))
                .put("/api/directory/groups/{id}", group).then().statusCode(400);
        given().header("Authorization", readerToken).delete("/api/directory/groups/{id}", group).then().statusCode(403);
        // Reads are not actions and are not recorded.
        given().header("Authorization", adminToken).get("/api/directory/groups/{id}", group).then().statusCode(200);

        JsonPath adminEvents = given().header("Authorization", adminToken).queryParam("actor", admin)
                .queryParam("from", before.toString()).get("/api/audit")
                .then().statusCode(200).body("", hasSize(2)).extract().jsonPath();
        assertEquals(List.of("FAILED", "SUCCEEDED"), adminEvents.getList("outcome"), "newest first");
        assertEquals(List.of(400, 201), adminEvents.getList("status"));
        assertEquals(List.of("PUT", "PUT"), adminEvents.getList("method"));
        assertEquals("/api/directory/groups/" + group, adminEvents.getString("[0].path"));
        assertEquals(AdminTokens.ADMIN, adminEvents.getString("[0].roles"));

        given().header("Authorization", adminToken).queryParam("actor", reader).get("/api/audit")
                .then().statusCode(200).body("", hasSize(1))
                .body("[0].outcome", equalTo("DENIED")).body("[0].status", equalTo(403))
                .body("[0].method", equalTo("DELETE")).body("[0].roles", equalTo(AdminTokens.READER));
    }

    @Test
    void auditLogOnlyForAdmins() {
        given().header("Authorization", bearer(uniqueId("viewer"), AdminTokens.READER)).get("/api/audit")
                .then().statusCode(403).contentType("application/problem+json");
        given().header("Authorization", bearer(uniqueId("auditor"), AdminTokens.ADMIN)).get("/api/audit")
                .then().statusCode(200).body("", not(empty()));
    }

    @Test
    void invalidFiltersAreProblems() {
        String adminToken = bearer(uniqueId("auditor"), AdminTokens.ADMIN);
        given().header("Authorization", adminToken).queryParam("from", "yesterday").get("/api/audit")
                .then().statusCode(400).body("errors[0].field", equalTo("from")).body("errors[0].value", equalTo("yesterday"));
        given().header("Authorization", adminToken).queryParam("limit", "0").get("/api/audit")
                .then().statusCode(400).body("errors[0].field", equalTo("limit"));
        given().header("Authorization", adminToken).queryParam("limit", "abc").get("/api/audit")
                .then().statusCode(400).body("errors[0].field", equalTo("limit")).body("errors[0].value", equalTo("abc"));
    }

    private String bearer(String subject, String role) {
        return "Bearer " + tokens.token(subject, List.of(role), Duration.ofMinutes(10));
    }
}
