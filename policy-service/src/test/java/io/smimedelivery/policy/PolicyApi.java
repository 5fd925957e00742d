package io.smimedelivery.policy;

import static io.restassured.RestAssured.given;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.restassured.http.ContentType;

/** REST calls the policy-service tests share, made as an administrator's client would make them. */
final class PolicyApi {

    private PolicyApi() {
    }

    static String uniqueId(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static void putUser(String id, String email, String language) {
        given().contentType(ContentType.JSON)
                .body(Map.of("userPrincipalName", email, "email", email, "displayName", "User " + id,
                        "preferredLanguage", language))
                .put("/api/directory/users/{id}", id)
                .then().statusCode(org.hamcrest.Matchers.anyOf(org.hamcrest.Matchers.is(200), org.hamcrest.Matchers.is(201)));
    }

    static void putGroup(String id) {
        given().contentType(ContentType.JSON).body(Map.of("displayName", "Group " + id))
                .put("/api/directory/groups/{id}", id)
                .then().statusCode(org.hamcrest.Matchers.anyOf(org.hamcrest.Matchers.is(200), org.hamcrest.Matchers.is(201)));
    }

    static void addMember(String groupId, String userId) {
        given().put("/api/directory/groups/{group}/members/{user}", groupId, userId)
                .then().statusCode(org.hamcrest.Matchers.anyOf(org.hamcrest.Matchers.is(200), org.hamcrest.Matchers.is(201)));
    }

    /** Returns a valid policy that deploys imported certificates and notifies by e-mail. */
    static Map<String, Object> validPolicy(String name) {
        Map<String, Object> policy = new HashMap<>();
        policy.put("name", name);
        policy.put("description", "S/MIME for managed iPhones");
        policy.put("smimeEnabled", true);
        policy.put("deployCertificates", true);
        policy.put("signingCertificateProfileType", "IMPORTED_PKCS");
        policy.put("encryptionCertificateProfileType", "IMPORTED_PKCS");
        policy.put("endUserNotification", "EMAIL");
        policy.put("encryptAllMail", true);
        policy.put("encryptAllMailUserChangeAllowed", true);
        policy.put("signAllMail", true);
        policy.put("signAllMailUserChangeAllowed", false);
        policy.put("ldapHostName", "ldaps://ldap.example.it:636");
        policy.put("trustedRootProfileIds", List.of());
        return policy;
    }

    static String createPolicy(Map<String, Object> policy) {
        return given().contentType(ContentType.JSON).body(policy).post("/api/policies")
                .then().statusCode(201).extract().path("id");
    }

    static String assign(String policyId, String groupId, String mode) {
        return given().contentType(ContentType.JSON).body(Map.of("mode", mode))
                .put("/api/policies/{id}/assignments/{group}", policyId, groupId)
                .then().statusCode(202).extract().path("id");
    }

    /** Waits until the job is COMPLETED and returns its final view. */
    static Map<String, Object> awaitJob(String jobId) {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Map<String, Object> job = given().get("/api/assignment-jobs/{id}", jobId).then().statusCode(200)
                    .extract().jsonPath().getMap("$");
            if ("COMPLETED".equals(job.get("status"))) {
                return job;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("job " + jobId + " did not complete within 60 s");
    }
}
