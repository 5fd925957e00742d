package io.smimedelivery.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Checks docker-compose.yml and the Dockerfiles against what the build produces. No Docker engine is
 * needed: docker-compose validates the file without one.
 */
class DeploymentFilesTest {

    private static final Path PROJECT_ROOT = Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();
    private static final Path COMPOSE_FILE = PROJECT_ROOT.resolve("docker-compose.yml");
    private static final Path TLS_OVERRIDE_FILE = PROJECT_ROOT.resolve("deploy/tls/docker-compose.tls.yml");
    /** Set by .ci/run, which installs docker-compose, so a missing binary fails there instead of skipping. */
    private static final String REQUIRE_COMPOSE = "SMIME_REQUIRE_COMPOSE_CHECK";
    private static final Pattern COPY = Pattern.compile("^COPY(?:\\s+--\\S+)*\\s+(\\S+)\\s+\\S+\\s*$");

    @Test
    void dockerfilesCopyBuiltArtifacts() throws IOException {
        for (ServiceDefinition service : ServiceDefinition.ALL) {
            Path context = PROJECT_ROOT.resolve(service.name());
            Path dockerfile = context.resolve("src/main/docker/Dockerfile.jvm");
            assertTrue(Files.isRegularFile(dockerfile), "missing " + dockerfile);

            List<String> sources = copySources(dockerfile);
            assertFalse(sources.isEmpty(), dockerfile + " copies nothing");
            for (String source : sources) {
                assertTrue(matchesBuildOutput(context, source),
                        dockerfile + " copies " + source + ", which the build did not produce in " + context);
            }
            assertTrue(sources.contains("target/quarkus-app/quarkus-run.jar"), dockerfile + " copies the runner jar");
        }
    }

    @Test
    void dockerfilesUseLocalStackJvmOptions() throws IOException {
        String expected = "ENV JAVA_OPTS=\"" + String.join(" ", LocalStack.SERVICE_JVM_OPTIONS) + "\"";
        for (ServiceDefinition service : ServiceDefinition.ALL) {
            Path dockerfile = PROJECT_ROOT.resolve(service.name()).resolve("src/main/docker/Dockerfile.jvm");

            assertTrue(Files.readString(dockerfile, StandardCharsets.UTF_8).contains(expected),
                    dockerfile + " should set " + expected + ", the options the local stack and the benchmark use");
        }
    }

    @Test
    void composeBuildsEveryServiceFromItsDockerfile() throws IOException {
        String compose = Files.readString(COMPOSE_FILE, StandardCharsets.UTF_8);

        for (ServiceDefinition service : ServiceDefinition.ALL) {
            assertTrue(compose.contains("context: ./" + service.name() + "\n"), "build context of " + service.name());
            assertTrue(compose.contains("jdbc:postgresql://postgres:5432/" + service.database("smime") + "\n"),
                    service.name() + " uses its own database");
            int port = 8081 + service.portOffset();
            assertTrue(compose.contains("\"" + port + ":" + port + "\""), service.name() + " publishes port " + port);
        }
        assertEquals(4, count(compose, "dockerfile: src/main/docker/Dockerfile.jvm"));
        assertEquals(4, count(compose, "/q/health/ready"), "every service has a readiness health check");
    }

    @Test
    void postgresInitCreatesComposeDatabases() throws IOException {
        String init = Files.readString(PROJECT_ROOT.resolve("deploy/postgres/init-databases.sql"), StandardCharsets.UTF_8);
        Set<String> created = new TreeSet<>();
        Matcher matcher = Pattern.compile("CREATE DATABASE (\\w+);").matcher(init);
        while (matcher.find()) {
            created.add(matcher.group(1));
        }

        Set<String> expected = new TreeSet<>();
        ServiceDefinition.ALL.forEach(service -> expected.add(service.database("smime")));
        assertEquals(expected, created);
    }

    @Test
    void dockerComposeValidatesFile() throws Exception {
        boolean required = "true".equalsIgnoreCase(System.getenv(REQUIRE_COMPOSE));
        boolean installed = commandExists("docker-compose");
        if (!installed) {
            assertFalse(required, REQUIRE_COMPOSE + " is set but docker-compose is not installed");
            Assumptions.abort("docker-compose is not installed (Debian package docker-compose); skipping its validation");
        }

        CommandResult validation = run(List.of("docker-compose", "-f", COMPOSE_FILE.toString(), "config", "-q"));
        assertEquals(0, validation.exitCode(), "docker-compose config -q failed:\n" + validation.output());

        CommandResult services = run(List.of("docker-compose", "-f", COMPOSE_FILE.toString(), "config", "--services"));
        assertEquals(0, services.exitCode(), services.output());
        Set<String> expected = new TreeSet<>(List.of("kafka", "postgres", "mailpit"));
        ServiceDefinition.ALL.forEach(service -> expected.add(service.name()));
        assertEquals(expected, new TreeSet<>(services.output().lines().map(String::trim).filter(l -> !l.isEmpty()).toList()));
    }

    @Test
    void tlsOverrideMatchesServicePorts() throws IOException {
        String override = Files.readString(TLS_OVERRIDE_FILE, StandardCharsets.UTF_8);

        for (ServiceDefinition service : ServiceDefinition.ALL) {
            int httpsPort = 8441 + service.portOffset();
            assertTrue(override.contains("\n  " + service.name() + ":\n"), "the override configures " + service.name());
            assertTrue(override.contains("\"" + httpsPort + ":" + httpsPort + "\""),
                    service.name() + " publishes HTTPS port " + httpsPort);
            Path properties = PROJECT_ROOT.resolve(service.name()).resolve("src/main/resources/application.properties");
            assertTrue(Files.readString(properties, StandardCharsets.UTF_8).contains("\nquarkus.http.ssl-port=" + httpsPort + "\n"),
                    properties + " sets quarkus.http.ssl-port=" + httpsPort);
        }
        assertEquals(4, count(override, "*tls-environment"), "every service gets the TLS variables");
        assertTrue(override.contains("SMIME_TLS_CERT_FILE: /etc/smime/tls/cert.pem"));
        assertTrue(override.contains("SMIME_TLS_KEY_FILE: /etc/smime/tls/key.pem"));
        assertTrue(override.contains("./deploy/tls:/etc/smime/tls:ro"));
    }

    @Test
    void dockerComposeValidatesTlsOverride() throws Exception {
        boolean required = "true".equalsIgnoreCase(System.getenv(REQUIRE_COMPOSE));
        if (!commandExists("docker-compose")) {
            assertFalse(required, REQUIRE_COMPOSE + " is set but docker-compose is not installed");
            Assumptions.abort("docker-compose is not installed (Debian package docker-compose); skipping its validation");
        }

        CommandResult validation = run(List.of("docker-compose", "-f", COMPOSE_FILE.toString(), "-f",
                TLS_OVERRIDE_FILE.toString(), "config", "-q"));
        assertEquals(0, validation.exitCode(), "docker-compose config -q with the TLS override failed:\n" + validation.output());
    }

    private static List<String> copySources(Path dockerfile) throws IOException {
        List<String> sources = new ArrayList<>();
        for (String line : Files.readAllLines(dockerfile, StandardCharsets.UTF_8)) {
            Matcher matcher = COPY.matcher(line.trim());
            if (matcher.matches()) {
                sources.add(matcher.group(1));
            }
        }
        return sources;
    }

    /** Returns whether {@code source}, a path or a glob in its last part, names non-empty build output. */
    private static boolean matchesBuildOutput(Path context, String source) throws IOException {
        String trimmed = source.endsWith("/") ? source.substring(0, source.length() - 1) : source;
        Path path = context.resolve(trimmed);
        String last = path.getFileName().toString();
        if (last.contains("*")) {
            try (DirectoryStream<Path> matches = Files.newDirectoryStream(path.getParent(), last)) {
                return matches.iterator().hasNext();
            }
        }
        if (Files.isDirectory(path)) {
            try (var entries = Files.list(path)) {
                return entries.findAny().isPresent();
            }
        }
        return Files.isRegularFile(path) && Files.size(path) > 0;
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int index = text.indexOf(part); index >= 0; index = text.indexOf(part, index + 1)) {
            count++;
        }
        return count;
    }

    private static boolean commandExists(String command) throws Exception {
        return run(List.of("sh", "-c", "command -v " + command)).exitCode() == 0;
    }

    private record CommandResult(int exitCode, String output) {
    }

    private static CommandResult run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).directory(PROJECT_ROOT.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new CommandResult(-1, "timed out: " + command);
        }
        return new CommandResult(process.exitValue(), output);
    }
}
