package io.smimedelivery.certificate.selection;

/** The use of an S/MIME certificate that its keyUsage extension allows. */
public enum Purpose {
    /** Encrypting mail to the holder (keyEncipherment or keyAgreement) but not signing. */
    ENCRYPTION,
    /** Signing mail (digitalSignature or nonRepudiation) but not encrypting. */
    SIGNING,
    /** Both signing and encryption, also used for a certificate without a keyUsage extension. */
    DUAL
}
