package io.smimedelivery.policy;

import static io.restassured.RestAssured.given;
import static io.smimedelivery.policy.PolicyApi.createPolicy;
import static io.smimedelivery.policy.PolicyApi.validPolicy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

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
class PolicyResourceTest {

    @Test
    void validPolicyCreatedAtVersionOne() {
        String id = createPolicy(validPolicy("Contoso S/MIME"));

        given().get("/api/policies/{id}", id).then().statusCode(200)
                .body("version", equalTo(1))
                .body("settings.deviceEnrollmentType", equalTo("MANAGED_DEVICES"))
                .body("settings.platform", equalTo("IOS_IPADOS"))
                .body("settings.targetApp", equalTo("OUTLOOK_IOS"))
                .body("settings.signingCertificateProfileType", equalTo("IMPORTED_PKCS"))
                .body("settings.ldapHostName", equalTo("ldaps://ldap.example.it:636"));
    }

    @Test
    void editMakesNewVersionAndKeepsOld() {
        String id = createPolicy(validPolicy("Versioned"));
        Map<String, Object> edited = validPolicy("Versioned");
        edited.put("signAllMail", false);

        given().contentType(ContentType.JSON).body(edited).put("/api/policies/{id}", id)
                .then().statusCode(200).body("version", equalTo(2)).body("settings.signAllMail", equalTo(false));
        given().get("/api/policies/{id}/versions/1", id).then().statusCode(200).body("signAllMail", equalTo(true));
        given().contentType(ContentType.JSON).body(edited).put("/api/policies/{id}", id)
                .then().statusCode(200).body("version", equalTo(2));
    }

    @Test
    void scepAsEncryptionRejected() {
        Map<String, Object> policy = validPolicy("SCEP encryption");
        policy.put("encryptionCertificateProfileType", "SCEP");

        given().contentType(ContentType.JSON).body(policy).post("/api/policies")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("encryptionCertificateProfileType"))
                .body("errors[0].value", equalTo("SCEP"))
                .body("detail", containsString("use IMPORTED_PKCS or DERIVED_CREDENTIAL"));
    }

    @Test
    void deployWithoutSmimeRejected() {
        Map<String, Object> policy = validPolicy("No S/MIME");
        policy.put("smimeEnabled", false);
        policy.put("encryptAllMail", false);
        policy.put("signAllMail", false);

        given().contentType(ContentType.JSON).body(policy).post("/api/policies")
                .then().statusCode(400)
                .body("errors[0].field", equalTo("deployCertificates"))
                .body("errors[0].message", containsString("requires smimeEnabled true"));
    }

    @Test
    void unknownEnumValueRejected() {
        Map<String, Object> policy = validPolicy("Unknown notification");
        policy.put("endUserNotification", "CARRIER_PIGEON");

        given().contentType(ContentType.JSON).body(policy).post("/api/policies")
                .then().statusCode(400)
                .body("errors[0].field", equalTo("endUserNotification"))
                .body("errors[0].value", equalTo("CARRIER_PIGEON"))
                .body("errors[0].message", containsString("COMPANY_PORTAL, EMAIL"));
    }

    @Test
    void missingFieldsAllReported() {
        given().contentType(ContentType.JSON).body(Map.of("description", "nothing else")).post("/api/policies")
                .then().statusCode(400)
                .body("errors.field", hasItem("name"))
                .body("errors.field", hasItem("smimeEnabled"))
                .body("errors.field", hasItem("deployCertificates"))
                .body("errors.find { it.field == 'name' }.value", nullValue());
    }

    @Test
    void malformedLdapHostRejected() {
        Map<String, Object> policy = validPolicy("Bad LDAP");
        policy.put("ldapHostName", "http://ldap.example.it/path");

        given().contentType(ContentType.JSON).body(policy).post("/api/policies")
                .then().statusCode(400)
                .body("errors[0].field", equalTo("ldapHostName"))
                .body("errors[0].value", equalTo("http://ldap.example.it/path"))
                .body("errors[0].message", containsString("ldaps://host[:port]"));
    }

    @Test
    void scepSigningNeedsScepProfile() {
        Map<String, Object> policy = validPolicy("SCEP signing");
        policy.put("signingCertificateProfileType", "SCEP");

        given().contentType(ContentType.JSON).body(policy).post("/api/policies")
                .then().statusCode(400).body("errors[0].field", equalTo("scepProfileId"));
    }

    @Test
    void misspeltFieldRejected() {
        Map<String, Object> policy = validPolicy("Typo");
        policy.put("encryptAllMial", true);

        given().contentType(ContentType.JSON).body(policy).post("/api/policies")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("encryptAllMial"));
    }

    @Test
    void assignmentWithoutModeRejected() {
        String policy = createPolicy(validPolicy("Mode required"));
        String group = PolicyApi.uniqueId("grp");
        PolicyApi.putGroup(group);

        given().contentType(ContentType.JSON).body("{}").put("/api/policies/{id}/assignments/{g}", policy, group)
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("mode"));
        given().contentType(ContentType.JSON).put("/api/policies/{id}/assignments/{g}", policy, group)
                .then().statusCode(400).body("errors[0].field", equalTo("mode"));
        given().get("/api/policies/{id}/assignments", policy).then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void wrongJsonTypeNamesExpectedValue() {
        Map<String, Object> policy = validPolicy("Wrong type");
        policy.put("smimeEnabled", "sometimes");

        given().contentType(ContentType.JSON).body(policy).post("/api/policies")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("smimeEnabled"))
                .body("errors[0].message", equalTo("expected true or false"));
    }

    @Test
    void malformedJsonIsProblem() {
        given().contentType(ContentType.JSON).body("{\"name\": ").post("/api/policies")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("not valid JSON"));
    }

    @Test
    void unknownPolicyIsNotFound() {
        given().get("/api/policies/{id}", "6b1d2f7e-0000-4000-8000-000000000000")
                .then().statusCode(404).contentType("application/problem+json");
        given().get("/api/policies/{id}", "not-a-uuid").then().statusCode(404).contentType("application/problem+json")
                .body("detail", containsString("policy ids are UUIDs"));
    }
}
