package io.smimedelivery.simulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Records the secrets the simulator handles (device tokens, SCEP challenges, package PKCS#12 passwords)
 * in the file that the environment variable {@value #VARIABLE} names, one "kind value" line each, so a
 * test can search the services' logs and the topics for every one of them. Without the variable it
 * records nothing. The file is created readable by its owner only.
 */
final class SecretLedger {

    static final String VARIABLE = "SMIME_SIMULATOR_SECRET_LEDGER";

    private static final Path FILE = fileFromEnvironment();

    private SecretLedger() {
    }

    /** Appends one secret of the given kind, such as device-token, to the ledger when one is configured. */
    static synchronized void record(String kind, String value) {
        if (FILE == null || value == null || value.isEmpty()) {
            return;
        }
        try {
            if (!Files.exists(FILE)) {
                Files.createFile(FILE, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.writeString(FILE, kind + " " + value + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new SimulatorException("Cannot write the secret ledger " + FILE + " (" + VARIABLE + "): "
                    + e.getMessage(), e);
        }
    }

    private static Path fileFromEnvironment() {
        String file = System.getenv(VARIABLE);
        return file == null || file.isBlank() ? null : Path.of(file);
    }
}
