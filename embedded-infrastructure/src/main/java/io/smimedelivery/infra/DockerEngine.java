package io.smimedelivery.infra;

import java.nio.file.Files;
import java.nio.file.Path;

import org.jboss.logging.Logger;
import org.testcontainers.DockerClientFactory;

/** Detects whether a Docker engine runs, so Testcontainers can be used. */
public final class DockerEngine {

    private static final Logger LOG = Logger.getLogger(DockerEngine.class);
    private static volatile Boolean available;

    private DockerEngine() {
    }

    /**
     * Returns whether Testcontainers can reach a Docker engine. Where there is no Docker socket, no
     * DOCKER_HOST and no Testcontainers configuration file, it returns false without asking Testcontainers,
     * which would otherwise spend seconds trying every strategy.
     */
    public static boolean isAvailable() {
        Boolean known = available;
        if (known != null) {
            return known;
        }
        boolean result = InfrastructureSettings.enabled(InfrastructureSettings.USE_DOCKER) && probe();
        available = result;
        return result;
    }

    private static boolean probe() {
        String home = System.getProperty("user.home");
        boolean hint = System.getenv("DOCKER_HOST") != null
                || Files.exists(Path.of("/var/run/docker.sock"))
                || Files.exists(Path.of(home, ".docker", "run", "docker.sock"))
                || Files.exists(Path.of(home, ".testcontainers.properties"));
        if (!hint) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            LOG.infof("No usable Docker engine: %s", e.getMessage());
            return false;
        }
    }
}
