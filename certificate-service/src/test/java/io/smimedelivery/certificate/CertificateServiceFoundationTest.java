package io.smimedelivery.certificate;

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
        initArgs = @ResourceArg(name = InfrastructureTestResource.DATABASE_ARG, value = "certificate"))
class CertificateServiceFoundationTest extends ServiceFoundationTestBase {

    @Override
    protected String databasePrefix() {
        return "certificate";
    }

    @Override
    protected Map<String, Rule> endpointRules() {
        return Map.ofEntries(
                Map.entry("GET /api/audit", ADMIN),
                Map.entry("GET /api/admin/key-encryption", ADMIN),
                Map.entry("POST /api/admin/key-encryption/rotations", ADMIN),
                Map.entry("GET /api/admin/key-encryption/rotations/{id}", ADMIN),
                Map.entry("POST /api/admin/key-encryption/rotations/{id}/stop", ADMIN),
                Map.entry("POST /api/devices/{deviceId}/derived-credentials", DEVICE),
                Map.entry("GET /api/devices/{deviceId}/derived-credentials", DEVICE),
                Map.entry("GET /api/certificates/import-key", READ),
                Map.entry("POST /api/certificates/imports", ADMIN),
                Map.entry("GET /api/certificates", READ),
                Map.entry("GET /api/devices/{deviceId}/packages", DEVICE),
                Map.entry("GET /api/devices/{deviceId}/packages/{packageId}", DEVICE),
                Map.entry("GET /scep/crl", PUBLIC),
                Map.entry("GET /scep", PUBLIC),
                Map.entry("POST /scep", PUBLIC));
    }
}
