package io.smimedelivery.certificate.scep;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateKey;

import io.smimedelivery.certificate.crypto.Providers;

/**
 * The CA that issues per-device signing certificates over SCEP, and optionally a registration authority
 * (RA) that handles the SCEP messages for it. Clients encrypt their requests with RSA key transport to
 * the RA certificate when there is one, otherwise to the CA certificate, so that key must be RSA.
 *
 * @param raKey         the RA's private key, or null without an RA
 * @param raCertificate the RA's certificate, issued by the CA, or null without an RA
 */
public record IssuingCa(PrivateKey privateKey, X509Certificate certificate, PrivateKey raKey, X509Certificate raCertificate) {

    public IssuingCa(PrivateKey privateKey, X509Certificate certificate) {
        this(privateKey, certificate, null, null);
    }

    public IssuingCa {
        privateKey = Providers.forJdk(privateKey);
        raKey = raKey == null ? null : Providers.forJdk(raKey);
        if ((raKey == null) != (raCertificate == null)) {
            throw new IllegalArgumentException("An SCEP RA needs both its certificate and its key");
        }
        if (raKey != null && !(raKey instanceof RSAPrivateKey)) {
            throw new IllegalArgumentException("The SCEP RA key is " + raKey.getAlgorithm() + "; it must be RSA");
        }
        if (raKey != null && !raCertificate.getIssuerX500Principal().equals(certificate.getSubjectX500Principal())) {
            throw new IllegalArgumentException("The SCEP RA certificate " + raCertificate.getSubjectX500Principal()
                    + " is not issued by the CA " + certificate.getSubjectX500Principal());
        }
        if (raKey == null && !(privateKey instanceof RSAPrivateKey)) {
            throw new IllegalArgumentException("The SCEP CA key is " + privateKey.getAlgorithm()
                    + "; SCEP needs an RSA key, because clients encrypt their requests to it with RSA");
        }
        if (certificate.getBasicConstraints() < 0) {
            throw new IllegalArgumentException("The SCEP CA certificate " + certificate.getSubjectX500Principal()
                    + " is not a CA certificate (basicConstraints CA:true is missing)");
        }
    }

    /** Signature algorithm of certificates and CRLs, by the CA key. */
    public String signatureAlgorithm() {
        return privateKey.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
    }

    /** Returns whether an RA handles the SCEP messages. */
    public boolean hasRa() {
        return raKey != null;
    }

    /** Returns the key that decrypts requests and signs CertRep messages: the RA's, or the CA's without an RA. */
    public PrivateKey messageKey() {
        return hasRa() ? raKey : privateKey;
    }

    /** Returns the certificate of {@link #messageKey()}. */
    public X509Certificate messageCertificate() {
        return hasRa() ? raCertificate : certificate;
    }
}
