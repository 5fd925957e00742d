package io.smimedelivery.notification.push;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.smimedelivery.infra.PushGateway;

/** {@link PushConfig} built in code, with copies that change one setting. */
record TestPushConfig(String gatewayUrl, Optional<String> teamId, Optional<String> keyId,
        Optional<Path> privateKeyFile, Optional<String> privateKey, String topic, Duration connectTimeout,
        Duration requestTimeout, Optional<Path> trustStoreFile, Optional<String> trustStorePassword,
        boolean enabled) implements PushConfig {

    static final String TEAM_ID = "TEAM123456";
    static final String KEY_ID = "KEY7654321";
    static final String TOPIC = "com.microsoft.CompanyPortal";

    /** Settings for the given gateway with a key file, short timeouts and the gateway's trust store. */
    static TestPushConfig forGateway(PushGateway gateway, Path privateKeyFile) {
        return new TestPushConfig(gateway.url(), Optional.of(TEAM_ID), Optional.of(KEY_ID),
                Optional.of(privateKeyFile), Optional.empty(), TOPIC, Duration.ofSeconds(2), Duration.ofSeconds(5),
                Optional.of(gateway.trustStore()), Optional.of(PushGateway.TRUST_STORE_PASSWORD), true);
    }

    TestPushConfig withGatewayUrl(String url) {
        return new TestPushConfig(url, teamId, keyId, privateKeyFile, privateKey, topic, connectTimeout,
                requestTimeout, trustStoreFile, trustStorePassword, enabled);
    }

    TestPushConfig withCredentials(Optional<String> newTeamId, Optional<String> newKeyId, Optional<Path> newKeyFile,
            Optional<String> newInlineKey) {
        return new TestPushConfig(gatewayUrl, newTeamId, newKeyId, newKeyFile, newInlineKey, topic, connectTimeout,
                requestTimeout, trustStoreFile, trustStorePassword, enabled);
    }

    TestPushConfig withTimeouts(Duration newConnectTimeout, Duration newRequestTimeout) {
        return new TestPushConfig(gatewayUrl, teamId, keyId, privateKeyFile, privateKey, topic, newConnectTimeout,
                newRequestTimeout, trustStoreFile, trustStorePassword, enabled);
    }

    TestPushConfig withTrustStore(Optional<Path> newTrustStore, Optional<String> newPassword) {
        return new TestPushConfig(gatewayUrl, teamId, keyId, privateKeyFile, privateKey, topic, connectTimeout,
                requestTimeout, newTrustStore, newPassword, enabled);
    }

    TestPushConfig withEnabled(boolean newEnabled) {
        return new TestPushConfig(gatewayUrl, teamId, keyId, privateKeyFile, privateKey, topic, connectTimeout,
                requestTimeout, trustStoreFile, trustStorePassword, newEnabled);
    }
}
