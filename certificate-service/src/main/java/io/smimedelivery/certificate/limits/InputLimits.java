package io.smimedelivery.certificate.limits;

import jakarta.validation.constraints.Min;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Limits on client input that the resources check before they store anything. A request over a size
 * limit gets a 413 problem and one over a count limit a 400 problem, each naming the setting. The whole
 * request body is limited separately by {@code quarkus.http.limits.max-body-size}.
 */
@ConfigMapping(prefix = "smime.limits")
public interface InputLimits {

    /** Maximum size of one PKCS#12 file in an import, after Base64 decoding. */
    @WithDefault("1M")
    MemorySize pkcs12FileSize();

    /** Maximum number of PKCS#12 files in one import request, JSON or multipart. */
    @WithDefault("500")
    @Min(1)
    int importFiles();

    /** Maximum size of a SCEP pkiMessage, after Base64 decoding for GET. */
    @WithDefault("64K")
    MemorySize scepMessageSize();

    /** Maximum number of chain certificates that a device may send with a derived credential. */
    @WithDefault("5")
    @Min(1)
    int chainCertificates();
}
