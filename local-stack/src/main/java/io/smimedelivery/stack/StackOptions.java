package io.smimedelivery.stack;

import java.nio.file.Path;
import java.util.List;

/** Command-line options of the local stack. */
record StackOptions(Path projectDir, Path dataDir, String databasePrefix, boolean fresh, int kafkaPort, int kafkaControllerPort,
        int smtpPort, int imapPort, int firstServicePort, boolean help, boolean scenario, Path scenarioInput,
        Path scenarioStateDir, int scenarioTimeoutSeconds, boolean keepRunning) {

    static final String USAGE = """
            Usage: ./local-stack.sh [options]

            Starts Kafka, PostgreSQL, an SMTP server and the four services, prints their addresses and runs
            until Ctrl-C, which stops everything it started. With --scenario it runs the device simulator's
            scenario once the services are ready, then stops everything and exits with the scenario's status.

            Options:
              --build                    rebuild the project first (./mvnw install -DskipTests); handled by
                                         ./local-stack.sh, which also builds on the first run
              --data-dir DIR             folder for Kafka data, logs and an embedded PostgreSQL (default .local-stack)
              --fresh                    drop the four databases and the Kafka data before starting
              --database-prefix NAME     databases are NAME_policy, NAME_certificate, NAME_notification and
                                         NAME_device (default smime)
              --kafka-port PORT          Kafka client port on 127.0.0.1 (default 9092)
              --kafka-controller-port PORT
                                         Kafka controller port on 127.0.0.1 (default 9093)
              --smtp-port PORT           SMTP port of the mail server (default 2525)
              --imap-port PORT           IMAP port of the mail server (default 2143)
              --first-service-port PORT  HTTP port of policy-service; the other services take the next three
                                         (default 8081)
              --project-dir DIR          checkout that holds the built services (default: current folder)
              --scenario                 run the scenario on empty databases (implies --fresh), print its
                                         report and checks, stop, and exit with 0 only when it passed
              --scenario-input DIR       PKI folder for the scenario (root-ca.pem, issuing-ca.pem, pkcs12/,
                                         pkcs12-passwords.txt, as device-simulator/scripts/make-pki.sh makes
                                         it); without it the scenario makes one with openssl
              --scenario-state-dir DIR   new or empty folder for the scenario's PKI, old mail and devices
                                         (default DATA_DIR/scenario-<date>-<time>)
              --scenario-timeout SECONDS maximum wait for each round of deliveries (default 180)
              --keep-running             after the scenario, keep the stack running for a look at the mailbox,
                                         landing pages and topics until Ctrl-C; the exit status is still the
                                         scenario's
              --help                     print this text

            PostgreSQL: SMIME_POSTGRES_URL, SMIME_POSTGRES_USER and SMIME_POSTGRES_PASSWORD name an existing
            server; otherwise the server on 127.0.0.1:5432 is used if it accepts user postgres, and otherwise
            an embedded one is started. SMIME_KAFKA_BOOTSTRAP_SERVERS names an existing Kafka cluster.
            """;

    static StackOptions parse(List<String> args) {
        Path projectDir = Path.of("").toAbsolutePath();
        Path dataDir = null;
        String databasePrefix = "smime";
        boolean fresh = false;
        int kafkaPort = 9092;
        int kafkaControllerPort = 9093;
        int smtpPort = 2525;
        int imapPort = 2143;
        int firstServicePort = 8081;
        boolean help = false;
        boolean scenario = false;
        Path scenarioInput = null;
        Path scenarioStateDir = null;
        int scenarioTimeoutSeconds = 180;
        boolean keepRunning = false;

        for (int i = 0; i < args.size(); i++) {
            String option = args.get(i);
            switch (option) {
                case "--help", "-h" -> help = true;
                case "--fresh" -> fresh = true;
                case "--data-dir" -> dataDir = Path.of(value(args, ++i, option)).toAbsolutePath();
                case "--database-prefix" -> databasePrefix = databasePrefix(value(args, ++i, option));
                case "--project-dir" -> projectDir = Path.of(value(args, ++i, option)).toAbsolutePath();
                case "--kafka-port" -> kafkaPort = port(args, ++i, option);
                case "--kafka-controller-port" -> kafkaControllerPort = port(args, ++i, option);
                case "--smtp-port" -> smtpPort = port(args, ++i, option);
                case "--imap-port" -> imapPort = port(args, ++i, option);
                case "--first-service-port" -> firstServicePort = port(args, ++i, option);
                case "--scenario" -> scenario = true;
                case "--scenario-input" -> scenarioInput = Path.of(value(args, ++i, option)).toAbsolutePath();
                case "--scenario-state-dir" -> scenarioStateDir = Path.of(value(args, ++i, option)).toAbsolutePath();
                case "--scenario-timeout" -> scenarioTimeoutSeconds = seconds(args, ++i, option);
                case "--keep-running" -> keepRunning = true;
                default -> throw new IllegalArgumentException("Unknown option '" + option + "'; run with --help for the list");
            }
        }
        if (dataDir == null) {
            dataDir = projectDir.resolve(".local-stack");
        }
        if (!scenario && (scenarioInput != null || scenarioStateDir != null || keepRunning)) {
            throw new IllegalArgumentException("--scenario-input, --scenario-state-dir and --keep-running need --scenario");
        }
        if (scenarioInput != null && !java.nio.file.Files.isDirectory(scenarioInput)) {
            throw new IllegalArgumentException("The folder " + scenarioInput + " given to --scenario-input does not exist;"
                    + " make one with device-simulator/scripts/make-pki.sh DIR");
        }
        if (scenario && scenarioStateDir == null) {
            scenarioStateDir = dataDir.resolve("scenario-" + java.time.LocalDateTime.now()
                    .format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        }
        return new StackOptions(projectDir, dataDir, databasePrefix, fresh || scenario, kafkaPort, kafkaControllerPort, smtpPort,
                imapPort, firstServicePort, help, scenario, scenarioInput, scenarioStateDir, scenarioTimeoutSeconds, keepRunning);
    }

    private static String value(List<String> args, int index, String option) {
        if (index >= args.size()) {
            throw new IllegalArgumentException("Missing value after " + option + "; run with --help for the usage");
        }
        return args.get(index);
    }

    private static String databasePrefix(String text) {
        if (!text.matches("[a-z][a-z0-9_]{0,40}")) {
            throw new IllegalArgumentException("Invalid database prefix '" + text
                    + "'; use a lower-case letter followed by up to 40 lower-case letters, digits or underscores");
        }
        return text;
    }

    private static int seconds(List<String> args, int index, String option) {
        String text = value(args, index, option);
        try {
            int seconds = Integer.parseInt(text);
            if (seconds < 1 || seconds > 3600) {
                throw new NumberFormatException();
            }
            return seconds;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid number of seconds '" + text + "' for " + option
                    + "; use a number from 1 to 3600");
        }
    }

    private static int port(List<String> args, int index, String option) {
        String text = value(args, index, option);
        try {
            int port = Integer.parseInt(text);
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid port '" + text + "' for " + option
                    + "; use a number from 1 to 65535");
        }
    }
}
