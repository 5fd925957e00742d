package io.smimedelivery.certificate.scep;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** SCEP issuing CA and challenge settings. */
@ConfigMapping(prefix = "smime.scep")
public interface ScepConfig {

    /** PEM file with the issuing CA certificate; used with {@link #caKeyFile()}. */
    Optional<Path> caCertificateFile();

    /** PEM file with the issuing CA's RSA private key (PKCS#8 or PKCS#1), readable only by this service. */
    Optional<Path> caKeyFile();

    /** PKCS#12 file with the issuing CA key and certificate, instead of the two PEM files. */
    Optional<Path> caPkcs12File();

    /** Password of {@link #caPkcs12File()}. */
    Optional<String> caPkcs12Password();

    /**
     * PEM file with the certificate of a registration authority (RA) that handles SCEP messages for the CA;
     * used with {@link #raKeyFile()}. Clients then encrypt requests to the RA, and CertRep messages are
     * signed by it.
     */
    Optional<Path> raCertificateFile();

    /** PEM file with the RA's RSA private key. */
    Optional<Path> raKeyFile();

    /** How long a one-time challenge in a device package stays valid. */
    @WithDefault("PT60M")
    Duration challengeLifetime();

    /** SCEP URL that devices use, written into their packages. */
    @WithDefault("http://127.0.0.1:8082/scep")
    String url();
}
