package io.smimedelivery.simulator;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import io.smimedelivery.deviceauth.DeviceTokenSigner;
import io.smimedelivery.events.EventJson;
import io.smimedelivery.simulator.Scenario.User;
import io.smimedelivery.simulator.ScenarioInput.Age;
import io.smimedelivery.simulator.ScenarioInput.InputFile;
import io.smimedelivery.simulator.ScenarioInput.Purpose;
import io.smimedelivery.simulator.ScenarioSync.DeviceResult;
import io.smimedelivery.simulator.ScenarioSync.Target;

/**
 * The scenario's changes after the first delivery, and their checks: a user joins a group that already
 * has the policy, a device is retired, and a user's encryption certificate is renewed.
 */
final class ScenarioChanges {

    private static final Duration POLL_INTERVAL = Duration.ofSeconds(2);

    private final PrintStream out;
    private final ServiceClient policies;
    private final ServiceClient certificates;
    private final ServiceClient notifications;
    private final ServiceClient devices;
    private final Path deviceDir;
    private final Map<String, String> packagesBefore = new LinkedHashMap<>();
    private boolean ok = true;

    ScenarioChanges(PrintStream out, ServiceClient policies, ServiceClient certificates, ServiceClient notifications,
            ServiceClient devices, Path deviceDir) {
        this.out = out;
        this.policies = policies;
        this.certificates = certificates;
        this.notifications = notifications;
        this.devices = devices;
        this.deviceDir = deviceDir;
    }

    /** Makes the three changes and returns the devices to follow, each with the state that ends its wait. */
    Map<String, Target> apply(ScenarioInput input, Map<String, DeviceResult> results) {
        results.values().forEach(result -> packagesBefore.put(result.device().id(), result.packageId()));
        Map<String, Target> targets = new LinkedHashMap<>();

        for (User user : Scenario.USERS) {
            if (user.joinsLater()) {
                policies.sendEmpty("PUT", "/api/directory/groups/" + user.group() + "/members/" + user.id());
                out.println(user.email() + " joins group " + user.group() + ", which already has its policy");
                user.devices().forEach(device -> targets.put(device.id(), new Target(DeviceResult::settled, true)));
            }
        }

        devices.sendJson("POST", "/api/devices/" + Scenario.RETIRED_DEVICE + "/retire", Map.of("reason", "Lost device"));
        out.println("Retired " + Scenario.RETIRED_DEVICE + " (reason: lost device)");
        targets.put(Scenario.RETIRED_DEVICE, new Target(result -> "REMOVED".equals(result.state()), false));

        InputFile renewal = renewalOf(input);
        out.println("Importing the renewed encryption certificate of " + Scenario.RENEWED_USER);
        Scenario.importCertificates(certificates, List.of(renewal), out);
        for (User user : Scenario.USERS) {
            if (user.email().equals(Scenario.RENEWED_USER)) {
                for (var device : user.devices()) {
                    String before = packagesBefore.get(device.id());
                    targets.put(device.id(), new Target(result -> "INSTALLED".equals(result.state())
                            && result.packageId() != null && !result.packageId().equals(before), true));
                }
            }
        }
        return targets;
    }

    /** Checks the outcome of each change and returns whether every check passed. */
    boolean check(ScenarioInput input, Map<String, DeviceResult> results, Map<String, Target> targets,
            Map<String, String> policyIds, Duration wait) {
        targets.forEach((deviceId, target) -> {
            DeviceResult result = results.get(deviceId);
            report(target.done().test(result), deviceId + ": state " + result.state()
                    + (result.reasonCode() == null ? "" : " " + result.reasonCode())
                    + (result.packageId() == null ? "" : ", package " + result.packageId()));
        });
        checkRetiredDownload();
        for (User user : Scenario.USERS) {
            if (user.joinsLater()) {
                checkCompanyPortalEntry(user, wait);
            }
            if (user.email().equals(Scenario.RENEWED_USER)) {
                checkRenewedManifest(input, user, results);
                checkRenewalNotification(user, policyIds.get(user.group()), wait);
            }
        }
        return ok;
    }

    private InputFile renewalOf(ScenarioInput input) {
        return input.find(Scenario.RENEWED_USER, Purpose.ENCRYPTION, Age.RENEWAL).orElseThrow(() -> new UsageException(
                "The PKI folder " + input.folder() + " has no encryption renewal for " + Scenario.RENEWED_USER + " ("
                        + Scenario.RENEWED_USER.substring(0, Scenario.RENEWED_USER.indexOf('@')) + "-encryption-renewal.p12)."));
    }

    /**
     * Checks that the retired device's last package no longer downloads. certificate-service drops a
     * retired device's public key, so it returns 401; 403, 404 and 410 Gone also count as refused.
     */
    private void checkRetiredDownload() {
        String packageId = packagesBefore.get(Scenario.RETIRED_DEVICE);
        if (packageId == null) {
            report(false, Scenario.RETIRED_DEVICE + ": no package was installed before the retirement");
            return;
        }
        DeviceState state = new DeviceState(deviceDir, Scenario.RETIRED_DEVICE);
        DeviceTokenSigner signer = new DeviceTokenSigner(Scenario.RETIRED_DEVICE, state.readKey());
        ServiceClient asDevice = certificates.signedBy(signer);
        ServiceClient.Outcome outcome = asDevice.tryGet("/api/devices/" + Scenario.RETIRED_DEVICE + "/packages/" + packageId,
                "application/pkcs7-mime");
        boolean refused = List.of(401, 403, 404, 410).contains(outcome.status());
        report(refused, Scenario.RETIRED_DEVICE + ": downloading its package " + packageId + " is "
                + (refused ? "refused" : "not refused") + " with HTTP " + outcome.status()
                + (outcome.problem().isEmpty() ? "" : " (" + outcome.problem() + ")"));
    }

    private void checkCompanyPortalEntry(User user, Duration wait) {
        Instant deadline = Instant.now().plus(wait);
        JsonNode entries = notifications.getJson("/api/users/" + user.id() + "/company-portal/notifications");
        while (entries.size() == 0 && Instant.now().isBefore(deadline)) {
            ScenarioSync.sleep(POLL_INTERVAL);
            entries = notifications.getJson("/api/users/" + user.id() + "/company-portal/notifications");
        }
        report(entries.size() > 0, user.email() + ", who joined late: " + entries.size()
                + " Company Portal notification(s)" + (entries.size() > 0 ? ", the first \"" + entries.get(0).path("title").asText()
                        + "\"" : ""));
    }

    /** Checks that the renewed certificate comes first and is current, and that the earlier current one stays for old mail. */
    private void checkRenewedManifest(ScenarioInput input, User user, Map<String, DeviceResult> results) {
        String renewed = PackageOpener.thumbprint(renewalOf(input).certificate());
        Optional<InputFile> earlier = input.find(user.email(), Purpose.ENCRYPTION, Age.CURRENT);
        for (var device : user.devices()) {
            DeviceResult result = results.get(device.id());
            if (result.policyId() == null) {
                report(false, device.id() + ": no policy status to find the installed manifest");
                continue;
            }
            Path manifestFile = deviceDir.resolve(device.id()).resolve(DeviceState.INSTALLED_FOLDER)
                    .resolve(PackageInstaller.folderName(result.policyId())).resolve(PackageInstaller.MANIFEST_FILE);
            JsonNode manifest;
            try {
                manifest = EventJson.mapper().readTree(manifestFile.toFile());
            } catch (IOException e) {
                report(false, device.id() + ": reading " + manifestFile + " failed: " + e.getMessage());
                continue;
            }
            List<JsonNode> encryption = new ArrayList<>();
            manifest.path("certificates").forEach(certificate -> {
                if ("ENCRYPTION".equals(certificate.path("role").asText())) {
                    encryption.add(certificate);
                }
            });
            boolean renewedFirst = !encryption.isEmpty()
                    && renewed.equals(encryption.get(0).path("thumbprintSha256").asText().toLowerCase(Locale.ROOT))
                    && encryption.get(0).path("current").asBoolean();
            report(renewedFirst, device.id() + ": the renewed encryption certificate " + renewed.substring(0, 8)
                    + " is the first of " + encryption.size() + " encryption certificates and current");
            if (earlier.isPresent()) {
                String earlierThumbprint = PackageOpener.thumbprint(earlier.get().certificate());
                boolean kept = encryption.stream().anyMatch(certificate -> earlierThumbprint.equals(
                        certificate.path("thumbprintSha256").asText().toLowerCase(Locale.ROOT))
                        && !certificate.path("current").asBoolean());
                report(kept, device.id() + ": the earlier encryption certificate " + earlierThumbprint.substring(0, 8)
                        + " is kept, no longer current");
            }
        }
    }

    /** Checks that the renewal brought a second READY notification for the same policy version and that it was sent. */
    private void checkRenewalNotification(User user, String policyId, Duration wait) {
        Instant deadline = Instant.now().plus(wait);
        List<String> sent = sentReadyNotifications(user, policyId);
        while (sent.size() < 2 && Instant.now().isBefore(deadline)) {
            ScenarioSync.sleep(POLL_INTERVAL);
            sent = sentReadyNotifications(user, policyId);
        }
        report(sent.size() == 2, user.email() + ": " + sent.size() + " READY notifications sent for policy " + policyId
                + " (" + String.join(", ", sent) + "), expected 2: one for the first delivery and one for the renewal");
    }

    /** Returns "channel status" of each READY notification of the user for the policy whose deliveries all ended SENT. */
    private List<String> sentReadyNotifications(User user, String policyId) {
        JsonNode history = notifications.getJson("/api/notifications?userId=" + user.id() + "&policyId=" + policyId);
        List<String> sent = new ArrayList<>();
        for (JsonNode notification : history) {
            if (!"READY".equals(notification.path("kind").asText()) || notification.path("deliveries").isEmpty()) {
                continue;
            }
            boolean allSent = true;
            for (JsonNode delivery : notification.path("deliveries")) {
                allSent &= "SENT".equals(delivery.path("status").asText());
            }
            if (allSent) {
                sent.add(notification.path("channel").asText() + " SENT");
            }
        }
        return sent;
    }

    private void report(boolean pass, String text) {
        ok &= pass;
        out.println((pass ? "PASS " : "FAIL ") + text);
    }
}
