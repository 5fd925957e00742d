package io.smimedelivery.infra;

import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;

/** Installs {@link AdminTokenFilter} in REST-assured before each {@code @QuarkusTest} method. */
public final class AdminTokenCallback implements QuarkusTestBeforeEachCallback {

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        if (RestAssured.filters().stream().noneMatch(filter -> filter instanceof AdminTokenFilter)) {
            RestAssured.filters(new AdminTokenFilter());
        }
    }
}
