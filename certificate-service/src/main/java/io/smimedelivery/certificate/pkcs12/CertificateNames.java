package io.smimedelivery.certificate.pkcs12;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.bouncycastle.cert.X509CertificateHolder;

/** Formats a certificate for messages by subject, issuer, hex serial and SHA-256 thumbprint. */
final class CertificateNames {

    private CertificateNames() {
    }

    static String describe(X509CertificateHolder certificate) {
        return "subject \"" + certificate.getSubject()
                + "\", issuer \"" + certificate.getIssuer()
                + "\", serial " + certificate.getSerialNumber().toString(16)
                + ", SHA-256 " + sha256Hex(certificate);
    }

    private static String sha256Hex(X509CertificateHolder certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException | java.io.IOException e) {
            // Every Java runtime provides SHA-256, and a parsed holder always re-encodes.
            throw new IllegalStateException("Computing the SHA-256 thumbprint of a certificate failed", e);
        }
    }
}
