package io.smimedelivery.deviceauth;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@value #SCHEME} scheme of the HTTP Authorization header, which carries a device token:
 * {@code Authorization: Device <token>}.
 */
public final class DeviceAuthorization {

    /** Name of the authentication scheme. Parsing compares it without regard to case (RFC 9110, section 11.1). */
    public static final String SCHEME = "Device";

    /** The token68 syntax of RFC 9110, section 11.2, which covers a compact JWS. */
    private static final Pattern TOKEN68 = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");

    private DeviceAuthorization() {
    }

    /**
     * Returns the Authorization header value for a token.
     *
     * @throws IllegalArgumentException if the token is not token68 (for example, if it contains
     *     spaces)
     */
    public static String header(String token) {
        Objects.requireNonNull(token, "token");
        if (!TOKEN68.matcher(token).matches()) {
            throw new IllegalArgumentException(
                    "Device token contains characters that an Authorization header cannot carry. Expected a compact JWS");
        }
        return SCHEME + " " + token;
    }

    /**
     * Extracts the token from an Authorization header value. Returns an empty result when the
     * value is null, uses another scheme, or has no token or a token that is not token68.
     * Spaces around the value and between scheme and token are ignored.
     */
    public static Optional<String> token(String authorizationHeaderValue) {
        if (authorizationHeaderValue == null) {
            return Optional.empty();
        }
        String value = authorizationHeaderValue.strip();
        int space = value.indexOf(' ');
        if (space < 0 || !value.substring(0, space).equalsIgnoreCase(SCHEME)) {
            return Optional.empty();
        }
        String token = value.substring(space + 1).strip();
        return TOKEN68.matcher(token).matches() ? Optional.of(token) : Optional.empty();
    }
}
