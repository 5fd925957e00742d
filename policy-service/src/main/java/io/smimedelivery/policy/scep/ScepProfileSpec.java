package io.smimedelivery.policy.scep;

import java.util.List;
import java.util.Set;

import io.smimedelivery.scep.SanTemplate;
import io.smimedelivery.scep.SanType;
import io.smimedelivery.scep.SubjectNameFormat;

/**
 * SCEP certificate profile as an administrator submits it in JSON. Every component is a boxed or reference type, so
 * a missing JSON field arrives as null and {@link ScepProfileValidator} can report it.
 *
 * @param name                    display name, 1 to 200 characters
 * @param certificateType         {@code user}, the only type that S/MIME supports
 * @param subjectNameFormat       X.500 subject template, see {@link SubjectNameFormat}
 * @param subjectAlternativeNames subject alternative name templates, at most 10
 * @param keySize                 RSA key size in bits, 2048 or 4096
 * @param keyUsages               key usage bits, at least one
 * @param validityMonths          certificate validity in months, 1 to 24
 * @param extendedKeyUsages       dotted OIDs or the names {@code emailProtection} and {@code clientAuth}
 * @param renewalThresholdPercent remaining validity, in percent, at which the device renews, 1 to 50
 * @param rootProfileId           id of the trusted root certificate profile that the issuing CA chains to
 */
public record ScepProfileSpec(
        String name,
        String certificateType,
        String subjectNameFormat,
        List<SanSpec> subjectAlternativeNames,
        Integer keySize,
        Set<KeyUsageOption> keyUsages,
        Integer validityMonths,
        List<String> extendedKeyUsages,
        Integer renewalThresholdPercent,
        String rootProfileId) {

    /**
     * Subject alternative name entry as submitted in JSON.
     *
     * @param type  kind of name
     * @param value value template, see {@link SanTemplate}
     */
    public record SanSpec(SanType type, String value) {
    }
}
