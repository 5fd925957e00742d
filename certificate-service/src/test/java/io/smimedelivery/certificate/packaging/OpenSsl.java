package io.smimedelivery.certificate.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the {@code openssl} command on the PATH with files in a test's temporary directory. Passwords
 * go through the environment ({@code -passin env:NAME}), never on the command line.
 */
final class OpenSsl {

    /** Environment variable that carries the password for {@code -passin env:}. */
    static final String PASSWORD_VARIABLE = "PACKAGING_TEST_PASSWORD";

    private static final long TIMEOUT_SECONDS = 60;

    /** Exit code and output of one openssl run. Stdout is kept as bytes because it may be binary. */
    record Result(List<String> command, int exitCode, byte[] stdout, String stderr) {

        String stdoutText() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        /** Returns stdout with each byte as one character, for output that is not valid UTF-8. */
        String stdoutLatin1() {
            return new String(stdout, StandardCharsets.ISO_8859_1);
        }

        String describe() {
            return "openssl " + String.join(" ", command.subList(1, command.size()))
                    + " exited with " + exitCode + "; stderr:\n" + stderr;
        }
    }

    private OpenSsl() {
    }

    /** Runs openssl with the arguments in {@code directory}, with {@code password} (if not null) in {@link #PASSWORD_VARIABLE}. */
    static Result run(Path directory, char[] password, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(arguments));

        Path stdout = Files.createTempFile(directory, "openssl-", ".out");
        Path stderr = Files.createTempFile(directory, "openssl-", ".err");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        Map<String, String> environment = builder.environment();
        environment.remove(PASSWORD_VARIABLE);
        if (password != null) {
            environment.put(PASSWORD_VARIABLE, new String(password));
        }

        Process process = builder.start();
        process.getOutputStream().close();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("openssl did not finish within " + TIMEOUT_SECONDS + " s: " + command);
        }
        return new Result(command, process.exitValue(), Files.readAllBytes(stdout),
                Files.readString(stderr, StandardCharsets.ISO_8859_1));
    }

    /** Runs openssl like {@link #run} and fails the test unless it exits with 0. */
    static Result runSuccessfully(Path directory, char[] password, String... arguments)
            throws IOException, InterruptedException {
        Result result = run(directory, password, arguments);
        assertEquals(0, result.exitCode(), result::describe);
        return result;
    }
}
