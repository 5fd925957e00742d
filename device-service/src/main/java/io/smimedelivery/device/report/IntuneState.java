package io.smimedelivery.device.report;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Report state of one device for one policy, in the terms of Intune's certificate profile reports, plus
 * {@link #REMOVED} for devices that the policy no longer targets.
 */
public enum IntuneState {
    /** The device installed the latest package (INSTALLED). */
    SUCCEEDED,
    /** The device is on its way: PENDING, READY, NOTIFIED, RETRIEVED, or no status stored yet. */
    PENDING,
    /** The delivery failed (FAILED). */
    ERROR,
    /** The user has another certificate policy whose S/MIME settings differ. */
    CONFLICT,
    /**
     * The user has the policy, but the device has no status for it and is not a managed iOS or iPadOS
     * device, or the policy deploys no certificates.
     */
    NOT_APPLICABLE,
    /** The policy was unassigned or the device retired (REMOVED). It is not one of Intune's five states. */
    REMOVED;

    /** Accepted values as an error message lists them. */
    public static final String ACCEPTED = Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));

    /**
     * Parses a state name case-insensitively, ignoring spaces, dashes and underscores, so
     * {@code NOT_APPLICABLE}, {@code notApplicable} and {@code Not applicable} are the same.
     */
    public static Optional<IntuneState> parse(String text) {
        String key = squash(text);
        return Arrays.stream(values()).filter(state -> squash(state.name()).equals(key)).findFirst();
    }

    private static String squash(String text) {
        return text.replaceAll("[\\s_-]", "").toUpperCase(Locale.ROOT);
    }
}
