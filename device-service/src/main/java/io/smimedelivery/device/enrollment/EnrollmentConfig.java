package io.smimedelivery.device.enrollment;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of device enrollment. */
@ConfigMapping(prefix = "smime.device")
public interface EnrollmentConfig {

    /** Audience that device tokens for device-service's device endpoints must name. */
    @WithDefault("device-service")
    String deviceTokenAudience();

    /** The key that APNs tokens are sealed to before they leave this service. */
    PushTokenKey pushTokenKey();

    /** notification-service's RSA public key for APNs tokens. */
    interface PushTokenKey {

        /** Key id, as notification-service names its private key. */
        @WithDefault("push-token-1")
        String id();

        /** The RSA public key as SubjectPublicKeyInfo PEM. */
        Optional<String> publicKey();

        /** A PEM file with the RSA public key, instead of {@link #publicKey()}. */
        Optional<String> publicKeyFile();
    }
}
