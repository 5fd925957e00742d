package io.smimedelivery.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.jboss.logging.Logger;

import io.smimedelivery.infra.AdminTokens;
import io.smimedelivery.infra.ChildProcess;
import io.smimedelivery.infra.EmbeddedKafkaBroker;
import io.smimedelivery.infra.FreePorts;
import io.smimedelivery.infra.InfrastructureSettings;
import io.smimedelivery.infra.PostgresServer;
import io.smimedelivery.infra.PostgresServers;
import io.smimedelivery.infra.SmtpServer;

import sun.misc.Signal;

/**
 * Runs the whole system on one machine without Docker: a Kafka broker, PostgreSQL with one database per
 * service, an SMTP server with IMAP, and the four services as separate JVMs. Ctrl-C stops all of them.
 */
public final class LocalStack {

    /**
     * JVM options of every service, as in the images' JAVA_OPTS. The heap starts at 64 MiB and grows to
     * 256 MiB only when the live data needs it, so resident memory follows the load.
     */
    static final List<String> SERVICE_JVM_OPTIONS = List.of("-Xms64m", "-Xmx256m", "-XX:+UseSerialGC");

    static {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT %4$-7s %5$s%6$s%n");
    }

    /** Kept in a field because java.util.logging references loggers weakly and would lose the level. */
    private static final java.util.logging.Logger KAFKA_CLIENT_LOG = quietKafkaClientLog();
    /** GreenMail logs each mailbox it creates at INFO, which would interleave with the scenario's progress. */
    private static final java.util.logging.Logger GREENMAIL_LOG = quietLog("com.icegreen.greenmail");

    private static final Logger LOG = Logger.getLogger(LocalStack.class);
    /** Printed once every service is ready; the launcher test waits for it. */
    static final String READY_LINE = "Local stack is ready. Press Ctrl-C to stop it.";
    private static final Duration SERVICE_READY_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration ADMIN_TOKEN_LIFETIME = Duration.ofHours(12);
    private static final String LOCAL_KEK_ID = "local-stack";
    private static final String SCENARIO_EMAIL_GATHER_DELAY = "PT5S";

    private final StackOptions options;
    private EmbeddedKafkaBroker broker;
    private String bootstrapServers;
    private PostgresServer postgres;
    private SmtpServer smtp;
    private final Map<ServiceDefinition, ChildProcess> services = new LinkedHashMap<>();
    private volatile ChildProcess scenario;
    /** The smime-admin token this start signed; the scenario gets it in SMIME_ADMIN_TOKEN. */
    private String adminToken;
    /** Exit status of the finished scenario, or null while none has finished. */
    private volatile Integer scenarioStatus;
    private volatile boolean stopping;

    private LocalStack(StackOptions options) {
        this.options = options;
    }

    public static void main(String[] args) {
        StackOptions options;
        try {
            options = StackOptions.parse(List.of(args));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.print(StackOptions.USAGE);
            return;
        }

        LocalStack stack = new LocalStack(options);
        Runtime.getRuntime().addShutdownHook(new Thread(stack::stop, "local-stack-shutdown"));
        // Ctrl-C and SIGTERM end the JVM with status 0; the shutdown hook then stops every process.
        // A scenario stopped before its end did not pass, so it ends with 128 plus the signal number, as
        // shells report it. After its end, the stack exits with the scenario's status.
        Signal.handle(new Signal("INT"), signal -> stack.exitOnSignal(130));
        Signal.handle(new Signal("TERM"), signal -> stack.exitOnSignal(143));
        try {
            stack.start();
        } catch (RuntimeException e) {
            LOG.errorf("Local stack failed to start: %s", e.getMessage());
            System.exit(1);
        }
        if (options.scenario()) {
            int status = stack.runScenario();
            if (stack.stopping) {
                // A signal ended the scenario; the shutdown hooks are already stopping everything.
                return;
            }
            stack.scenarioStatus = status;
            if (!options.keepRunning()) {
                System.exit(stack.scenarioStatus);
            }
            System.out.println("The stack keeps running for a look (--keep-running); press Ctrl-C to stop it.");
            System.out.flush();
        }
        stack.watchServices();
    }

    private void start() {
        checkServicesBuilt();
        checkServicePortsFree();
        createFolders();

        startKafka();
        startPostgres();
        smtp = SmtpServer.start(freeOrAny(options.smtpPort(), "SMTP"), freeOrAny(options.imapPort(), "IMAP"));
        LOG.infof("SMTP server on 127.0.0.1:%d, IMAP on 127.0.0.1:%d", smtp.smtpPort(), smtp.imapPort());

        adminToken = writeAdminToken();
        for (ServiceDefinition service : ServiceDefinition.ALL) {
            services.put(service, startService(service));
        }
        for (ServiceDefinition service : ServiceDefinition.ALL) {
            awaitReady(service);
        }
        printAddresses();
    }

    private void checkServicesBuilt() {
        List<String> missing = new ArrayList<>();
        for (ServiceDefinition service : ServiceDefinition.ALL) {
            if (!Files.isRegularFile(service.runnerJar(options.projectDir()))) {
                missing.add(service.runnerJar(options.projectDir()).toString());
            }
        }
        if (options.scenario() && !Files.isRegularFile(simulatorJar())) {
            missing.add(simulatorJar().toString());
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("Services are not built (missing " + String.join(", ", missing)
                    + "); run ./mvnw install -DskipTests in " + options.projectDir() + " first");
        }
    }

    private void checkServicePortsFree() {
        for (ServiceDefinition service : ServiceDefinition.ALL) {
            int port = servicePort(service);
            if (!FreePorts.isFree(port)) {
                throw new IllegalStateException("Port " + port + " for " + service.name()
                        + " is in use; stop the program that uses it or pass --first-service-port with another port");
            }
        }
    }

    private void createFolders() {
        try {
            if (options.fresh()) {
                deleteRecursively(options.dataDir().resolve("kafka"));
                deleteRecursively(options.dataDir().resolve("logs"));
            }
            Files.createDirectories(options.dataDir().resolve("logs"));
        } catch (IOException e) {
            throw new IllegalStateException("Failed to prepare the data folder " + options.dataDir() + ": " + e.getMessage(), e);
        }
    }

    private void startKafka() {
        var explicit = InfrastructureSettings.get(InfrastructureSettings.KAFKA_BOOTSTRAP_SERVERS);
        if (explicit.isPresent()) {
            bootstrapServers = explicit.get();
            LOG.infof("Using the Kafka cluster at %s", bootstrapServers);
            return;
        }
        int port = freeOrAny(options.kafkaPort(), "Kafka");
        int controllerPort = freeOrAny(options.kafkaControllerPort(), "Kafka controller");
        LOG.infof("Starting the Kafka broker on 127.0.0.1:%d", port);
        broker = EmbeddedKafkaBroker.start(options.dataDir().resolve("kafka"), port, controllerPort, 6);
        bootstrapServers = broker.bootstrapServers();
    }

    private void startPostgres() {
        postgres = PostgresServers.locate(options.dataDir().resolve("postgres"));
        for (ServiceDefinition service : ServiceDefinition.ALL) {
            String database = service.database(options.databasePrefix());
            if (options.fresh()) {
                postgres.dropDatabaseIfExists(database);
            }
            if (postgres.createDatabaseIfMissing(database)) {
                LOG.infof("Created database %s", database);
            }
        }
    }

    private ChildProcess startService(ServiceDefinition service) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        environment.put("QUARKUS_HTTP_PORT", Integer.toString(servicePort(service)));
        environment.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl(service.database(options.databasePrefix())));
        environment.put("QUARKUS_DATASOURCE_USERNAME", postgres.username());
        environment.put("QUARKUS_DATASOURCE_PASSWORD", postgres.password());
        environment.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        environment.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", adminTokens().publicKeyFile().toString());
        environment.put("MP_JWT_VERIFY_ISSUER", AdminTokens.ISSUER);
        environment.put("MP_JWT_VERIFY_AUDIENCES", AdminTokens.AUDIENCE);
        if (service.storesKeys()) {
            // Key-encryption keys set in the launcher's environment win, so a rotation can be tried here.
            String currentKek = System.getenv("SMIME_KEK_CURRENT_ID");
            String kekKeys = System.getenv("SMIME_KEK_KEYS");
            boolean ownKek = currentKek == null || currentKek.isBlank() || kekKeys == null || kekKeys.isBlank();
            environment.put("SMIME_KEK_CURRENT_ID", ownKek ? LOCAL_KEK_ID : currentKek);
            environment.put("SMIME_KEK_KEYS", ownKek ? LOCAL_KEK_ID + ":" + localKeyEncryptionKey() : kekKeys);
            LocalScepCa.ScepFiles scep = LocalScepCa.files(options.dataDir());
            environment.put("SMIME_SCEP_CA_CERTIFICATE_FILE", scep.caCertificate().toString());
            environment.put("SMIME_SCEP_CA_KEY_FILE", scep.caKey().toString());
            environment.put("SMIME_SCEP_RA_CERTIFICATE_FILE", scep.raCertificate().toString());
            environment.put("SMIME_SCEP_RA_KEY_FILE", scep.raKey().toString());
            environment.put("SMIME_SCEP_URL", "http://127.0.0.1:" + servicePort(service) + "/scep");
        }
        if (service.sendsMail()) {
            environment.put("QUARKUS_MAILER_HOST", smtp.host());
            environment.put("QUARKUS_MAILER_PORT", Integer.toString(smtp.smtpPort()));
        }
        if (service.name().equals("notification-service")) {
            if (options.scenario()) {
                // The scenario waits for e-mails; a short gather delay keeps its run short.
                environment.put("SMIME_NOTIFICATION_EMAIL_GATHER_DELAY", SCENARIO_EMAIL_GATHER_DELAY);
            }
            environment.put("SMIME_NOTIFICATION_PUSH_TOKEN_KEY_PRIVATE_KEY_FILE", pushTokenKeyFiles()[0].toString());
            // Landing page links point at this stack's device-service, whatever its port.
            ServiceDefinition deviceService = ServiceDefinition.ALL.stream()
                    .filter(definition -> definition.name().equals("device-service")).findFirst().orElseThrow();
            environment.put("SMIME_NOTIFICATION_LANDING_PAGE_URL", "http://127.0.0.1:" + servicePort(deviceService)
                    + "/landing/{deviceId}?policy={policyId}");
        }
        if (service.name().equals("device-service")) {
            environment.put("SMIME_DEVICE_PUSH_TOKEN_KEY_PUBLIC_KEY_FILE", pushTokenKeyFiles()[1].toString());
        }
        Path log = options.dataDir().resolve("logs").resolve(service.name() + ".log");
        return ChildProcess.start(service.name(), List.of(service.runnerJar(options.projectDir()).toString()),
                SERVICE_JVM_OPTIONS, "io.quarkus.bootstrap.runner.QuarkusEntryPoint", List.of(), environment, log);
    }

    private void awaitReady(ServiceDefinition service) {
        ChildProcess process = services.get(service);
        URI readiness = URI.create("http://127.0.0.1:" + servicePort(service) + "/q/health/ready");
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(SERVICE_READY_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(service.name() + " exited during start-up; see " + process.logFile());
            }
            try {
                HttpResponse<Void> response = client.send(HttpRequest.newBuilder(readiness)
                        .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    LOG.infof("%s is ready on port %d", service.name(), servicePort(service));
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for " + service.name(), e);
            }
            sleep(Duration.ofMillis(500));
        }
        throw new IllegalStateException(service.name() + " did not report ready within " + SERVICE_READY_TIMEOUT
                + " at " + readiness + "; see " + process.logFile());
    }

    /**
     * Exits the JVM, which runs the shutdown hook that stops every process, with status 0 without a
     * scenario, and otherwise with the finished scenario's status or the signal's.
     */
    private void exitOnSignal(int signalStatus) {
        stopping = true;
        int status = 0;
        if (options.scenario()) {
            Integer finished = scenarioStatus;
            status = finished == null ? signalStatus : finished;
        }
        System.exit(status);
    }

    private Path simulatorJar() {
        return options.projectDir().resolve("device-simulator").resolve("target").resolve("device-simulator.jar");
    }

    /**
     * Runs the device simulator's scenario command in a child JVM against this stack, with its output on
     * this process's output, and returns its exit status.
     */
    private int runScenario() {
        List<String> arguments = new ArrayList<>(List.of("scenario",
                "--first-service-port", Integer.toString(options.firstServicePort()),
                "--imap-port", Integer.toString(smtp.imapPort()),
                "--state-dir", options.scenarioStateDir().toString(),
                "--timeout", Integer.toString(options.scenarioTimeoutSeconds())));
        if (options.scenarioInput() != null) {
            arguments.addAll(List.of("--input", options.scenarioInput().toString()));
        }
        System.out.println("Running the scenario (e-mail gather delay " + SCENARIO_EMAIL_GATHER_DELAY
                + " for this run); state folder " + options.scenarioStateDir());
        System.out.flush();
        scenario = ChildProcess.startAttached("scenario", List.of(simulatorJar().toString()), List.of("-Xmx256m"),
                "io.smimedelivery.simulator.DeviceSimulator", arguments, Map.of("SMIME_ADMIN_TOKEN", adminToken));
        try {
            int status = scenario.waitFor();
            if (!stopping) {
                System.out.println("The scenario ended with exit status " + status + ".");
            }
            return status;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private void printAddresses() {
        StringBuilder text = new StringBuilder("\n");
        text.append(String.format("%-22s %-30s %s%n", "service", "address", "API docs"));
        for (ServiceDefinition service : ServiceDefinition.ALL) {
            String base = "http://127.0.0.1:" + servicePort(service);
            text.append(String.format("%-22s %-30s %s%n", service.name(), base, base + "/q/swagger-ui"));
        }
        text.append('\n');
        text.append(String.format("%-22s %s%n", "Kafka", bootstrapServers));
        text.append(String.format("%-22s %s (user %s)%n", "PostgreSQL",
                postgres.jdbcUrl(options.databasePrefix() + "_<service>"), postgres.username()));
        text.append(String.format("%-22s smtp://127.0.0.1:%d, IMAP 127.0.0.1:%d (user and password: the recipient address)%n",
                "Mail", smtp.smtpPort(), smtp.imapPort()));
        text.append(String.format("%-22s %s%n", "Logs", options.dataDir().resolve("logs")));
        text.append(String.format("%-22s %s (smime-admin, valid %d hours; reader-token and enroller-token beside"
                + " it); use it with%n", "Administrator token",
                adminTokenFile(), ADMIN_TOKEN_LIFETIME.toHours()));
        text.append(String.format("%-22s export SMIME_ADMIN_TOKEN=\"$(cat %s)\"%n", "", adminTokenFile()));
        text.append(String.format("%-22s curl -H \"Authorization: Bearer $SMIME_ADMIN_TOKEN\" %s/api/policies%n", "",
                "http://127.0.0.1:" + options.firstServicePort()));
        text.append('\n').append(READY_LINE).append('\n');
        System.out.print(text);
        System.out.flush();
    }

    /** Blocks until the JVM exits, reporting any service that ends on its own. */
    private void watchServices() {
        CountDownLatch forever = new CountDownLatch(1);
        Thread watcher = new Thread(() -> {
            Map<ServiceDefinition, Boolean> reported = new LinkedHashMap<>();
            while (true) {
                services.forEach((service, process) -> {
                    if (!process.isAlive() && reported.putIfAbsent(service, true) == null) {
                        LOG.errorf("%s stopped unexpectedly; see %s", service.name(), process.logFile());
                    }
                });
                sleep(Duration.ofSeconds(2));
            }
        }, "service-watcher");
        watcher.setDaemon(true);
        watcher.start();
        try {
            forever.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs in a shutdown hook, where java.util.logging may already be closed, so it prints to stdout. */
    private void stop() {
        System.out.println("Stopping the local stack");
        if (scenario != null && scenario.isAlive()) {
            System.out.println("Stopping the scenario (process " + scenario.pid() + ")");
            scenario.stop(Duration.ofSeconds(10));
        }
        List<ServiceDefinition> newestFirst = new ArrayList<>(services.keySet());
        java.util.Collections.reverse(newestFirst);
        for (ServiceDefinition service : newestFirst) {
            ChildProcess process = services.get(service);
            if (process.isAlive()) {
                System.out.println("Stopping " + service.name() + " (process " + process.pid() + ")");
                process.stop(Duration.ofSeconds(20));
            }
        }
        if (broker != null) {
            System.out.println("Stopping the Kafka broker (process " + broker.pid() + ")");
        }
        ChildProcess.stopAll();
        if (smtp != null) {
            smtp.close();
        }
        if (postgres != null) {
            try {
                postgres.close();
            } catch (Exception e) {
                System.out.println("Failed to stop PostgreSQL: " + e.getMessage());
            }
        }
        System.out.println("Local stack stopped");
    }

    /**
     * Returns the local stack's key-encryption key, made on first use and kept in the data folder, readable
     * only by its owner, so imported private keys stay readable across restarts.
     */
    /** Returns the signing key of this stack's administrator tokens, made in the data folder on first start. */
    private AdminTokens adminTokens() {
        return AdminTokens.inDirectory(options.dataDir().resolve("admin-tokens"));
    }

    private Path adminTokenFile() {
        return options.dataDir().resolve("admin-tokens").resolve("admin-token");
    }

    /**
     * Signs a new smime-admin token for the user and the scenario and writes it, readable by its owner
     * only, in place of the token of an earlier start.
     */
    private String writeAdminToken() {
        String token = adminTokens().adminToken("local-admin", ADMIN_TOKEN_LIFETIME);
        writeOwnerOnly(adminTokenFile(), token);
        // Tokens of the two narrower roles, for trying what a report reader or an MDM connector may do.
        writeOwnerOnly(adminTokenFile().resolveSibling("reader-token"),
                adminTokens().token("local-reader", List.of(AdminTokens.READER), ADMIN_TOKEN_LIFETIME));
        writeOwnerOnly(adminTokenFile().resolveSibling("enroller-token"),
                adminTokens().token("local-enroller", List.of(AdminTokens.ENROLLER), ADMIN_TOKEN_LIFETIME));
        return token;
    }

    private static void writeOwnerOnly(Path file, String token) {
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, token + "\n");
        } catch (IOException e) {
            throw new IllegalStateException("Failed to write the token file " + file, e);
        }
    }

    private String localKeyEncryptionKey() {
        Path file = options.dataDir().resolve("key-encryption-key.b64");
        try {
            if (!Files.exists(file)) {
                byte[] key = new byte[32];
                new java.security.SecureRandom().nextBytes(key);
                Files.writeString(file, java.util.Base64.getEncoder().encodeToString(key));
                Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
                LOG.infof("Created the local key-encryption key in %s", file);
            }
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new IllegalStateException("Failed to read or create the key-encryption key " + file, e);
        }
    }

    /**
     * Returns the private and public key files of the RSA key pair that device-service seals APNs tokens to
     * and notification-service opens them with. They are made on first use and kept in the data folder; the
     * private key is readable only by its owner.
     */
    private synchronized Path[] pushTokenKeyFiles() {
        Path privateFile = options.dataDir().resolve("push-token-key.pem");
        Path publicFile = options.dataDir().resolve("push-token-key.pub.pem");
        try {
            if (!Files.exists(privateFile) || !Files.exists(publicFile)) {
                java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
                generator.initialize(3072);
                java.security.KeyPair keys = generator.generateKeyPair();
                java.util.Base64.Encoder base64 = java.util.Base64.getMimeEncoder(64, new byte[] { '\n' });
                Files.writeString(privateFile, "-----BEGIN PRIVATE KEY-----\n"
                        + base64.encodeToString(keys.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
                Files.setPosixFilePermissions(privateFile,
                        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
                Files.writeString(publicFile, "-----BEGIN PUBLIC KEY-----\n"
                        + base64.encodeToString(keys.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
                LOG.infof("Created the local push token key pair in %s", options.dataDir());
            }
            return new Path[] { privateFile, publicFile };
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("Failed to read or create the push token key pair in " + options.dataDir(), e);
        }
    }

    /** The Kafka admin client logs its whole configuration at INFO; only warnings matter here. */
    private static java.util.logging.Logger quietLog(String name) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(java.util.logging.Level.WARNING);
        return logger;
    }

    private static java.util.logging.Logger quietKafkaClientLog() {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger("org.apache.kafka");
        logger.setLevel(java.util.logging.Level.WARNING);
        return logger;
    }

    private int servicePort(ServiceDefinition service) {
        return options.firstServicePort() + service.portOffset();
    }

    private static int freeOrAny(int preferred, String purpose) {
        if (FreePorts.isFree(preferred)) {
            return preferred;
        }
        int port = FreePorts.find();
        LOG.warnf("Port %d for %s is in use; using port %d instead", preferred, purpose, port);
        return port;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
