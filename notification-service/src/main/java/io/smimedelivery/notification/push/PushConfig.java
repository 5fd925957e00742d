package io.smimedelivery.notification.push;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Settings of the client for the APNs provider API. Sending needs the team id, the key id and exactly one
 * of {@code private-key-file} and {@code private-key}. Until they are set, every send returns a temporary
 * failure, so the caller keeps the push for a later attempt.
 */
@ConfigMapping(prefix = "smime.push")
public interface PushConfig {

    /**
     * Base URL of the provider API, without the {@code /3/device} path. It must be an https URL because
     * the gateway speaks HTTP/2 over TLS. The APNs development gateway is
     * {@code https://api.sandbox.push.apple.com}.
     */
    @WithDefault("https://api.push.apple.com")
    String gatewayUrl();

    /** Apple Developer team id, sent as the iss claim of the provider token. */
    Optional<String> teamId();

    /** Id of the APNs signing key, sent as the kid header of the provider token. */
    Optional<String> keyId();

    /** File with the APNs signing key as Apple issues it: a PKCS#8 PEM EC P-256 key (.p8). */
    Optional<Path> privateKeyFile();

    /** The APNs signing key as inline PKCS#8 PEM, for deployments that pass it in an environment variable. */
    Optional<String> privateKey();

    /** The apns-topic header: bundle id of the app that receives the push. */
    @WithDefault("com.microsoft.CompanyPortal")
    String topic();

    /** Maximum time to open a connection to the gateway. */
    @WithDefault("PT5S")
    Duration connectTimeout();

    /** Maximum time for one request, from sending it until the gateway's response arrives. */
    @WithDefault("PT10S")
    Duration requestTimeout();

    /**
     * PKCS#12 file with the CA certificates that the gateway's certificate must chain to. When set, it
     * replaces the JDK's default trust store. Tests and private gateways use it for their own CA.
     */
    Optional<Path> trustStoreFile();

    /** Password of {@link #trustStoreFile()}. */
    Optional<String> trustStorePassword();

    /** Whether the client sends pushes. When false, every send is a temporary failure. */
    @WithDefault("true")
    boolean enabled();
}
