package io.smimedelivery.certificate.pkcs12;

import java.security.PrivateKey;
import java.util.Objects;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * A private key from a PKCS#12 file with the certificate that carries its public key.
 *
 * @param friendlyName the friendlyName attribute of the key bag, else of the certificate bag, or
 *     {@code null} when neither bag has one
 */
public record KeyPairEntry(PrivateKey privateKey, X509CertificateHolder certificate, String friendlyName) {

    public KeyPairEntry {
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(certificate, "certificate");
    }

    /** Describes the entry by key algorithm and certificate, and never shows the key itself. */
    @Override
    public String toString() {
        return "KeyPairEntry[keyAlgorithm=" + privateKey.getAlgorithm()
                + ", certificate=" + CertificateNames.describe(certificate)
                + ", friendlyName=" + friendlyName + "]";
    }
}
