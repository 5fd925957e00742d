package io.smimedelivery.common.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.LaunchMode;

class TokenVerificationCheckTest {

    @Test
    void productionNeedsKeyIssuerAndAudience() {
        List<String> missing = TokenVerificationCheck.missingSettings(LaunchMode.NORMAL, lookup(Map.of()));

        assertEquals(3, missing.size(), missing.toString());
        assertTrue(missing.get(0).startsWith("MP_JWT_VERIFY_PUBLICKEY_LOCATION"), missing.get(0));
        assertTrue(missing.get(1).startsWith("MP_JWT_VERIFY_ISSUER"), missing.get(1));
        assertTrue(missing.get(2).startsWith("MP_JWT_VERIFY_AUDIENCES"), missing.get(2));
    }

    @Test
    void inlineKeyOrLocationSuffices() {
        Map<String, String> location = Map.of("mp.jwt.verify.publickey.location", "/etc/smime/jwt/public-key.pem",
                "mp.jwt.verify.issuer", "https://login.example/tenant/v2.0", "mp.jwt.verify.audiences", "smime-delivery");
        Map<String, String> inline = Map.of("mp.jwt.verify.publickey", "MIIBIjANBgkq",
                "mp.jwt.verify.issuer", "https://login.example/tenant/v2.0", "mp.jwt.verify.audiences", "smime-delivery");

        assertEquals(List.of(), TokenVerificationCheck.missingSettings(LaunchMode.NORMAL, lookup(location)));
        assertEquals(List.of(), TokenVerificationCheck.missingSettings(LaunchMode.NORMAL, lookup(inline)));
    }

    @Test
    void devAndTestModesStartWithout() {
        assertEquals(List.of(), TokenVerificationCheck.missingSettings(LaunchMode.DEVELOPMENT, lookup(Map.of())));
        assertEquals(List.of(), TokenVerificationCheck.missingSettings(LaunchMode.TEST, lookup(Map.of())));
    }

    private static TokenVerificationCheck.Lookup lookup(Map<String, String> values) {
        return new TokenVerificationCheck.Lookup() {
            @Override
            @SuppressWarnings("unchecked")
            public <T> Optional<T> get(String name, Class<T> type) {
                return Optional.ofNullable((T) values.get(name));
            }
        };
    }
}
