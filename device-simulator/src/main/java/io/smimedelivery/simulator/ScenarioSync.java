package io.smimedelivery.simulator;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;

import io.smimedelivery.simulator.Scenario.Device;
import io.smimedelivery.simulator.Scenario.User;

/**
 * Syncs the scenario's simulated devices, as Company Portal would, and reads their retrieval status
 * from device-service until each one reaches its expected state or the time runs out.
 */
final class ScenarioSync {

    private static final Duration POLL_INTERVAL = Duration.ofSeconds(2);
    private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(15);
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    /** The latest status of one device: its user, policy, state, reason code, detail and package. */
    record DeviceResult(User user, Device device, String policyId, String state, String reasonCode, String detail,
            String packageId) {

        boolean settled() {
            return "INSTALLED".equals(state) || "FAILED".equals(state);
        }
    }

    /** A device to follow, the condition that ends its wait, and whether the simulator syncs it. */
    record Target(Predicate<DeviceResult> done, boolean sync) {
    }

    record CapturedRun(int status, String output) {
    }

    private final PrintStream out;
    private final ServiceClient devices;
    private final String[] serviceOptions;

    ScenarioSync(PrintStream out, ServiceClient devices, String[] serviceOptions) {
        this.out = out;
        this.devices = devices;
        this.serviceOptions = serviceOptions.clone();
    }

    /**
     * Syncs every device of {@code targets} that has {@code sync} set, reads each status, and repeats until
     * each target's condition is true or the timeout passes. Updates and returns {@code results}.
     */
    Map<String, DeviceResult> until(Map<String, DeviceResult> results, Map<String, Target> targets, Duration timeout) {
        Map<String, String> lastSyncOutput = new LinkedHashMap<>();
        Instant deadline = Instant.now().plus(timeout);
        Instant lastProgress = Instant.MIN;
        String lastCounts = "";
        while (true) {
            for (Map.Entry<String, Target> target : targets.entrySet()) {
                DeviceResult result = results.get(target.getKey());
                if (target.getValue().done().test(result)) {
                    continue;
                }
                if (target.getValue().sync()) {
                    List<String> args = new ArrayList<>(List.of("sync", "--device-id", target.getKey()));
                    args.addAll(List.of(serviceOptions));
                    lastSyncOutput.put(target.getKey(), simulate(args.toArray(String[]::new)).output());
                }
                results.put(target.getKey(), readState(result));
            }
            long done = targets.entrySet().stream().filter(t -> t.getValue().done().test(results.get(t.getKey()))).count();
            String counts = countsText(results, targets.keySet()) + "; " + done + " of " + targets.size()
                    + " devices as expected";
            Instant now = Instant.now();
            boolean finished = done == targets.size();
            if (!counts.equals(lastCounts) || Duration.between(lastProgress, now).compareTo(PROGRESS_INTERVAL) >= 0 || finished) {
                out.println("[" + LocalTime.now().format(CLOCK) + "] " + counts);
                lastCounts = counts;
                lastProgress = now;
            }
            if (finished) {
                return results;
            }
            if (now.isAfter(deadline)) {
                out.println("Timed out after " + timeout.toSeconds() + " s. Last sync output of each device still waiting:");
                targets.forEach((deviceId, target) -> {
                    if (!target.done().test(results.get(deviceId))) {
                        out.println("--- " + deviceId + " (state " + results.get(deviceId).state() + ")");
                        out.print(lastSyncOutput.getOrDefault(deviceId, "(not synced)\n"));
                    }
                });
                return results;
            }
            sleep(POLL_INTERVAL);
        }
    }

    private static String countsText(Map<String, DeviceResult> results, Iterable<String> deviceIds) {
        Map<String, Integer> byState = new LinkedHashMap<>();
        for (String deviceId : deviceIds) {
            String state = results.get(deviceId).state();
            byState.merge(state == null ? "NONE" : state, 1, Integer::sum);
        }
        List<String> parts = new ArrayList<>();
        byState.forEach((state, count) -> parts.add(count + " " + state));
        return String.join(", ", parts);
    }

    /** Runs a simulator command with its output captured, because the sync output of every poll is long. */
    static CapturedRun simulate(String... args) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream captured = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        int status = new DeviceSimulator(captured, captured).run(args);
        return new CapturedRun(status, buffer.toString(StandardCharsets.UTF_8));
    }

    /** Reads the device's status; a device with several policies is settled only when every policy is. */
    DeviceResult readState(DeviceResult previous) {
        JsonNode status;
        try {
            status = devices.getJson("/api/devices/" + previous.device().id() + "/status");
        } catch (SimulatorException e) {
            out.println("warning: reading the status of " + previous.device().id() + " failed: " + e.getMessage());
            return previous;
        }
        JsonNode chosen = null;
        for (JsonNode policy : status.path("policies")) {
            String state = policy.path("state").asText();
            boolean settled = "INSTALLED".equals(state) || "FAILED".equals(state);
            if (chosen == null || !settled || "FAILED".equals(state) && !"FAILED".equals(chosen.path("state").asText())) {
                chosen = policy;
            }
            if (!settled) {
                break;
            }
        }
        if (chosen == null) {
            return previous;
        }
        return new DeviceResult(previous.user(), previous.device(), chosen.path("policyId").asText(null),
                chosen.path("state").asText(null), chosen.path("reasonCode").asText(null), chosen.path("detail").asText(null),
                chosen.path("packageId").asText(null));
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SimulatorException("The scenario was interrupted.", e);
        }
    }
}
