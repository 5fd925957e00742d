package io.smimedelivery.policy.limits;

import jakarta.validation.constraints.Min;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Limits on client input that the resources check before they store anything; a request over a limit
 * gets a 400 problem that names the setting. The whole request body is limited separately by
 * {@code quarkus.http.limits.max-body-size}.
 */
@ConfigMapping(prefix = "smime.limits")
public interface InputLimits {

    /**
     * Maximum number of rows in one user or membership import, JSON or CSV. The rows of an import are
     * read into memory before the first one is stored, so this also bounds that memory.
     */
    @WithDefault("50000")
    @Min(1)
    int importRows();
}
