package io.smimedelivery.common.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BearerAuthorizationTest {

    @Test
    void schemeComparedWithoutCase() {
        assertTrue(BearerAuthorization.isBearer("Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln"));
        assertTrue(BearerAuthorization.isBearer("bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln"));
        assertTrue(BearerAuthorization.isBearer("BEARER eyJhbGciOiJSUzI1NiJ9.e30.c2ln"));
    }

    @Test
    void otherSchemesAreNotBearer() {
        assertFalse(BearerAuthorization.isBearer(null));
        assertFalse(BearerAuthorization.isBearer(""));
        assertFalse(BearerAuthorization.isBearer("Device eyJhbGciOiJFUzI1NiJ9.e30.c2ln"));
        assertFalse(BearerAuthorization.isBearer("Bearereyj"));
        assertFalse(BearerAuthorization.isBearer("Basic dXNlcjpwYXNz"));
    }
}
