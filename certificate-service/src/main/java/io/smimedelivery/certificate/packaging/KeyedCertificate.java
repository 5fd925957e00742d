package io.smimedelivery.certificate.packaging;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * A private key with the certificate of its public key, as one entry of a PKCS#12 file.
 *
 * @param friendlyName the friendlyName bag attribute of the key and of the certificate, or
 *     {@code null} to write none
 */
public record KeyedCertificate(PrivateKey privateKey, X509Certificate certificate, String friendlyName) {

    public KeyedCertificate {
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(certificate, "certificate");
    }

    /** Describes the entry by key algorithm, subject and friendly name, and never shows the key itself. */
    @Override
    public String toString() {
        return "KeyedCertificate[keyAlgorithm=" + privateKey.getAlgorithm()
                + ", subject=" + certificate.getSubjectX500Principal().getName()
                + ", friendlyName=" + friendlyName + "]";
    }
}
