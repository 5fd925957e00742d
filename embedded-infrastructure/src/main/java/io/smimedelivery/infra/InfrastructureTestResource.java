package io.smimedelivery.infra;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Gives a {@code @QuarkusTest} real infrastructure: a fresh PostgreSQL database of its own, the shared
 * Kafka cluster of the test JVM, the public key of the test JVM's administrator tokens
 * ({@link AdminTokens#forTests()}) and, on request, the SMTP server. Init arguments:
 * <ul>
 * <li>{@code database}: prefix of the database name, such as {@code policy} (required);</li>
 * <li>{@code smtp}: {@code true} to point quarkus-mailer at the test SMTP server;</li>
 * <li>{@code databaseProxy}: {@code true} to connect to PostgreSQL through a {@link TcpProxy}, which
 * the test reaches with {@link #databaseProxy()} to cut and restore the connection.</li>
 * </ul>
 */
public class InfrastructureTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String DATABASE_ARG = "database";
    public static final String SMTP_ARG = "smtp";
    public static final String DATABASE_PROXY_ARG = "databaseProxy";

    private static volatile TcpProxy databaseProxy;

    private String databasePrefix;
    private boolean smtp;
    private boolean proxied;
    private String database;

    @Override
    public void init(Map<String, String> initArgs) {
        databasePrefix = initArgs.get(DATABASE_ARG);
        if (databasePrefix == null || databasePrefix.isBlank()) {
            throw new IllegalArgumentException("Missing init argument '" + DATABASE_ARG
                    + "' of InfrastructureTestResource: set it to the service's database prefix, such as policy");
        }
        smtp = Boolean.parseBoolean(initArgs.getOrDefault(SMTP_ARG, "false"));
        proxied = Boolean.parseBoolean(initArgs.getOrDefault(DATABASE_PROXY_ARG, "false"));
    }

    /** Returns the proxy in front of PostgreSQL of the running test application started with {@code databaseProxy}. */
    public static TcpProxy databaseProxy() {
        if (databaseProxy == null) {
            throw new IllegalStateException("No database proxy: start InfrastructureTestResource with "
                    + DATABASE_PROXY_ARG + "=true");
        }
        return databaseProxy;
    }

    @Override
    public Map<String, String> start() {
        TestInfrastructure infrastructure = TestInfrastructure.shared();
        PostgresServer postgres = infrastructure.postgres();
        database = infrastructure.createDatabase(databasePrefix);

        Map<String, String> config = new HashMap<>();
        String url = postgres.jdbcUrl(database);
        if (proxied) {
            try {
                databaseProxy = new TcpProxy(postgres.host(), postgres.port());
            } catch (java.io.IOException e) {
                throw new IllegalStateException("Cannot start the database proxy", e);
            }
            url = "jdbc:postgresql://127.0.0.1:" + databaseProxy.port() + "/" + database;
        }
        config.put("quarkus.datasource.jdbc.url", url);
        config.put("quarkus.datasource.username", postgres.username());
        config.put("quarkus.datasource.password", postgres.password());
        config.put("kafka.bootstrap.servers", infrastructure.kafka().bootstrapServers());
        AdminTokens tokens = AdminTokens.forTests();
        // The key itself, not its location: in test mode quarkus-smallrye-jwt generates a key of its own when
        // none is set at build time, and that key would win over a location given now.
        config.put("mp.jwt.verify.publickey", tokens.publicKeyBase64());
        config.put("mp.jwt.verify.issuer", AdminTokens.ISSUER);
        config.put("mp.jwt.verify.audiences", AdminTokens.AUDIENCE);
        if (smtp) {
            SmtpServer server = infrastructure.smtp();
            config.put("quarkus.mailer.host", server.host());
            config.put("quarkus.mailer.port", Integer.toString(server.smtpPort()));
        }
        return config;
    }

    @Override
    public void stop() {
        if (databaseProxy != null && proxied) {
            databaseProxy.close();
            databaseProxy = null;
        }
        if (database != null) {
            TestInfrastructure.shared().dropDatabase(database);
        }
    }
}
