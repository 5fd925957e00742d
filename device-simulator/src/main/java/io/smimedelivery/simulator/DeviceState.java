package io.smimedelivery.simulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smimedelivery.events.EventJson;

/**
 * The files of one simulated device under {@code <state dir>/<device id>/}: the enrollment key
 * ({@code device-key.pem}), the enrollment data with the push token ({@code device.json}), and the
 * certificates it installed ({@code installed/<policy id>/}).
 */
final class DeviceState {

    static final String KEY_FILE = "device-key.pem";
    static final String DEVICE_FILE = "device.json";
    static final String INSTALLED_FOLDER = "installed";

    private final String deviceId;
    private final Path folder;

    DeviceState(Path stateDir, String deviceId) {
        this.deviceId = deviceId;
        this.folder = stateDir.resolve(deviceId);
    }

    Path folder() {
        return folder;
    }

    Path keyFile() {
        return folder.resolve(KEY_FILE);
    }

    Path installedFolder() {
        return folder.resolve(INSTALLED_FOLDER);
    }

    boolean hasKey() {
        return Files.isRegularFile(keyFile());
    }

    /** Reads the enrollment key that the enroll command wrote. */
    PrivateKey readKey() {
        if (!hasKey()) {
            throw new SimulatorException("Device " + deviceId + " has no key at " + keyFile()
                    + ". Enroll it first: enroll --device-id " + deviceId + " --user-id <user id>, with the same --state-dir.");
        }
        return PemFiles.readPrivateKey(keyFile());
    }

    void writeKey(PrivateKey key) throws IOException {
        PemFiles.createOwnerOnlyFolder(folder);
        PemFiles.writeOwnerOnly(keyFile(), PemFiles.privateKeyPem(key));
    }

    /** Writes the enrollment data. The file has mode 600 because it contains the push token. */
    void writeDevice(ObjectNode device) throws IOException {
        PemFiles.createOwnerOnlyFolder(folder);
        PemFiles.writeOwnerOnly(folder.resolve(DEVICE_FILE),
                EventJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(device) + "\n");
    }

    /** Reads the enrollment data, or returns an empty object when the device has none. */
    JsonNode readDevice() {
        Path file = folder.resolve(DEVICE_FILE);
        if (!Files.isRegularFile(file)) {
            return EventJson.mapper().createObjectNode();
        }
        try {
            return EventJson.mapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new SimulatorException("Reading " + file + " failed: " + e.getMessage(), e);
        }
    }
}
