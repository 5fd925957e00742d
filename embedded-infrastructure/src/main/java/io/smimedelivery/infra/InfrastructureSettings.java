package io.smimedelivery.infra;

import java.util.Locale;
import java.util.Optional;

/**
 * Settings that choose the infrastructure, read from a system property or else from an environment
 * variable. The system property {@code smime.postgres.url} corresponds to {@code SMIME_POSTGRES_URL}.
 */
public final class InfrastructureSettings {

    /** JDBC URL of an existing PostgreSQL server's admin database, such as jdbc:postgresql://db:5432/postgres. */
    public static final String POSTGRES_URL = "smime.postgres.url";
    public static final String POSTGRES_USER = "smime.postgres.user";
    public static final String POSTGRES_PASSWORD = "smime.postgres.password";
    /** Bootstrap servers of an existing Kafka cluster. */
    public static final String KAFKA_BOOTSTRAP_SERVERS = "smime.kafka.bootstrap-servers";
    /** {@code false} keeps Testcontainers unused even where a Docker engine runs. */
    public static final String USE_DOCKER = "smime.infra.docker";
    /** {@code false} skips the PostgreSQL server on 127.0.0.1:5432. */
    public static final String USE_LOCAL_POSTGRES = "smime.infra.local-postgres";
    /**
     * Server settings of an embedded PostgreSQL server as {@code name=value} pairs separated by commas, such as
     * {@code shared_preload_libraries=pg_stat_statements}.
     */
    public static final String EMBEDDED_POSTGRES_CONFIG = "smime.infra.embedded-postgres-config";

    private InfrastructureSettings() {
    }

    public static Optional<String> get(String key) {
        String value = System.getProperty(key);
        if (value == null || value.isBlank()) {
            value = System.getenv(environmentName(key));
        }
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    public static boolean enabled(String key) {
        return get(key).map(value -> !value.equalsIgnoreCase("false")).orElse(true);
    }

    /** Returns the environment variable name of a setting: {@code smime.postgres.url} is {@code SMIME_POSTGRES_URL}. */
    public static String environmentName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
