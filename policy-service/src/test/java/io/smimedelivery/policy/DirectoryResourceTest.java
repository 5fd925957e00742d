package io.smimedelivery.policy;

import static io.restassured.RestAssured.given;
import static io.smimedelivery.policy.PolicyApi.putGroup;
import static io.smimedelivery.policy.PolicyApi.uniqueId;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smimedelivery.infra.InfrastructureTestResource;

@QuarkusTest
@WithTestResource(value = InfrastructureTestResource.class,
        initArgs = @ResourceArg(name = InfrastructureTestResource.DATABASE_ARG, value = "policy"))
class DirectoryResourceTest {

    @Test
    void userCreatedThenUpdated() {
        String id = uniqueId("usr");
        Map<String, Object> user = Map.of("userPrincipalName", id + "@example.it", "email", id + "@example.it",
                "displayName", "Giulia Bianchi", "preferredLanguage", "it-it");

        given().contentType(ContentType.JSON).body(user).put("/api/directory/users/{id}", id)
                .then().statusCode(201).body("preferredLanguage", equalTo("it-IT"));
        given().contentType(ContentType.JSON).body(user).put("/api/directory/users/{id}", id)
                .then().statusCode(200).body("displayName", equalTo("Giulia Bianchi"));
    }

    @Test
    void invalidUserRejectedWithFields() {
        given().contentType(ContentType.JSON)
                .body(Map.of("userPrincipalName", "no-at-sign", "email", "a@b@c", "displayName", "X", "preferredLanguage", "??"))
                .put("/api/directory/users/{id}", uniqueId("usr"))
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("userPrincipalName"))
                .body("errors.field", hasItem("email"))
                .body("errors.field", hasItem("preferredLanguage"))
                .body("errors.find { it.field == 'email' }.value", equalTo("a@b@c"));
    }

    @Test
    void internationalDomainAccepted() {
        String id = uniqueId("usr");
        given().contentType(ContentType.JSON)
                .body(Map.of("userPrincipalName", id + "@example.it", "email", "niccolò@università.it", "displayName", "Niccolò"))
                .put("/api/directory/users/{id}", id)
                .then().statusCode(201).body("email", equalTo("niccolò@università.it"));
    }

    @Test
    void csvImportReportsBadRowLine() {
        String a = uniqueId("csv");
        String b = uniqueId("csv");
        String c = uniqueId("csv");
        String csv = "id,userPrincipalName,email,displayName,preferredLanguage\n"
                + a + "," + a + "@example.it," + a + "@example.it,\"Rossi, Mario\",it\n"
                + b + "," + b + "@example.it,not-an-address,Anna Verdi,en\n"
                + "\n"
                + c + "," + c + "@example.it," + c + "@example.it,Luca Neri,\n";

        List<Map<String, Object>> rows = given().contentType("text/csv").body(csv).post("/api/directory/users/import")
                .then().statusCode(200)
                .body("total", equalTo(3))
                .body("created", equalTo(2))
                .body("rejected", equalTo(1))
                .extract().jsonPath().getList("rows");

        assertEquals("CREATED", rows.get(0).get("status"));
        assertEquals("REJECTED", rows.get(1).get("status"));
        assertEquals(3, rows.get(1).get("line"));
        assertEquals(b, rows.get(1).get("key"));
        assertEquals("CREATED", rows.get(2).get("status"));
        assertEquals(5, rows.get(2).get("line"));
        given().get("/api/directory/users/{id}", a).then().statusCode(200).body("displayName", equalTo("Rossi, Mario"));
        given().get("/api/directory/users/{id}", b).then().statusCode(404);
    }

    @Test
    void jsonImportStreamsRows() {
        String a = uniqueId("json");
        String b = uniqueId("json");
        String body = "[\n"
                + "  {\"id\": \"" + a + "\", \"userPrincipalName\": \"" + a + "@example.it\", \"email\": \"" + a + "@example.it\", \"displayName\": \"A\"},\n"
                + "  {\"id\": \"" + b + "\", \"userPrincipalName\": \"" + b + "@example.it\", \"email\": \"" + b + "@example.it\", \"displayName\": \"B\", \"colour\": \"red\"}\n"
                + "]";

        given().contentType(ContentType.JSON).body(body).post("/api/directory/users/import")
                .then().statusCode(200)
                .body("created", equalTo(1))
                .body("rejected", equalTo(1))
                .body("rows[1].line", equalTo(3))
                .body("rows[1].errors[0].message", containsString("unknown field colour"));
    }

    @Test
    void largeCsvImportCompletes() {
        String prefix = uniqueId("bulk");
        StringBuilder csv = new StringBuilder("id,userPrincipalName,email,displayName,preferredLanguage\n");
        for (int i = 0; i < 2000; i++) {
            String id = prefix + "-" + i;
            csv.append(id).append(',').append(id).append("@example.it,").append(id).append("@example.it,User ").append(i).append(",it\n");
        }

        given().contentType("text/csv").body(csv.toString()).post("/api/directory/users/import")
                .then().statusCode(200).body("created", equalTo(2000)).body("rejected", equalTo(0));
    }

    @Test
    void emptyCsvBodyIsProblem() {
        given().contentType("text/csv").body("").post("/api/directory/users/import")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("body"))
                .body("detail", containsString("id,userPrincipalName,email,displayName,preferredLanguage"));
    }

    @Test
    void unknownCsvColumnNamed() {
        given().contentType("text/csv").body("id,userPrincipalName,emial,displayName\nx,x@example.it,x@example.it,X\n")
                .post("/api/directory/users/import")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("unknown column emial"));
        given().contentType("text/csv").body("id;userPrincipalName;email;displayName\n")
                .post("/api/directory/users/import")
                .then().statusCode(400).body("detail", containsString("separated by commas"));
    }

    @Test
    void jsonBodyNotArrayIsProblem() {
        given().contentType(ContentType.JSON).body("{\"id\": \"x\"}").post("/api/directory/users/import")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("JSON array"));
    }

    @Test
    void repeatedRowRejected() {
        String id = uniqueId("dup");
        String csv = "id,userPrincipalName,email,displayName\n"
                + id + "," + id + "@example.it," + id + "@example.it,First\n"
                + id + "," + id + "@example.it," + id + "@example.it,Second\n";

        given().contentType("text/csv").body(csv).post("/api/directory/users/import")
                .then().statusCode(200)
                .body("created", equalTo(1))
                .body("rejected", equalTo(1))
                .body("rows[1].errors[0].message", containsString("repeats row 1"));
        given().get("/api/directory/users/{id}", id).then().body("displayName", equalTo("First"));
    }

    @Test
    void nonNumericLimitIsProblem() {
        given().queryParam("limit", "abc").get("/api/directory/users")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("limit"))
                .body("errors[0].value", equalTo("abc"));
    }

    @Test
    void membershipImportAddsAndRejects() {
        String group = uniqueId("grp");
        String user = uniqueId("usr");
        putGroup(group);
        PolicyApi.putUser(user, user + "@example.it", "en");
        String csv = "groupId,userId,userPrincipalName,action\n"
                + group + ",,"+ user + "@example.it,ADD\n"
                + group + ",nobody,,ADD\n"
                + "no-such-group," + user + ",,ADD\n";

        given().contentType("text/csv").body(csv).post("/api/directory/memberships/import")
                .then().statusCode(200)
                .body("created", equalTo(1))
                .body("rejected", equalTo(2))
                .body("rows[1].errors[0].field", equalTo("userId"))
                .body("rows[2].errors[0].field", equalTo("groupId"));
        given().get("/api/directory/groups/{id}/members", group).then().statusCode(200).body("$", hasItem(user));
    }
}
