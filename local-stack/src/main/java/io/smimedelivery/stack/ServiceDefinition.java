package io.smimedelivery.stack;

import java.nio.file.Path;
import java.util.List;

/** One of the four services as the local stack runs it. */
record ServiceDefinition(String name, String databaseSuffix, int portOffset, boolean sendsMail, boolean storesKeys) {

    static final List<ServiceDefinition> ALL = List.of(
            new ServiceDefinition("policy-service", "policy", 0, false, false),
            new ServiceDefinition("certificate-service", "certificate", 1, false, true),
            new ServiceDefinition("notification-service", "notification", 2, true, false),
            new ServiceDefinition("device-service", "device", 3, false, false));

    /** Returns the service's database name, such as {@code smime_policy} for the prefix {@code smime}. */
    String database(String prefix) {
        return prefix + "_" + databaseSuffix;
    }

    /** Returns the runnable jar that {@code ./mvnw package} builds for this service. */
    Path runnerJar(Path projectDir) {
        return projectDir.resolve(name).resolve("target/quarkus-app/quarkus-run.jar");
    }
}
