package io.smimedelivery.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jboss.logging.Logger;

import io.smimedelivery.infra.AdminTokens;
import io.smimedelivery.infra.ChildProcess;
import io.smimedelivery.infra.EmbeddedKafkaBroker;
import io.smimedelivery.infra.FreePorts;
import io.smimedelivery.infra.PostgresServer;
import io.smimedelivery.infra.PostgresServers;
import io.smimedelivery.infra.PushGateway;
import io.smimedelivery.infra.PushSigningKey;
import io.smimedelivery.infra.SmtpServer;

/**
 * A stack for fault tests: a Kafka broker, an embedded PostgreSQL server and GreenMail, all owned by this
 * harness on fixed loopback ports, and the four services as separate JVMs started from their runner jars
 * as {@link LocalStack} starts them. A test can SIGKILL a service instance and start it again, stop the
 * broker or PostgreSQL and start it again on the same data folder and port, and run a second instance of a
 * service in the same consumer group on another HTTP port.
 */
final class FaultStack implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(FaultStack.class);
    static final String POLICY = "policy-service";
    static final String CERTIFICATE = "certificate-service";
    static final String NOTIFICATION = "notification-service";
    static final String DEVICE = "device-service";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
    private static final String DATABASE_PREFIX = "fault";
    private static final String KEK_ID = "fault-stack";
    private static final Path PROJECT_ROOT = Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();

    /** Settings of one stack; the defaults suit the short runs of the CI scenarios. */
    record Settings(int partitions, String emailGatherDelay, String sendLease, int emailRatePerSecond) {
        static Settings defaults() {
            return new Settings(6, "PT3S", "PT15S", 50);
        }
    }

    /** One running or stopped JVM of a service. Instance 1 of each service always exists. */
    static final class Instance {
        private final ServiceDefinition service;
        private final int number;
        private final int port;
        private ChildProcess process;

        private Instance(ServiceDefinition service, int number, int port) {
            this.service = service;
            this.number = number;
            this.port = port;
        }

        String name() {
            return service.name() + "-" + number;
        }

        int port() {
            return port;
        }

        URI url() {
            return URI.create("http://127.0.0.1:" + port);
        }

        boolean isAlive() {
            return process != null && process.isAlive();
        }

        long pid() {
            return process.pid();
        }
    }

    private final Path dataDir;
    private final Settings settings;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final int kafkaPort = FreePorts.find();
    private final int kafkaControllerPort = FreePorts.find();
    private final int postgresPort = FreePorts.find();
    private final Map<String, Instance> instances = new LinkedHashMap<>();
    private EmbeddedKafkaBroker broker;
    private PostgresServer postgres;
    private SmtpServer smtp;
    private PushGateway pushGateway;
    private Path pushSigningKey;
    private AdminTokens adminTokens;
    private String adminToken;
    private Path[] pushTokenKeys;
    private String keyEncryptionKey;

    private FaultStack(Path dataDir, Settings settings) {
        this.dataDir = dataDir;
        this.settings = settings;
    }

    /** Starts the infrastructure and instance 1 of every service, and waits until every service is ready. */
    static FaultStack start(Path dataDir, Settings settings) {
        FaultStack stack = new FaultStack(dataDir, settings);
        try {
            stack.startInfrastructure();
            for (ServiceDefinition service : ServiceDefinition.ALL) {
                stack.add(service.name(), 1, false);
            }
            for (Instance instance : stack.instances.values()) {
                stack.awaitReady(instance);
            }
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    private void startInfrastructure() {
        try {
            Files.createDirectories(dataDir.resolve("logs"));
        } catch (IOException e) {
            throw new IllegalStateException("Failed to create " + dataDir.resolve("logs"), e);
        }
        startBroker();
        startPostgres();
        for (ServiceDefinition service : ServiceDefinition.ALL) {
            postgres.createDatabaseIfMissing(service.database(DATABASE_PREFIX));
        }
        smtp = SmtpServer.start(0, 0);
        try {
            Path pushDirectory = Files.createDirectories(dataDir.resolve("push-gateway"));
            pushGateway = PushGateway.start(pushDirectory);
            pushSigningKey = PushSigningKey.generateP256().writeTo(pushDirectory);
        } catch (Exception e) {
            throw new IllegalStateException("The local push gateway did not start", e);
        }
        adminTokens = AdminTokens.inDirectory(dataDir.resolve("admin-tokens"));
        adminToken = adminTokens.adminToken("fault-test-admin", Duration.ofHours(6));
        pushTokenKeys = writePushTokenKeys();
        byte[] kek = new byte[32];
        new SecureRandom().nextBytes(kek);
        keyEncryptionKey = Base64.getEncoder().encodeToString(kek);
    }

    /** Starts instance {@code number} of a service and, unless {@code wait} is false, waits until it is ready. */
    Instance add(String serviceName, int number, boolean wait) {
        ServiceDefinition service = ServiceDefinition.ALL.stream().filter(definition -> definition.name().equals(serviceName))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("Unknown service " + serviceName));
        Instance instance = new Instance(service, number, FreePorts.find());
        instances.put(instance.name(), instance);
        instance.process = launch(instance);
        if (wait) {
            awaitReady(instance);
        }
        return instance;
    }

    Instance instance(String serviceName, int number) {
        Instance instance = instances.get(serviceName + "-" + number);
        if (instance == null) {
            throw new IllegalArgumentException("No instance " + number + " of " + serviceName);
        }
        return instance;
    }

    /** Returns the base URL of the first live instance of a service. */
    URI url(String serviceName) {
        return instances.values().stream().filter(instance -> instance.service.name().equals(serviceName))
                .filter(Instance::isAlive).findFirst().map(Instance::url)
                .orElseThrow(() -> new IllegalStateException("No instance of " + serviceName + " is running"));
    }

    /** Returns the APNs stand-in that notification-service sends pushes to. */
    PushGateway pushGateway() {
        return pushGateway;
    }

    List<Instance> instances() {
        return List.copyOf(instances.values());
    }

    /** Sends SIGKILL to an instance and waits until it has ended. */
    void kill(Instance instance) {
        long pid = instance.process.pid();
        ProcessHandle handle = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException(
                instance.name() + " (process " + pid + ") is not running"));
        // On Linux, destroyForcibly sends SIGKILL, so the service runs no shutdown hook.
        handle.destroyForcibly();
        handle.onExit().join();
        instance.process.close();
        LOG.infof("Killed %s (process %d) with SIGKILL", instance.name(), pid);
    }

    /** Starts a stopped instance again on the same port and waits until it is ready. */
    void restart(Instance instance) {
        if (instance.isAlive()) {
            throw new IllegalStateException(instance.name() + " is still running");
        }
        instance.process = launch(instance);
        awaitReady(instance);
    }

    /** Stops the broker with SIGTERM, as an operator would, and waits until it has ended. */
    void stopBroker() {
        LOG.infof("Stopping the Kafka broker (process %d)", broker.pid());
        broker.close();
    }

    /** Starts the broker again on the same data folder and ports. */
    void startBroker() {
        // Topics that the broker creates on first use get 1 partition, so a topic with more partitions shows
        // that a service created it.
        broker = EmbeddedKafkaBroker.start(dataDir.resolve("kafka"), kafkaPort, kafkaControllerPort, 1);
    }

    /** Stops the embedded PostgreSQL server (pg_ctl stop, fast mode) and its reaper. */
    void stopPostgres() {
        try {
            postgres.close();
        } catch (Exception e) {
            throw new IllegalStateException("Failed to stop the embedded PostgreSQL server", e);
        }
    }

    /** Starts the embedded PostgreSQL server again on the same data folder and port. */
    void startPostgres() {
        postgres = PostgresServers.startEmbedded(dataDir.resolve("postgres"), postgresPort);
    }

    /** Returns the process id of the broker's JVM. */
    long brokerPid() {
        return broker.pid();
    }

    String bootstrapServers() {
        return "127.0.0.1:" + kafkaPort;
    }

    SmtpServer smtp() {
        return smtp;
    }

    String adminToken() {
        return adminToken;
    }

    int partitions() {
        return settings.partitions();
    }

    /** Opens a connection to a service's database. */
    Connection database(String serviceName) throws SQLException {
        String database = DATABASE_PREFIX + "_" + serviceName.substring(0, serviceName.indexOf('-'));
        return DriverManager.getConnection(postgres.jdbcUrl(database), postgres.username(), postgres.password());
    }

    /** Returns the HTTP status of a health endpoint, or empty when the instance does not answer. */
    Optional<Integer> health(Instance instance, String check) {
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(instance.url() + "/q/health/" + check))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.discarding());
            return Optional.of(response.statusCode());
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Waits until the instance answers its readiness check with 200. */
    void awaitReady(Instance instance) {
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!instance.isAlive()) {
                throw new IllegalStateException(instance.name() + " exited during start-up; see " + logFile(instance));
            }
            if (health(instance, "ready").orElse(0) == 200) {
                LOG.infof("%s is ready on port %d", instance.name(), instance.port());
                return;
            }
            sleep(Duration.ofMillis(300));
        }
        throw new IllegalStateException(instance.name() + " did not report ready within " + READY_TIMEOUT + "; see "
                + logFile(instance));
    }

    Path logFile(Instance instance) {
        return dataDir.resolve("logs").resolve(instance.name() + ".log");
    }

    private ChildProcess launch(Instance instance) {
        ServiceDefinition service = instance.service;
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        environment.put("QUARKUS_HTTP_PORT", Integer.toString(instance.port()));
        environment.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl(service.database(DATABASE_PREFIX)));
        environment.put("QUARKUS_DATASOURCE_USERNAME", postgres.username());
        environment.put("QUARKUS_DATASOURCE_PASSWORD", postgres.password());
        environment.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers());
        environment.put("SMIME_KAFKA_TOPICS_PARTITIONS", Integer.toString(settings.partitions()));
        environment.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", adminTokens.publicKeyFile().toString());
        environment.put("MP_JWT_VERIFY_ISSUER", AdminTokens.ISSUER);
        environment.put("MP_JWT_VERIFY_AUDIENCES", AdminTokens.AUDIENCE);
        if (service.storesKeys()) {
            environment.put("SMIME_KEK_CURRENT_ID", KEK_ID);
            environment.put("SMIME_KEK_KEYS", KEK_ID + ":" + keyEncryptionKey);
            LocalScepCa.ScepFiles scep = LocalScepCa.files(dataDir);
            environment.put("SMIME_SCEP_CA_CERTIFICATE_FILE", scep.caCertificate().toString());
            environment.put("SMIME_SCEP_CA_KEY_FILE", scep.caKey().toString());
            environment.put("SMIME_SCEP_RA_CERTIFICATE_FILE", scep.raCertificate().toString());
            environment.put("SMIME_SCEP_RA_KEY_FILE", scep.raKey().toString());
            environment.put("SMIME_SCEP_URL", instance.url() + "/scep");
        }
        if (service.sendsMail()) {
            environment.put("QUARKUS_MAILER_HOST", smtp.host());
            environment.put("QUARKUS_MAILER_PORT", Integer.toString(smtp.smtpPort()));
        }
        if (service.name().equals(NOTIFICATION)) {
            environment.put("SMIME_NOTIFICATION_EMAIL_GATHER_DELAY", settings.emailGatherDelay());
            environment.put("SMIME_NOTIFICATION_SEND_LEASE", settings.sendLease());
            Duration lease = Duration.parse(settings.sendLease());
            if (lease.compareTo(Duration.ofMinutes(1)) < 0) {
                // notification-service refuses a lease no longer than its longest send, so a short lease
                // comes with shorter SMTP and APNs timeouts.
                environment.put("QUARKUS_MAILER_TIMEOUT", lease.dividedBy(2).toString());
                environment.put("SMIME_PUSH_CONNECT_TIMEOUT", lease.dividedBy(4).toString());
                environment.put("SMIME_PUSH_REQUEST_TIMEOUT", lease.dividedBy(4).toString());
            }
            environment.put("SMIME_NOTIFICATION_EMAIL_RATE_PER_SECOND", Integer.toString(settings.emailRatePerSecond()));
            environment.put("SMIME_NOTIFICATION_PUSH_TOKEN_KEY_PRIVATE_KEY_FILE", pushTokenKeys[0].toString());
            environment.put("SMIME_PUSH_GATEWAY_URL", pushGateway.url());
            environment.put("SMIME_PUSH_TRUST_STORE_FILE", pushGateway.trustStore().toString());
            environment.put("SMIME_PUSH_TRUST_STORE_PASSWORD", PushGateway.TRUST_STORE_PASSWORD);
            environment.put("SMIME_PUSH_TEAM_ID", "FAULTTEST1");
            environment.put("SMIME_PUSH_KEY_ID", "FAULTKEY01");
            environment.put("SMIME_PUSH_PRIVATE_KEY_FILE", pushSigningKey.toString());
        }
        if (service.name().equals(DEVICE)) {
            environment.put("SMIME_DEVICE_PUSH_TOKEN_KEY_PUBLIC_KEY_FILE", pushTokenKeys[1].toString());
        }
        Path log = logFile(instance);
        List<String> jvmOptions = new ArrayList<>(LocalStack.SERVICE_JVM_OPTIONS);
        String extraOptions = System.getProperty("stack.serviceJvmOptions", "").strip();
        if (!extraOptions.isEmpty()) {
            // {name} becomes the instance name, so that each JVM can write its own recording or dump.
            for (String option : extraOptions.split("\\s+")) {
                jvmOptions.add(option.replace("{name}", instance.name()));
            }
        }
        return ChildProcess.start(instance.name(), List.of(service.runnerJar(PROJECT_ROOT).toString()),
                jvmOptions, "io.quarkus.bootstrap.runner.QuarkusEntryPoint", List.of(), environment, log);
    }

    private Path[] writePushTokenKeys() {
        Path privateFile = dataDir.resolve("push-token-key.pem");
        Path publicFile = dataDir.resolve("push-token-key.pub.pem");
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(3072);
            KeyPair keys = generator.generateKeyPair();
            Base64.Encoder base64 = Base64.getMimeEncoder(64, new byte[] { '\n' });
            Files.writeString(privateFile, "-----BEGIN PRIVATE KEY-----\n"
                    + base64.encodeToString(keys.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
            Files.writeString(publicFile, "-----BEGIN PUBLIC KEY-----\n"
                    + base64.encodeToString(keys.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
            return new Path[] { privateFile, publicFile };
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("Failed to write the push token key pair in " + dataDir, e);
        }
    }

    /** Stops every service instance, the broker, GreenMail and PostgreSQL; a stopped part is skipped. */
    @Override
    public void close() {
        List<Instance> newestFirst = new ArrayList<>(instances.values());
        java.util.Collections.reverse(newestFirst);
        for (Instance instance : newestFirst) {
            if (instance.process != null) {
                instance.process.close();
            }
        }
        if (broker != null) {
            broker.close();
        }
        if (smtp != null) {
            smtp.close();
        }
        if (pushGateway != null) {
            try {
                pushGateway.close();
            } catch (Exception e) {
                LOG.warnf("Failed to stop the push gateway: %s", e.getMessage());
            }
        }
        if (postgres != null) {
            try {
                postgres.close();
            } catch (Exception e) {
                LOG.warnf("Failed to stop the embedded PostgreSQL server: %s", e.getMessage());
            }
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }
}
