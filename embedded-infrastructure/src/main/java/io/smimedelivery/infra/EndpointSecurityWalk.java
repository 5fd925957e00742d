package io.smimedelivery.infra;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Walks every operation of a running service's OpenAPI document and checks who may call it. Each
 * operation must have a rule in the service's table. An operation without a rule fails the walk, and so
 * does a rule without an operation, so every new endpoint needs a decision on who may call it.
 *
 * <p>Per rule, the walk sends requests with no token, the right and wrong roles, and tokens that are
 * expired, from another issuer, for another audience or signed by another key, and checks for 401
 * (problem details with a challenge), 403, or neither.
 */
public final class EndpointSecurityWalk {

    /** Access rule of an endpoint: the callers it admits. */
    public enum Rule {
        /** smime-admin only. */
        ADMIN,
        /** smime-admin or smime-reader. */
        READ,
        /** smime-admin or smime-enroller. */
        ENROLL,
        /** Only the device named in the path, with its own device token. */
        DEVICE,
        /** An administrator token with smime-admin or smime-reader, or the device's own token. */
        DEVICE_OR_READ,
        /** Anyone: the protocol or page authenticates by other means. */
        PUBLIC
    }

    private static final Set<String> METHODS = Set.of("get", "post", "put", "delete", "patch");

    private final List<String> failures = new ArrayList<>();
    private final String admin;
    private final String reader;
    private final String enroller;
    private final String noRole;
    private final String expired;
    private final String otherIssuer;
    private final String otherAudience;
    private final String foreignKey;

    /** Signs the tokens of the walk once; every endpoint gets the same ones. */
    private EndpointSecurityWalk(AdminTokens otherKey) {
        AdminTokens tokens = AdminTokens.forTests();
        Instant now = Instant.now();
        Duration hour = Duration.ofHours(1);
        admin = tokens.token("walk-admin", List.of(AdminTokens.ADMIN), hour);
        reader = tokens.token("walk-reader", List.of(AdminTokens.READER), hour);
        enroller = tokens.token("walk-enroller", List.of(AdminTokens.ENROLLER), hour);
        noRole = tokens.token("walk-nobody", List.of(), hour);
        expired = tokens.token(AdminTokens.ISSUER, AdminTokens.AUDIENCE, "walk-admin", List.of(AdminTokens.ADMIN),
                now.minus(Duration.ofHours(2)), hour);
        otherIssuer = tokens.token("https://issuer.invalid/other", AdminTokens.AUDIENCE, "walk-admin",
                List.of(AdminTokens.ADMIN), now, hour);
        otherAudience = tokens.token(AdminTokens.ISSUER, "another-service", "walk-admin", List.of(AdminTokens.ADMIN), now,
                hour);
        foreignKey = otherKey.token("walk-admin", List.of(AdminTokens.ADMIN), hour);
    }

    /**
     * Checks every operation of the service under test against {@code rules}, keyed by method and path
     * template as the OpenAPI document writes them, such as {@code "GET /api/policies/{id}"}.
     *
     * @param otherKeyFolder a folder for a second signing key, whose tokens the service must reject
     */
    public static void check(Map<String, Rule> rules, java.nio.file.Path otherKeyFolder) {
        EndpointSecurityWalk walk = new EndpointSecurityWalk(AdminTokens.inDirectory(otherKeyFolder));
        Set<String> operations = walk.operations();
        Set<String> unruled = new TreeSet<>(operations);
        unruled.removeAll(rules.keySet());
        Set<String> stale = new TreeSet<>(rules.keySet());
        stale.removeAll(operations);
        assertTrue(unruled.isEmpty(), "Endpoints without a role rule in the test's table: " + unruled);
        assertTrue(stale.isEmpty(), "Role rules for endpoints the service does not have: " + stale);
        rules.forEach(walk::checkOne);
        if (!walk.failures.isEmpty()) {
            fail(walk.failures.size() + " endpoint check(s) failed:\n" + String.join("\n", walk.failures));
        }
    }

    private Set<String> operations() {
        JsonPath openApi = given().noFilters().queryParam("format", "json")
                .get("/q/openapi").then().statusCode(200).extract().jsonPath();
        Map<String, Map<String, Object>> paths = openApi.getMap("paths");
        Set<String> operations = new TreeSet<>();
        paths.forEach((path, item) -> item.keySet().stream().filter(METHODS::contains)
                .forEach(method -> operations.add(method.toUpperCase(java.util.Locale.ROOT) + " " + path)));
        return operations;
    }

    private void checkOne(String operation, Rule rule) {
        String method = operation.substring(0, operation.indexOf(' '));
        String path = operation.substring(operation.indexOf(' ') + 1).replaceAll("\\{([^}]+)}", "walk-$1");
        switch (rule) {
            case ADMIN, READ, ENROLL -> {
                expectChallenge(operation, "no token", send(method, path, null), "Bearer");
                for (String rejected : List.of(expired, otherIssuer, otherAudience, foreignKey)) {
                    expectChallenge(operation, "a rejected token", send(method, path, rejected), "Bearer");
                }
                expectStatus(operation, "a token without roles", send(method, path, noRole), 403);
                expectAllowed(operation, "smime-admin", send(method, path, admin));
                check(operation, "smime-reader", send(method, path, reader), rule == Rule.READ);
                check(operation, "smime-enroller", send(method, path, enroller), rule == Rule.ENROLL);
            }
            case DEVICE -> {
                expectChallenge(operation, "no token", send(method, path, null), "Device");
                expectStatus(operation, "an administrator token", send(method, path, admin), 401);
            }
            case DEVICE_OR_READ -> {
                expectChallenge(operation, "no token", send(method, path, null), "Device");
                expectAllowed(operation, "smime-reader", send(method, path, reader));
                expectStatus(operation, "a token without roles", send(method, path, noRole), 403);
                expectChallenge(operation, "an expired token", send(method, path, expired), "Bearer");
            }
            case PUBLIC -> expectAllowed(operation, "no token", send(method, path, null));
            default -> throw new IllegalStateException("Unknown rule " + rule);
        }
    }

    private static Response send(String method, String path, String bearer) {
        RequestSpecification request = given().noFilters().redirects().follow(false);
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        if (!method.equals("GET") && !method.equals("DELETE")) {
            request.contentType("application/json").body("{}");
        }
        return request.request(method, path);
    }

    private void check(String operation, String who, Response response, boolean allowed) {
        if (allowed) {
            expectAllowed(operation, who, response);
        } else {
            expectStatus(operation, who, response, 403);
        }
    }

    private void expectChallenge(String operation, String who, Response response, String scheme) {
        if (response.statusCode() != 401) {
            failures.add(operation + " with " + who + ": expected 401, got " + response.statusCode());
            return;
        }
        String challenge = response.header("WWW-Authenticate");
        if (challenge == null || !challenge.startsWith(scheme)) {
            failures.add(operation + " with " + who + ": expected a " + scheme + " challenge, got " + challenge);
        }
        expectProblem(operation, who, response);
    }

    private void expectStatus(String operation, String who, Response response, int status) {
        if (response.statusCode() != status) {
            failures.add(operation + " with " + who + ": expected " + status + ", got " + response.statusCode());
            return;
        }
        expectProblem(operation, who, response);
    }

    private void expectAllowed(String operation, String who, Response response) {
        int status = response.statusCode();
        // 503 is a configured refusal, such as /scep without an issuing CA; 500 would be a fault.
        if (status == 401 || status == 403 || status == 500) {
            failures.add(operation + " with " + who + ": expected to pass authorization, got " + status);
        }
    }

    private void expectProblem(String operation, String who, Response response) {
        String type = response.contentType();
        if (type == null || !type.startsWith("application/problem+json")) {
            failures.add(operation + " with " + who + ": expected application/problem+json, got " + type);
        }
    }
}
