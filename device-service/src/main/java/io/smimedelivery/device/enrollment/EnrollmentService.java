package io.smimedelivery.device.enrollment;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.smimedelivery.common.outbox.Outbox;
import io.smimedelivery.common.problem.FieldError;
import io.smimedelivery.common.problem.ProblemException;
import io.smimedelivery.deviceauth.DevicePublicKeys;
import io.smimedelivery.events.DeviceEnrolled;
import io.smimedelivery.events.DeviceRetired;
import io.smimedelivery.events.SealedValue;

/**
 * Enrolls, updates and retires devices. Each change and its DeviceEnrolled or DeviceRetired event are
 * written in one transaction through the outbox.
 */
@ApplicationScoped
public class EnrollmentService {

    private static final Logger LOG = Logger.getLogger(EnrollmentService.class);
    private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    private static final Pattern PUSH_TOKEN = Pattern.compile("[0-9a-fA-F]{64,200}");
    private static final Map<String, String> PLATFORMS = Map.of("ios", "iOS", "ipados", "iPadOS", "android", "Android",
            "windows", "Windows", "macos", "macOS");

    private final DeviceStore store;
    private final PushTokenSealer sealer;
    private final Outbox outbox;

    public EnrollmentService(DeviceStore store, PushTokenSealer sealer, Outbox outbox) {
        this.store = store;
        this.sealer = sealer;
        this.outbox = outbox;
    }

    /** Result of an enrollment: the device and whether it was new. */
    public record Enrolled(DeviceRecord device, boolean created) {
    }

    @Transactional
    public Enrolled enroll(EnrollmentRequest request) {
        if (request == null) {
            throw ProblemException.invalidField("body", null, "send the enrollment as JSON with deviceId, userId,"
                    + " platform, osVersion and devicePublicKeyPem");
        }
        List<FieldError> errors = new ArrayList<>();
        String deviceId = required(errors, "deviceId", request.deviceId());
        if (deviceId != null && !DEVICE_ID.matcher(deviceId).matches()) {
            errors.add(new FieldError("deviceId", deviceId, "use 1 to 128 letters, digits, dots, dashes or underscores"));
        }
        String userId = required(errors, "userId", request.userId());
        String platform = required(errors, "platform", request.platform());
        if (platform != null) {
            platform = PLATFORMS.get(platform.toLowerCase(Locale.ROOT));
            if (platform == null) {
                errors.add(new FieldError("platform", request.platform(), "use iOS, iPadOS, Android, Windows or macOS"));
            }
        }
        String osVersion = required(errors, "osVersion", request.osVersion());
        String keyPem = required(errors, "devicePublicKeyPem", request.devicePublicKeyPem());
        if (keyPem != null) {
            try {
                keyPem = DevicePublicKeys.toPem(DevicePublicKeys.fromPem(keyPem));
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("devicePublicKeyPem", null, e.getMessage()));
            }
        }
        String pushToken = blankToNull(request.pushToken());
        if (pushToken != null && !PUSH_TOKEN.matcher(pushToken).matches()) {
            errors.add(new FieldError("pushToken", null, "use the APNs device token in hex, 64 to 200 characters"));
        }
        String management = Optional.ofNullable(blankToNull(request.managementState())).orElse("MANAGED")
                .toUpperCase(Locale.ROOT);
        if (!management.equals("MANAGED") && !management.equals("UNMANAGED")) {
            errors.add(new FieldError("managementState", request.managementState(), "use MANAGED or UNMANAGED"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalidFields("invalid-enrollment", "Invalid enrollment", errors);
        }

        SealedValue sealed = pushToken == null ? null : sealer.seal(pushToken.toLowerCase(Locale.ROOT));
        Instant now = Instant.now();
        boolean created = store.device(deviceId).isEmpty();
        DeviceRecord device = new DeviceRecord(deviceId, userId.strip(), platform, osVersion.strip(),
                blankToNull(request.model()), blankToNull(request.serialNumber()), management, keyPem, sealed, now, now,
                null, null);
        store.upsert(device);
        publish(device);
        LOG.infof("Device %s %s for user %s (%s %s, %s)", deviceId, created ? "enrolled" : "re-enrolled", device.userId(),
                platform, device.osVersion(), management);
        return new Enrolled(device, created);
    }

    /** Replaces the push token of an enrolled device and announces the device again. */
    @Transactional
    public DeviceRecord updatePushToken(String deviceId, String pushToken) {
        if (pushToken == null || !PUSH_TOKEN.matcher(pushToken).matches()) {
            throw ProblemException.invalidField("pushToken", null, "use the APNs device token in hex, 64 to 200 characters");
        }
        DeviceRecord device = enrolled(deviceId);
        Instant now = Instant.now();
        SealedValue sealed = sealer.seal(pushToken.toLowerCase(Locale.ROOT));
        store.updatePushToken(deviceId, sealed, now);
        DeviceRecord updated = new DeviceRecord(device.deviceId(), device.userId(), device.platform(), device.osVersion(),
                device.model(), device.serialNumber(), device.managementState(), device.publicKeyPem(), sealed, now, now,
                null, null);
        publish(updated);
        LOG.infof("Device %s has a new push token", deviceId);
        return updated;
    }

    /** Retires an enrolled device; retiring a retired device changes nothing. */
    @Transactional
    public DeviceRecord retire(String deviceId, String reason) {
        DeviceRecord device = store.device(deviceId).orElseThrow(() -> ProblemException.notFound("Device", deviceId));
        if (device.retiredAt() != null) {
            return device;
        }
        String retiredReason = Optional.ofNullable(blankToNull(reason)).orElse("Retired by an administrator");
        Instant now = Instant.now();
        store.retire(deviceId, retiredReason, now);
        outbox.add(new DeviceRetired(deviceId, device.userId(), retiredReason, now));
        LOG.infof("Device %s of user %s retired: %s", deviceId, device.userId(), retiredReason);
        return store.device(deviceId).orElseThrow();
    }

    /** Returns an enrolled, not retired device, or a 404 problem. */
    public DeviceRecord enrolled(String deviceId) {
        return store.device(deviceId).filter(device -> device.retiredAt() == null)
                .orElseThrow(() -> ProblemException.notFound("Enrolled device", deviceId));
    }

    private void publish(DeviceRecord device) {
        outbox.add(new DeviceEnrolled(device.deviceId(), device.userId(), device.platform(), device.osVersion(),
                device.model(), device.managed(), device.publicKeyPem(), device.pushToken(), device.updatedAt()));
    }

    private static String required(List<FieldError> errors, String field, String value) {
        if (value == null || value.isBlank()) {
            errors.add(new FieldError(field, null, "is required"));
            return null;
        }
        return value;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
