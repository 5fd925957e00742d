package io.smimedelivery.events;

import java.util.List;

/**
 * Kafka topic names. Topics are versioned by event type, not by name, so these names stay stable.
 */
public final class Topics {

    /** PolicyAssigned and PolicyUnassigned, keyed by user id, produced by policy-service. */
    public static final String POLICY_ASSIGNMENTS = "smime.policy.assignments";

    /** DeviceEnrolled and DeviceRetired, keyed by device id, produced by device-service. */
    public static final String DEVICE_ENROLLMENTS = "smime.device.enrollments";

    /** Package and signing-certificate events, keyed by device id, produced by certificate-service. */
    public static final String CERTIFICATE_PACKAGES = "smime.certificate.packages";

    /** NotificationSent and NotificationFailed, keyed by user id, produced by notification-service. */
    public static final String NOTIFICATIONS = "smime.notifications";

    /** RetrievalStatusChanged, keyed by device id, produced by device-service. */
    public static final String RETRIEVAL_STATUS = "smime.retrieval.status";

    /** Suffix of the dead-letter topic that each consumer writes next to its source topic. */
    public static final String DEAD_LETTER_SUFFIX = ".dlq";

    /** All event topics, without their dead-letter topics. */
    public static final List<String> ALL =
            List.of(POLICY_ASSIGNMENTS, DEVICE_ENROLLMENTS, CERTIFICATE_PACKAGES, NOTIFICATIONS, RETRIEVAL_STATUS);

    /**
     * Description of one topic, for documentation.
     *
     * @param name      topic name
     * @param key       what the record key is
     * @param producer  the one service that writes the topic
     * @param consumers services and other readers of the topic
     */
    public record Description(String name, String key, String producer, List<String> consumers) {
    }

    public static final List<Description> DESCRIPTIONS = List.of(
            new Description(POLICY_ASSIGNMENTS, "user id", "policy-service",
                    List.of("certificate-service", "notification-service", "device-service")),
            new Description(DEVICE_ENROLLMENTS, "device id", "device-service",
                    List.of("certificate-service", "notification-service")),
            new Description(CERTIFICATE_PACKAGES, "device id", "certificate-service",
                    List.of("notification-service", "device-service")),
            new Description(NOTIFICATIONS, "user id", "notification-service", List.of("device-service")),
            new Description(RETRIEVAL_STATUS, "device id", "device-service", List.of("analytics")));

    private Topics() {
    }

    /** Returns the dead-letter topic of a source topic. */
    public static String deadLetterTopic(String sourceTopic) {
        return sourceTopic + DEAD_LETTER_SUFFIX;
    }
}
