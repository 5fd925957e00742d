package io.smimedelivery.simulator;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smimedelivery.events.EventJson;
import io.smimedelivery.simulator.PackageOpener.KeyEntry;
import io.smimedelivery.simulator.PackageOpener.OpenedPackage;

/**
 * Writes what a device installs from an opened package into {@code installed/<policy id>/}, replacing
 * the files of an earlier package of that policy:
 * <ul>
 *   <li>{@code <role>-<thumbprint prefix>.pem}: each certificate, from the PKCS#12 and the trusted
 *       certificates, named by its manifest role and the first 8 hex digits of its SHA-256 thumbprint;
 *   <li>{@code <role>-<thumbprint prefix>.key.pem}: the private key of each PKCS#12 entry, PKCS#8 PEM,
 *       mode 600;
 *   <li>{@code manifest.json}: the package document without the PKCS#12 password and data and the SCEP challenge;
 *   <li>{@code app-config.json}: Outlook's app configuration.
 * </ul>
 */
final class PackageInstaller {

    static final String MANIFEST_FILE = "manifest.json";
    static final String APP_CONFIG_FILE = "app-config.json";
    private static final int THUMBPRINT_PREFIX = 8;

    private PackageInstaller() {
    }

    /**
     * The installed files and certificates.
     *
     * @param installedThumbprints SHA-256 thumbprints of every certificate written, lower-case hex
     * @param manifestThumbprints  SHA-256 thumbprints that the package's manifest lists, lower-case hex
     * @param files                names of the files written, in the order written
     */
    record Installation(Path folder, Set<String> installedThumbprints, Set<String> manifestThumbprints, List<String> files) {

        Set<String> missing() {
            Set<String> missing = new LinkedHashSet<>(manifestThumbprints);
            missing.removeAll(installedThumbprints);
            return missing;
        }

        Set<String> unexpected() {
            Set<String> unexpected = new LinkedHashSet<>(installedThumbprints);
            unexpected.removeAll(manifestThumbprints);
            return unexpected;
        }
    }

    static Installation install(OpenedPackage opened, Path installedRoot) throws IOException {
        return install(opened, installedRoot, Map.of());
    }

    /**
     * Installs the package. {@code derived} maps the SHA-256 thumbprints of the device's derived credentials
     * to their certificate and key; manifest entries that are not in the PKCS#12 are resolved from it, as a
     * device uses the credentials it already holds.
     */
    static Installation install(OpenedPackage opened, Path installedRoot, Map<String, KeyEntry> derived) throws IOException {
        JsonNode document = opened.document();
        Map<String, String> roles = new LinkedHashMap<>();
        for (JsonNode entry : document.path("certificates")) {
            roles.put(entry.path("thumbprintSha256").asText().toLowerCase(Locale.ROOT), entry.path("role").asText("unlisted"));
        }

        Path folder = installedRoot.resolve(folderName(document.path("policyId").asText()));
        PemFiles.createOwnerOnlyFolder(installedRoot);
        PemFiles.createOwnerOnlyFolder(folder);
        deleteFiles(folder);

        Set<String> installed = new LinkedHashSet<>();
        List<String> files = new ArrayList<>();
        for (KeyEntry key : opened.keys()) {
            String thumbprint = PackageOpener.thumbprint(key.certificate());
            String baseName = baseName(roles.getOrDefault(thumbprint, "unlisted"), thumbprint);
            PemFiles.writeOwnerOnly(folder.resolve(baseName + ".pem"), PemFiles.certificatePem(key.certificate()));
            PemFiles.writeOwnerOnly(folder.resolve(baseName + ".key.pem"), PemFiles.privateKeyPem(key.privateKey()));
            files.add(baseName + ".pem");
            files.add(baseName + ".key.pem");
            installed.add(thumbprint);
        }
        for (JsonNode entry : document.path("certificates")) {
            String thumbprint = entry.path("thumbprintSha256").asText().toLowerCase(Locale.ROOT);
            KeyEntry credential = derived.get(thumbprint);
            if (entry.path("inPkcs12").asBoolean(true) || credential == null || !installed.add(thumbprint)) {
                continue;
            }
            String baseName = baseName(entry.path("role").asText() + "-derived", thumbprint);
            PemFiles.writeOwnerOnly(folder.resolve(baseName + ".pem"), PemFiles.certificatePem(credential.certificate()));
            PemFiles.writeOwnerOnly(folder.resolve(baseName + ".key.pem"), PemFiles.privateKeyPem(credential.privateKey()));
            files.add(baseName + ".pem");
            files.add(baseName + ".key.pem");
        }
        for (X509Certificate certificate : opened.trustedCertificates()) {
            String thumbprint = PackageOpener.thumbprint(certificate);
            if (!installed.add(thumbprint)) {
                continue;
            }
            String baseName = baseName(roles.getOrDefault(thumbprint, "trusted"), thumbprint);
            PemFiles.writeOwnerOnly(folder.resolve(baseName + ".pem"), PemFiles.certificatePem(certificate));
            files.add(baseName + ".pem");
        }

        ObjectMapper json = EventJson.mapper();
        ObjectNode manifest = document.deepCopy();
        if (manifest.get("pkcs12") instanceof ObjectNode pkcs12) {
            SecretLedger.record("package-pkcs12-password", pkcs12.path("password").asText());
            pkcs12.remove("password");
            pkcs12.remove("data");
        }
        if (manifest.get("scep") instanceof ObjectNode scep) {
            scep.remove("challenge");
        }
        PemFiles.writeOwnerOnly(folder.resolve(MANIFEST_FILE), json.writerWithDefaultPrettyPrinter().writeValueAsString(manifest) + "\n");
        files.add(MANIFEST_FILE);
        JsonNode appConfig = document.path("appConfig");
        PemFiles.writeOwnerOnly(folder.resolve(APP_CONFIG_FILE), json.writerWithDefaultPrettyPrinter()
                .writeValueAsString(appConfig.isMissingNode() ? json.createObjectNode() : appConfig) + "\n");
        files.add(APP_CONFIG_FILE);

        return new Installation(folder, installed, new LinkedHashSet<>(roles.keySet()), files);
    }

    /** Returns a folder name for a policy id: characters other than letters, digits, dots, dashes and underscores become "_". */
    static String folderName(String policyId) {
        String name = policyId.replaceAll("[^A-Za-z0-9._-]", "_");
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            return "_" + name;
        }
        return name;
    }

    private static String baseName(String role, String thumbprint) {
        String safeRole = role.toLowerCase(Locale.ROOT).replace('_', '-').replaceAll("[^a-z0-9-]", "_");
        return safeRole + "-" + thumbprint.substring(0, THUMBPRINT_PREFIX);
    }

    /** Deletes the files of an earlier installation; the folder contains no subfolders. */
    private static void deleteFiles(Path folder) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            for (Path entry : entries) {
                if (Files.isRegularFile(entry)) {
                    Files.delete(entry);
                }
            }
        }
    }
}
