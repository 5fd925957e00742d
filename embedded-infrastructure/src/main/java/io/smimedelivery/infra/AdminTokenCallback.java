package io.smimedelivery.infra;

import java.util.ArrayList;
import java.util.List;

import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;
import io.restassured.filter.Filter;

/** Installs {@link AdminTokenFilter} in REST-assured before each {@code @QuarkusTest} method. */
public final class AdminTokenCallback implements QuarkusTestBeforeEachCallback {

    /**
     * Replaces the filter of an earlier test class too: a test profile restarts Quarkus in a new class
     * loader, while REST-assured keeps its filters, so the class is matched by name.
     */
    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        List<Filter> filters = new ArrayList<>();
        for (Filter filter : RestAssured.filters()) {
            if (!filter.getClass().getName().equals(AdminTokenFilter.class.getName())) {
                filters.add(filter);
            }
        }
        filters.add(new AdminTokenFilter());
        RestAssured.replaceFiltersWith(filters);
    }
}
