package io.smimedelivery.certificate.derived;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.smimedelivery.common.problem.FieldError;
import io.smimedelivery.common.problem.ProblemException;

/**
 * Checks a derived credential that a device reports: a certificate for S/MIME signing or encryption,
 * issued for the user's address, that chains to one of the trusted roots of the user's policies.
 */
final class DerivedCredentialValidator {

    static final String EMAIL_PROTECTION = "1.3.6.1.5.5.7.3.4";
    private static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";
    private static final int DIGITAL_SIGNATURE = 0;
    private static final int NON_REPUDIATION = 1;
    private static final int KEY_ENCIPHERMENT = 2;
    private static final int KEY_AGREEMENT = 4;

    private DerivedCredentialValidator() {
    }

    /**
     * Returns the credential's certificate after every check passed.
     *
     * @param purpose      SIGNING or ENCRYPTION
     * @param trustedRoots the trusted roots of the user's policies that use derived credentials
     * @param maxChain     maximum number of chain certificates, from smime.limits.chain-certificates
     * @throws ProblemException 400 naming each invalid field with the value and the fix
     */
    static X509Certificate validate(String purpose, String certificatePem, List<String> chainPems,
            List<X509Certificate> trustedRoots, String email, Instant now, int maxChain) {
        List<FieldError> errors = new ArrayList<>();
        if (!"SIGNING".equals(purpose) && !"ENCRYPTION".equals(purpose)) {
            errors.add(new FieldError("purpose", purpose, "use SIGNING or ENCRYPTION"));
        }
        X509Certificate certificate = parse(certificatePem, "certificatePem", errors);
        List<X509Certificate> chain = new ArrayList<>();
        List<String> pems = chainPems == null ? List.of() : chainPems;
        if (pems.size() > maxChain) {
            errors.add(new FieldError("chainPem", pems.size() + " certificates", "send at most " + maxChain
                    + " certificates between the credential and its root (smime.limits.chain-certificates)"));
        }
        for (int i = 0; i < pems.size() && i < maxChain; i++) {
            X509Certificate intermediate = parse(pems.get(i), "chainPem[" + i + "]", errors);
            if (intermediate != null) {
                chain.add(intermediate);
            }
        }
        if (certificate == null || !errors.isEmpty()) {
            throw invalid(errors);
        }

        checkUsage(certificate, purpose, errors);
        checkAddress(certificate, email, errors);
        checkChain(certificate, chain, trustedRoots, now, errors);
        if (!errors.isEmpty()) {
            throw invalid(errors);
        }
        return certificate;
    }

    private static X509Certificate parse(String pem, String field, List<FieldError> errors) {
        if (pem == null || pem.isBlank()) {
            errors.add(new FieldError(field, null, "send the certificate in PEM (-----BEGIN CERTIFICATE-----)"));
            return null;
        }
        try {
            Collection<? extends java.security.cert.Certificate> certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            if (certificates.size() != 1) {
                errors.add(new FieldError(field, certificates.size() + " certificates", "send exactly one certificate"));
                return null;
            }
            return (X509Certificate) certificates.iterator().next();
        } catch (CertificateException e) {
            errors.add(new FieldError(field, null, "not a PEM certificate (" + reason(e) + "); send one certificate "
                    + "between -----BEGIN CERTIFICATE----- and -----END CERTIFICATE-----"));
            return null;
        }
    }

    private static void checkUsage(X509Certificate certificate, String purpose, List<FieldError> errors) {
        boolean[] usage = certificate.getKeyUsage();
        boolean signing = usage == null || usage[DIGITAL_SIGNATURE] || usage[NON_REPUDIATION];
        boolean ec = certificate.getPublicKey() instanceof ECPublicKey;
        boolean encryption = usage == null || (ec ? usage[KEY_AGREEMENT] : usage[KEY_ENCIPHERMENT]);
        if ("SIGNING".equals(purpose) && !signing) {
            errors.add(new FieldError("certificatePem", subject(certificate), "the key usage lacks digitalSignature and "
                    + "nonRepudiation, so it cannot sign S/MIME mail; report the derived credential issued for signing"));
        }
        if ("ENCRYPTION".equals(purpose) && !encryption) {
            errors.add(new FieldError("certificatePem", subject(certificate), "the key usage lacks "
                    + (ec ? "keyAgreement" : "keyEncipherment") + ", so it cannot decrypt S/MIME mail; report the derived "
                    + "credential issued for encryption"));
        }
        try {
            List<String> extended = certificate.getExtendedKeyUsage();
            if (extended != null && !extended.contains(EMAIL_PROTECTION) && !extended.contains(ANY_EXTENDED_KEY_USAGE)) {
                errors.add(new FieldError("certificatePem", subject(certificate), "the extended key usage " + extended
                        + " lacks emailProtection (" + EMAIL_PROTECTION + "), which S/MIME needs"));
            }
        } catch (CertificateException e) {
            errors.add(new FieldError("certificatePem", subject(certificate), "the extended key usage cannot be read"));
        }
    }

    /** Outlook for iOS uses a certificate only when it carries the user's address. */
    private static void checkAddress(X509Certificate certificate, String email, List<FieldError> errors) {
        Set<String> addresses = new HashSet<>();
        try {
            if (certificate.getSubjectAlternativeNames() != null) {
                for (List<?> name : certificate.getSubjectAlternativeNames()) {
                    if (Integer.valueOf(1).equals(name.get(0))) {
                        addresses.add(String.valueOf(name.get(1)).toLowerCase(Locale.ROOT));
                    }
                }
            }
        } catch (CertificateException e) {
            errors.add(new FieldError("certificatePem", subject(certificate), "the subject alternative names cannot be read"));
            return;
        }
        if (!addresses.contains(email.toLowerCase(Locale.ROOT))) {
            errors.add(new FieldError("certificatePem", subject(certificate), "the certificate is issued to " + addresses
                    + ", not to the user's address " + email + "; report a derived credential issued for " + email));
        }
    }

    private static void checkChain(X509Certificate certificate, List<X509Certificate> chain,
            List<X509Certificate> trustedRoots, Instant now, List<FieldError> errors) {
        if (trustedRoots.isEmpty()) {
            errors.add(new FieldError("certificatePem", subject(certificate), "the user's policies name no trusted root to "
                    + "check it against; add the derived-credential provider's root to the policy"));
            return;
        }
        try {
            Set<TrustAnchor> anchors = new HashSet<>();
            trustedRoots.forEach(root -> anchors.add(new TrustAnchor(root, null)));
            List<X509Certificate> path = new ArrayList<>();
            path.add(certificate);
            for (X509Certificate intermediate : chain) {
                if (!trustedRoots.contains(intermediate)) {
                    path.add(intermediate);
                }
            }
            CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
            PKIXParameters parameters = new PKIXParameters(anchors);
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(now));
            CertPathValidator.getInstance("PKIX").validate(certPath, parameters);
        } catch (CertPathValidatorException e) {
            errors.add(new FieldError("certificatePem", subject(certificate), "the certificate does not chain to a trusted "
                    + "root of the user's policies (" + e.getReason() + ": " + reason(e) + "); send the intermediate "
                    + "certificates in chainPem, or add the provider's root to the policy"));
        } catch (GeneralSecurityException e) {
            errors.add(new FieldError("certificatePem", subject(certificate), "the chain cannot be checked: " + e.getMessage()));
        }
    }

    private static String subject(X509Certificate certificate) {
        return readable(certificate.getSubjectX500Principal());
    }

    /** Returns a name in RFC 2253 form with the emailAddress keyword instead of a hex-encoded OID. */
    static String readable(javax.security.auth.x500.X500Principal name) {
        return name.getName(javax.security.auth.x500.X500Principal.RFC2253,
                java.util.Map.of("1.2.840.113549.1.9.1", "emailAddress"));
    }

    /** Returns an exception's message without the class names that parsers put in front of it. */
    private static String reason(Exception e) {
        String message = String.valueOf(e.getMessage());
        return message.replaceAll("(?:[a-z]+\\.)+[A-Z][A-Za-z]*(?:Exception|Error): ", "");
    }

    private static ProblemException invalid(List<FieldError> errors) {
        return ProblemException.invalidFields("invalid-derived-credential", "Invalid derived credential", errors);
    }
}
