package io.smimedelivery.policy;

import static io.smimedelivery.infra.EndpointSecurityWalk.Rule.*;

import java.util.Map;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smimedelivery.infra.EndpointSecurityWalk.Rule;
import io.smimedelivery.infra.InfrastructureTestResource;
import io.smimedelivery.infra.ServiceFoundationTestBase;

@QuarkusTest
@WithTestResource(value = InfrastructureTestResource.class,
        initArgs = @ResourceArg(name = InfrastructureTestResource.DATABASE_ARG, value = "policy"))
class PolicyServiceFoundationTest extends ServiceFoundationTestBase {

    @Override
    protected String databasePrefix() {
        return "policy";
    }

    @Override
    protected Map<String, Rule> endpointRules() {
        return Map.ofEntries(
                Map.entry("GET /api/audit", ADMIN),
                Map.entry("PUT /api/directory/users/{id}", ADMIN),
                Map.entry("GET /api/directory/users/{id}", READ),
                Map.entry("GET /api/directory/users", READ),
                Map.entry("DELETE /api/directory/users/{id}", ADMIN),
                Map.entry("GET /api/directory/users/{id}/assignments", READ),
                Map.entry("POST /api/directory/users/import", ADMIN),
                Map.entry("POST /api/directory/memberships/import", ADMIN),
                Map.entry("PUT /api/directory/groups/{id}", ADMIN),
                Map.entry("GET /api/directory/groups/{id}", READ),
                Map.entry("GET /api/directory/groups", READ),
                Map.entry("DELETE /api/directory/groups/{id}", ADMIN),
                Map.entry("GET /api/directory/groups/{id}/members", READ),
                Map.entry("PUT /api/directory/groups/{id}/members/{userId}", ADMIN),
                Map.entry("DELETE /api/directory/groups/{id}/members/{userId}", ADMIN),
                Map.entry("GET /api/assignment-jobs/{id}", READ),
                Map.entry("POST /api/policies", ADMIN),
                Map.entry("GET /api/policies", READ),
                Map.entry("GET /api/policies/{id}", READ),
                Map.entry("PUT /api/policies/{id}", ADMIN),
                Map.entry("DELETE /api/policies/{id}", ADMIN),
                Map.entry("GET /api/policies/{id}/versions/{version}", READ),
                Map.entry("GET /api/policies/{id}/assignments", READ),
                Map.entry("PUT /api/policies/{id}/assignments/{groupId}", ADMIN),
                Map.entry("DELETE /api/policies/{id}/assignments/{groupId}", ADMIN),
                Map.entry("GET /api/policies/{id}/jobs", READ),
                Map.entry("GET /api/policies/{id}/app-configuration", READ),
                Map.entry("POST /api/trusted-roots", ADMIN),
                Map.entry("GET /api/trusted-roots", READ),
                Map.entry("GET /api/trusted-roots/{id}", READ),
                Map.entry("DELETE /api/trusted-roots/{id}", ADMIN),
                Map.entry("POST /api/scep-profiles", ADMIN),
                Map.entry("GET /api/scep-profiles", READ),
                Map.entry("GET /api/scep-profiles/{id}", READ),
                Map.entry("DELETE /api/scep-profiles/{id}", ADMIN));
    }
}
