package io.smimedelivery.scep;

/** Kind of subject alternative name in a SCEP certificate profile. */
public enum SanType {
    /** RFC 822 e-mail address (rfc822Name). */
    EMAIL,
    /** Microsoft user principal name (otherName 1.3.6.1.4.1.311.20.2.3). */
    UPN,
    /** Uniform resource identifier (uniformResourceIdentifier). */
    URI,
    /** DNS host name (dNSName). */
    DNS
}
