package io.smimedelivery.policy;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
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
}
