package io.smimedelivery.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Searches everything a run of the local stack left behind for secrets. The sources are each service's
 * log, the launcher's output and every record of every topic, read from the broker's log segments. The
 * secrets are private keys in PEM, any JWT (device and administrator tokens), the PKCS#12 files and their
 * passwords, the key-encryption key, and each device token, SCEP challenge and package password that the
 * simulator recorded in its ledger. The services produce records uncompressed, so a byte search of the
 * segments finds each value.
 */
final class SecretScan {

    private static final Pattern PRIVATE_KEY_PEM = Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----");
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{16,}");
    /** Length of the prefix of a PKCS#12 file that the scan looks for, raw and in Base64. */
    private static final int PKCS12_PREFIX = 48;

    private final Map<String, byte[]> secrets = new LinkedHashMap<>();
    private final List<String> findings = new ArrayList<>();
    private int filesScanned;

    /** Collects the secrets of one run from its data folder, scenario state folder and ledger. */
    static SecretScan of(Path dataDir, Path stateDir, Path ledger) throws IOException {
        SecretScan scan = new SecretScan();
        scan.collectLedger(ledger);
        scan.collectPkcs12(stateDir);
        Path kek = dataDir.resolve("key-encryption-key.b64");
        if (Files.exists(kek)) {
            scan.add("key-encryption key", Files.readString(kek).trim());
        }
        return scan;
    }

    /** Number of secrets the scan looks for, besides the patterns. */
    int secretCount() {
        return secrets.size();
    }

    int filesScanned() {
        return filesScanned;
    }

    /** Searches every regular file under {@code folder} whose name ends with one of {@code suffixes}. */
    SecretScan scanFiles(Path folder, String... suffixes) throws IOException {
        if (!Files.isDirectory(folder)) {
            findings.add("missing folder " + folder + " to scan");
            return this;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String name = file.getFileName().toString();
                if (Arrays.stream(suffixes).anyMatch(name::endsWith)) {
                    scan(folder.relativize(file).toString(), Files.readAllBytes(file));
                }
            }
        }
        return this;
    }

    /** Searches one text, such as the launcher's output. */
    SecretScan scanText(String source, String text) {
        scan(source, text.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** Returns every finding as "source: what", without the secret itself. */
    List<String> findings() {
        return findings;
    }

    private void scan(String source, byte[] content) {
        filesScanned++;
        String text = new String(content, StandardCharsets.ISO_8859_1);
        Matcher pem = PRIVATE_KEY_PEM.matcher(text);
        if (pem.find()) {
            findings.add(source + ": a PEM private key at offset " + pem.start());
        }
        Matcher jwt = JWT.matcher(text);
        if (jwt.find()) {
            findings.add(source + ": a JWT at offset " + jwt.start());
        }
        secrets.forEach((what, needle) -> {
            int at = text.indexOf(new String(needle, StandardCharsets.ISO_8859_1));
            if (at >= 0) {
                findings.add(source + ": " + what + " at offset " + at);
            }
        });
    }

    private void collectLedger(Path ledger) throws IOException {
        if (!Files.exists(ledger)) {
            findings.add("the simulator wrote no secret ledger at " + ledger);
            return;
        }
        int line = 0;
        for (String entry : Files.readAllLines(ledger, StandardCharsets.UTF_8)) {
            line++;
            int space = entry.indexOf(' ');
            if (space > 0) {
                add(entry.substring(0, space) + " (ledger line " + line + ")", entry.substring(space + 1));
            }
        }
    }

    private void collectPkcs12(Path stateDir) throws IOException {
        try (Stream<Path> files = Files.walk(stateDir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".p12") || name.endsWith(".pfx")) {
                    byte[] data = Files.readAllBytes(file);
                    byte[] prefix = Arrays.copyOf(data, Math.min(PKCS12_PREFIX, data.length));
                    secrets.put("PKCS#12 bytes of " + name, prefix);
                    add("PKCS#12 Base64 of " + name, Base64.getEncoder().encodeToString(prefix));
                } else if (name.equals("pkcs12-passwords.txt")) {
                    for (String entry : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                        String[] parts = entry.trim().split(" ", 2);
                        if (!entry.startsWith("#") && parts.length == 2) {
                            add("password of " + parts[0], parts[1]);
                        }
                    }
                }
            }
        }
    }

    private void add(String what, String value) {
        if (value != null && value.length() >= 8) {
            secrets.put(what, value.getBytes(StandardCharsets.UTF_8));
        }
    }
}
