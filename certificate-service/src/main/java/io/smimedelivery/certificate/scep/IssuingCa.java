package io.smimedelivery.certificate.scep;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateKey;

/**
 * The CA that issues per-device signing certificates over SCEP. Its key must be RSA, because SCEP
 * clients encrypt their requests to the CA certificate with RSA key transport.
 */
public record IssuingCa(PrivateKey privateKey, X509Certificate certificate) {

    public IssuingCa {
        if (!(privateKey instanceof RSAPrivateKey)) {
            throw new IllegalArgumentException("The SCEP CA key is " + privateKey.getAlgorithm()
                    + "; SCEP needs an RSA key, because clients encrypt their requests to it with RSA");
        }
        if (certificate.getBasicConstraints() < 0) {
            throw new IllegalArgumentException("The SCEP CA certificate " + certificate.getSubjectX500Principal()
                    + " is not a CA certificate (basicConstraints CA:true is missing)");
        }
    }

    /** Signature algorithm of certificates, CRLs and CertRep messages. */
    public String signatureAlgorithm() {
        return "SHA256withRSA";
    }
}
