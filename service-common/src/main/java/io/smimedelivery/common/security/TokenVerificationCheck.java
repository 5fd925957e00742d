package io.smimedelivery.common.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.Config;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;

/**
 * Refuses to start a service outside dev and test mode when administrator tokens cannot be verified: a
 * verification key (PEM or JWKS, inline or by location), the issuer and the audience must be configured.
 * There is no built-in key, so a deployment that forgot one fails at start and not at the first request.
 */
@ApplicationScoped
public class TokenVerificationCheck {

    void onStart(@Observes StartupEvent event, Config config) {
        List<String> missing = missingSettings(LaunchMode.current(), config::getOptionalValue);
        if (!missing.isEmpty()) {
            throw new IllegalStateException("Administrator tokens cannot be verified: set " + String.join(", ", missing)
                    + ". The verification key is the identity provider's public key as PEM or its JWKS URL"
                    + " (Entra ID: https://login.microsoftonline.com/<tenant>/discovery/v2.0/keys); the local stack"
                    + " makes its own");
        }
    }

    /** Returns the settings, by environment variable, that a service in this launch mode lacks. */
    static List<String> missingSettings(LaunchMode mode, Lookup config) {
        List<String> missing = new ArrayList<>();
        if (mode != LaunchMode.NORMAL) {
            return missing;
        }
        if (config.get("mp.jwt.verify.publickey.location", String.class).isEmpty()
                && config.get("mp.jwt.verify.publickey", String.class).isEmpty()) {
            missing.add("MP_JWT_VERIFY_PUBLICKEY_LOCATION (file path or URL of a PEM public key or a JWKS)");
        }
        if (config.get("mp.jwt.verify.issuer", String.class).isEmpty()) {
            missing.add("MP_JWT_VERIFY_ISSUER (the iss claim of the tokens)");
        }
        if (config.get("mp.jwt.verify.audiences", String.class).isEmpty()) {
            missing.add("MP_JWT_VERIFY_AUDIENCES (the aud claim of the tokens)");
        }
        return missing;
    }

    /** Reads an optional configuration value. */
    @FunctionalInterface
    interface Lookup {
        <T> Optional<T> get(String name, Class<T> type);
    }
}
