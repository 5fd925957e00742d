package io.smimedelivery.policy.trust;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.util.HexFormat;

import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;

/**
 * Parser and checker for an uploaded trusted root or intermediate CA certificate.
 *
 * <p>It uses BouncyCastle's X509CertificateHolder because it gives typed access to basicConstraints and keyUsage and
 * rejects trailing bytes, while the JDK CertificateFactory silently reads the first of several certificates.
 */
public final class CaCertificateParser {

    private CaCertificateParser() {
    }

    /**
     * Parses one CA certificate from PEM text, which may contain other text around the block and CRLF line endings,
     * or from DER. Expired certificates are accepted, so callers that want to warn compare
     * {@link CaCertificate#notAfter()} with the current time.
     *
     * @throws InvalidCertificateException when the upload is empty, is not a certificate, contains a private key or
     *                                     more than one certificate, is not a CA certificate, or has a keyUsage
     *                                     extension without keyCertSign. Its reason code names the case.
     */
    public static CaCertificate parse(byte[] upload) {
        byte[] der = CertificateUploadDecoder.decodeSingleCertificate(upload);
        X509CertificateHolder holder;
        try {
            holder = new X509CertificateHolder(der);
        } catch (IOException e) {
            throw new InvalidCertificateException(InvalidCertificateException.NOT_A_CERTIFICATE,
                    "The upload is not a valid X.509 certificate. Upload one CA certificate as PEM or DER.", e);
        }

        String subjectDn = toRfc4514(holder.getSubject());
        checkCaExtensions(holder, subjectDn);
        return new CaCertificate(
                subjectDn,
                toRfc4514(holder.getIssuer()),
                holder.getSerialNumber().toString(16),
                sha256Hex(der),
                holder.getNotBefore().toInstant(),
                holder.getNotAfter().toInstant(),
                isSelfSigned(holder),
                der);
    }

    private static void checkCaExtensions(X509CertificateHolder holder, String subjectDn) {
        Extensions extensions = holder.getExtensions();
        BasicConstraints basicConstraints;
        KeyUsage keyUsage;
        try {
            basicConstraints = extensions == null ? null : BasicConstraints.fromExtensions(extensions);
            keyUsage = extensions == null ? null : KeyUsage.fromExtensions(extensions);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new InvalidCertificateException(InvalidCertificateException.NOT_A_CERTIFICATE,
                    "The certificate '" + subjectDn + "' has a malformed basicConstraints or keyUsage extension. "
                            + "Upload a valid CA certificate.", e);
        }

        if (basicConstraints == null || !basicConstraints.isCA()) {
            String reason = describeMissingCaFlag(holder, basicConstraints);
            throw new InvalidCertificateException(InvalidCertificateException.NOT_A_CA,
                    "The certificate '" + subjectDn + "' is not a CA certificate, because " + reason
                            + ". Upload the root or intermediate CA certificate that issues the S/MIME certificates.");
        }
        if (keyUsage != null && !keyUsage.hasUsages(KeyUsage.keyCertSign)) {
            throw new InvalidCertificateException(InvalidCertificateException.KEY_CERT_SIGN_MISSING,
                    "The CA certificate '" + subjectDn + "' has a keyUsage extension without keyCertSign, so it "
                            + "cannot sign certificates. Upload a CA certificate whose key usage includes keyCertSign.");
        }
    }

    private static String describeMissingCaFlag(X509CertificateHolder holder, BasicConstraints basicConstraints) {
        if (basicConstraints != null) {
            return "its basicConstraints extension has cA set to false";
        }
        if (holder.getVersionNumber() == 1) {
            return "it is an X.509 v1 certificate, which has no basicConstraints extension";
        }
        return "it has no basicConstraints extension";
    }

    /**
     * Returns whether subject equals issuer and the signature verifies with the certificate's own public key.
     * NOTE: the check uses the installed JCA providers, so this is false for a signature algorithm that they do not
     * support, such as a GOST algorithm, and for a certificate that the JDK cannot parse.
     */
    private static boolean isSelfSigned(X509CertificateHolder holder) {
        if (!holder.getSubject().equals(holder.getIssuer())) {
            return false;
        }
        try {
            // Building from the holder reads the key through the JDK's X.509 CertificateFactory. Building from the
            // SubjectPublicKeyInfo would look up a KeyFactory by OID, which the JDK does not offer for EC keys.
            ContentVerifierProvider verifier = new JcaContentVerifierProviderBuilder().build(holder);
            return holder.isSignatureValid(verifier);
        } catch (OperatorCreationException | CertException | CertificateException e) {
            return false;
        }
    }

    /** Formats a name as RFC 4514 does, most specific RDN first, with BouncyCastle's attribute names such as E. */
    static String toRfc4514(X500Name name) {
        RDN[] rdns = name.getRDNs();
        RDN[] reversed = new RDN[rdns.length];
        for (int i = 0; i < rdns.length; i++) {
            reversed[i] = rdns[rdns.length - 1 - i];
        }
        return BCStyle.INSTANCE.toString(new X500Name(reversed));
    }

    private static String sha256Hex(byte[] der) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available, although every Java platform must provide it",
                    e);
        }
    }
}
