package io.smimedelivery.device;

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
        initArgs = @ResourceArg(name = InfrastructureTestResource.DATABASE_ARG, value = "device"))
class DeviceServiceFoundationTest extends ServiceFoundationTestBase {

    @Override
    protected String databasePrefix() {
        return "device";
    }

    @Override
    protected Map<String, Rule> endpointRules() {
        return Map.ofEntries(
                Map.entry("GET /api/audit", ADMIN),
                Map.entry("GET /landing/{deviceId}", PUBLIC),
                Map.entry("GET /api/reports/policies/{policyId}", READ),
                Map.entry("GET /api/reports/policies/{policyId}/devices", READ),
                Map.entry("GET /api/reports/policies/{policyId}/devices.csv", READ),
                Map.entry("GET /api/reports/users/{userId}", READ),
                Map.entry("POST /api/devices", ENROLL),
                Map.entry("GET /api/devices", READ),
                Map.entry("GET /api/devices/{deviceId}", READ),
                Map.entry("GET /api/devices/{deviceId}/status", DEVICE_OR_READ),
                Map.entry("PUT /api/devices/{deviceId}/push-token", DEVICE),
                Map.entry("POST /api/devices/{deviceId}/retire", ADMIN),
                Map.entry("POST /api/devices/{deviceId}/installations", DEVICE));
    }
}
