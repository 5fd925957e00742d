package io.smimedelivery.certificate.selection;

import org.bouncycastle.asn1.x509.KeyUsage;

/** A bit of the X.509 keyUsage extension (RFC 5280, section 4.2.1.3). */
public enum KeyUsageBit {
    DIGITAL_SIGNATURE(KeyUsage.digitalSignature),
    NON_REPUDIATION(KeyUsage.nonRepudiation),
    KEY_ENCIPHERMENT(KeyUsage.keyEncipherment),
    DATA_ENCIPHERMENT(KeyUsage.dataEncipherment),
    KEY_AGREEMENT(KeyUsage.keyAgreement),
    KEY_CERT_SIGN(KeyUsage.keyCertSign),
    CRL_SIGN(KeyUsage.cRLSign),
    ENCIPHER_ONLY(KeyUsage.encipherOnly),
    DECIPHER_ONLY(KeyUsage.decipherOnly);

    private final int mask;

    KeyUsageBit(int mask) {
        this.mask = mask;
    }

    /** Returns the BouncyCastle {@link KeyUsage} mask of this bit. */
    int mask() {
        return mask;
    }
}
