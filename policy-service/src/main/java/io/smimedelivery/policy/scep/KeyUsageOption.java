package io.smimedelivery.policy.scep;

/** X.509 key usage bit that a SCEP certificate profile may request for S/MIME certificates. */
public enum KeyUsageOption {
    DIGITAL_SIGNATURE,
    KEY_ENCIPHERMENT
}
