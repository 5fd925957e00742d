package io.smimedelivery.simulator;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.bouncycastle.jce.provider.BouncyCastleProvider;


/**
 * The scenario's PKI folder: {@code root-ca.pem}, {@code issuing-ca.pem}, {@code pkcs12/*.p12} and
 * {@code pkcs12-passwords.txt} with one line {@code <file name> <password>} per PKCS#12 file. A file is
 * named {@code <local part>-<purpose>-<age>.p12}, where the local part is the part of a scenario user's
 * address before the {@code @}, the purpose is encryption, signing or dual, and the age is expired,
 * superseded, current or renewal.
 */
final class ScenarioInput {

    static final String SCRIPT_RESOURCE = "make-pki.sh";
    static final String PASSWORD_FILE = "pkcs12-passwords.txt";
    private static final Pattern FILE_NAME = Pattern.compile(
            "([a-z0-9._-]+)-(encryption|signing|dual)-(expired|superseded|current|renewal)\\.p12");
    private static final long SCRIPT_TIMEOUT_SECONDS = 300;

    /** Certificate purpose. The import purpose is the constant's name, except that DUAL is imported as UNASSIGNED. */
    enum Purpose { ENCRYPTION, SIGNING, DUAL }

    /** A certificate's place in the user's history; a RENEWAL is imported only after the first delivery. */
    enum Age { EXPIRED, SUPERSEDED, CURRENT, RENEWAL }

    /** One PKCS#12 file of a user, with its password and the certificate of its key. */
    record InputFile(String fileName, String email, Purpose purpose, Age age, String password, byte[] pkcs12,
            X509Certificate certificate) {
    }

    private final Path folder;
    private final X509Certificate root;
    private final X509Certificate issuing;
    private final List<InputFile> files;

    private ScenarioInput(Path folder, X509Certificate root, X509Certificate issuing, List<InputFile> files) {
        this.folder = folder;
        this.root = root;
        this.issuing = issuing;
        this.files = files;
    }

    Path folder() {
        return folder;
    }

    X509Certificate rootCertificate() {
        return root;
    }

    X509Certificate issuingCertificate() {
        return issuing;
    }

    List<InputFile> files() {
        return files;
    }

    /**
     * Runs the make-pki.sh script that the simulator jar carries, which makes the PKI folder with the
     * openssl command, and returns the folder. The script's output goes to {@code out}, indented.
     */
    static Path makeWithOpenssl(Path stateDir, PrintStream out) {
        Path script = stateDir.resolve(SCRIPT_RESOURCE);
        Path pki = stateDir.resolve("pki");
        try (InputStream resource = ScenarioInput.class.getResourceAsStream(SCRIPT_RESOURCE)) {
            if (resource == null) {
                throw new SimulatorException("The simulator jar lacks " + SCRIPT_RESOURCE + "; rebuild it with "
                        + "./mvnw -pl device-simulator -am package -DskipTests.");
            }
            Files.write(script, resource.readAllBytes());
        } catch (IOException e) {
            throw new SimulatorException("Writing " + script + " failed: " + e.getMessage(), e);
        }
        Process process;
        try {
            process = new ProcessBuilder("bash", script.toString(), pki.toString())
                    .redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new SimulatorException("Starting bash " + script + " failed: " + e.getMessage()
                    + ". The scenario needs bash and openssl on the PATH, or --input with a PKI folder.", e);
        }
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                out.println("  " + line);
            }
            if (!process.waitFor(SCRIPT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new SimulatorException(script + " timed out after " + SCRIPT_TIMEOUT_SECONDS + " s.");
            }
        } catch (IOException e) {
            process.destroyForcibly();
            throw new SimulatorException("Reading the output of " + script + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new SimulatorException("The scenario was interrupted while " + script + " ran.", e);
        }
        if (process.exitValue() != 0) {
            throw new SimulatorException(script + " failed with exit status " + process.exitValue() + "; see its output above.");
        }
        return pki;
    }

    /**
     * Reads a PKI folder. Files whose local part belongs to none of the given addresses are skipped with
     * a note on {@code out}.
     */
    static ScenarioInput read(Path folder, List<String> emails, PrintStream out) {
        if (!Files.isDirectory(folder)) {
            throw new UsageException("The PKI folder " + folder + " does not exist.");
        }
        X509Certificate root = readCertificate(folder.resolve("root-ca.pem"));
        X509Certificate issuing = readCertificate(folder.resolve("issuing-ca.pem"));
        Map<String, String> passwords = readPasswords(folder.resolve(PASSWORD_FILE));
        Map<String, String> emailsByLocalPart = new LinkedHashMap<>();
        emails.forEach(email -> emailsByLocalPart.put(email.substring(0, email.indexOf('@')), email));

        Path pkcs12Folder = folder.resolve("pkcs12");
        List<Path> pkcs12Files;
        try (Stream<Path> listing = Files.list(pkcs12Folder)) {
            pkcs12Files = listing.filter(path -> path.getFileName().toString().endsWith(".p12")).sorted().toList();
        } catch (IOException e) {
            throw new UsageException("Listing " + pkcs12Folder + " failed: " + e.getMessage()
                    + ". The PKI folder needs a pkcs12 folder with the users' PKCS#12 files.");
        }
        List<InputFile> files = new ArrayList<>();
        for (Path file : pkcs12Files) {
            String name = file.getFileName().toString();
            Matcher matcher = FILE_NAME.matcher(name);
            if (!matcher.matches()) {
                out.println("  skipped " + name + ": the name is not <local part>-<purpose>-<age>.p12");
                continue;
            }
            String email = emailsByLocalPart.get(matcher.group(1));
            if (email == null) {
                out.println("  skipped " + name + ": " + matcher.group(1) + " is not a scenario user");
                continue;
            }
            String password = passwords.get(name);
            if (password == null) {
                throw new UsageException(PASSWORD_FILE + " in " + folder + " has no password for " + name + ".");
            }
            byte[] pkcs12;
            try {
                pkcs12 = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new UsageException("Reading " + file + " failed: " + e.getMessage());
            }
            files.add(new InputFile(name, email, Purpose.valueOf(matcher.group(2).toUpperCase(Locale.ROOT)),
                    Age.valueOf(matcher.group(3).toUpperCase(Locale.ROOT)), password, pkcs12,
                    certificateOf(name, pkcs12, password)));
        }
        if (files.isEmpty()) {
            throw new UsageException(pkcs12Folder + " contains no PKCS#12 file of a scenario user.");
        }
        return new ScenarioInput(folder, root, issuing, List.copyOf(files));
    }

    /** Returns the file of a user with the purpose and age, if the folder has one. */
    java.util.Optional<InputFile> find(String email, Purpose purpose, Age age) {
        return files.stream().filter(file -> file.email().equals(email) && file.purpose() == purpose && file.age() == age)
                .findFirst();
    }

    private static X509Certificate readCertificate(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException | GeneralSecurityException e) {
            throw new UsageException("Reading the certificate " + file + " failed: " + e.getMessage());
        }
    }

    private static Map<String, String> readPasswords(Path file) {
        Map<String, String> passwords = new LinkedHashMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UsageException("Reading " + file + " failed: " + e.getMessage());
        }
        for (String line : lines) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int space = trimmed.indexOf(' ');
            if (space < 0) {
                throw new UsageException("A line of " + file + " has no password after the file name. Write "
                        + "<file name> <password> on each line.");
            }
            passwords.put(trimmed.substring(0, space), trimmed.substring(space + 1));
        }
        return passwords;
    }

    /** Reads the certificate of the key entry. BouncyCastle reads passwords that the JDK's PKCS12 store rejects. */
    private static X509Certificate certificateOf(String name, byte[] pkcs12, String password) {
        char[] chars = password.toCharArray();
        try {
            KeyStore store = KeyStore.getInstance("PKCS12", new BouncyCastleProvider());
            store.load(new ByteArrayInputStream(pkcs12), chars);
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    return (X509Certificate) store.getCertificate(alias);
                }
            }
            throw new UsageException(name + " contains no private key.");
        } catch (IOException | GeneralSecurityException e) {
            throw new UsageException("Reading " + name + " with its password failed: " + e.getMessage());
        } finally {
            java.util.Arrays.fill(chars, '\0');
        }
    }
}
