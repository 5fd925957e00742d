package io.smimedelivery.simulator;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.Predicate;

/**
 * The certificates of an SCEP GetCACert response: one CA certificate, or a certs-only PKCS#7 with the
 * CA and a registration authority (RA) certificate that the CA issued. A client encrypts its requests to
 * the RA when there is one, else to the CA.
 *
 * @param ca the CA certificate, which issues the enrolled certificates
 * @param recipient the certificate that requests are encrypted to: the RA's, or the CA's
 */
public record ScepCaCertificates(X509Certificate ca, X509Certificate recipient) {

    /** Reads a GetCACert body; the CA is its first certificate with basicConstraints CA:TRUE. */
    public static ScepCaCertificates read(byte[] body) {
        return read(body, certificate -> certificate.getBasicConstraints() >= 0,
                "no certificate with basicConstraints CA:TRUE");
    }

    /**
     * Reads a GetCACert body whose CA must have the SHA-256 thumbprint {@code caSha256} (hex), as a
     * package pins it. A device enrolls only with the CA that its package names.
     */
    public static ScepCaCertificates read(byte[] body, String caSha256) {
        return read(body, certificate -> PackageOpener.thumbprint(certificate).equalsIgnoreCase(caSha256),
                "no certificate with SHA-256 " + caSha256 + ", the CA that the package names");
    }

    private static ScepCaCertificates read(byte[] body, Predicate<X509Certificate> isCa, String noCa) {
        List<X509Certificate> certificates;
        try {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(body))
                    .stream().map(X509Certificate.class::cast).toList();
        } catch (GeneralSecurityException e) {
            throw new SimulatorException("SCEP GetCACert did not return certificates: " + e.getMessage(), e);
        }
        X509Certificate ca = certificates.stream().filter(isCa).findFirst()
                .orElseThrow(() -> new SimulatorException("SCEP GetCACert returned " + noCa + "."));
        X509Certificate recipient = ca;
        for (X509Certificate certificate : certificates) {
            if (certificate != ca && certificate.getBasicConstraints() < 0) {
                try {
                    certificate.verify(ca.getPublicKey());
                } catch (GeneralSecurityException e) {
                    throw new SimulatorException("The SCEP RA certificate " + certificate.getSubjectX500Principal()
                            + " is not issued by the CA: " + e.getMessage(), e);
                }
                recipient = certificate;
            }
        }
        return new ScepCaCertificates(ca, recipient);
    }
}
