package io.smimedelivery.common.security;

/**
 * The Bearer scheme of the HTTP Authorization header (RFC 6750), which carries an administrator token.
 * Device tokens use the Device scheme instead.
 */
public final class BearerAuthorization {

    private static final String PREFIX = "Bearer ";

    private BearerAuthorization() {
    }

    /** Returns true when {@code authorization} uses the Bearer scheme; the scheme name is compared without case. */
    public static boolean isBearer(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
    }
}
