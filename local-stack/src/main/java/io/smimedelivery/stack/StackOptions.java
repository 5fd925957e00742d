package io.smimedelivery.stack;

import java.nio.file.Path;
import java.util.List;

/** Command-line options of the local stack. */
record StackOptions(Path projectDir, Path dataDir, String databasePrefix, boolean fresh, int kafkaPort, int kafkaControllerPort,
        int smtpPort, int imapPort, int firstServicePort, boolean help) {

    static final String USAGE = """
            Usage: ./local-stack.sh [options]

            Starts Kafka, PostgreSQL, an SMTP server and the four services, prints their addresses and runs
            until Ctrl-C, which stops everything it started.

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
                default -> throw new IllegalArgumentException("Unknown option '" + option + "'; run with --help for the list");
            }
        }
        if (dataDir == null) {
            dataDir = projectDir.resolve(".local-stack");
        }
        return new StackOptions(projectDir, dataDir, databasePrefix, fresh, kafkaPort, kafkaControllerPort, smtpPort, imapPort,
                firstServicePort, help);
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
