package io.smimedelivery.infra;

import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;

import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;

/**
 * Sends an administrator token with every REST-assured request of a test that names no Authorization
 * header itself, as an administrator's client would. Device and public endpoints get no token: a device
 * authenticates with its own, and the SCEP server and the landing page take none.
 */
public final class AdminTokenFilter implements Filter {

    private static final Pattern DEVICE_OR_PUBLIC = Pattern.compile(
            "^(/api/devices/[^/]+/(packages|derived-credentials|installations|push-token|company-portal)(/.*)?"
                    + "|/scep(/.*)?|/landing(/.*)?|/q/.*)$");
    private static final Duration LIFETIME = Duration.ofHours(1);

    private String token;
    private Instant renewAfter = Instant.EPOCH;

    @Override
    public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification response,
            FilterContext context) {
        if (!request.getHeaders().hasHeaderWithName("Authorization")
                && !DEVICE_OR_PUBLIC.matcher(pathOf(request)).matches()) {
            request.header("Authorization", "Bearer " + currentToken());
        }
        return context.next(request, response);
    }

    private synchronized String currentToken() {
        if (Instant.now().isAfter(renewAfter)) {
            token = AdminTokens.forTests().adminToken("test-admin@example.it", LIFETIME);
            renewAfter = Instant.now().plus(LIFETIME.dividedBy(2));
        }
        return token;
    }

    private static String pathOf(FilterableRequestSpecification request) {
        String path = request.getDerivedPath();
        if (path == null || path.isEmpty()) {
            path = request.getUserDefinedPath();
        }
        int query = path.indexOf('?');
        return query < 0 ? path : path.substring(0, query);
    }
}
