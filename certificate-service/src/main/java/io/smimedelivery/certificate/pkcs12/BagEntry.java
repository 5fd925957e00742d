package io.smimedelivery.certificate.pkcs12;

import java.security.PrivateKey;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;

/** Keys and certificates as read from the safe bags, before pairing. */
final class BagEntry {

    private BagEntry() {
    }

    /** The friendlyName and localKeyId bag attributes, each {@code null} when absent. */
    record Attributes(String friendlyName, byte[] localKeyId) {
    }

    record KeyEntry(PrivateKeyInfo keyInfo, PrivateKey privateKey, Attributes attributes) {

        @Override
        public String toString() {
            return "KeyEntry[keyAlgorithm=" + privateKey.getAlgorithm() + "]";
        }
    }

    record CertificateEntry(X509CertificateHolder certificate, Attributes attributes) {
    }
}
