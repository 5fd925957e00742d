package io.smimedelivery.certificate.scep;

import java.math.BigInteger;
import java.net.URL;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.jscep.client.Client;
import org.jscep.client.EnrollmentResponse;
import org.jscep.client.verification.OptimisticCertificateVerifier;

/** Enrolls over SCEP with jscep, as a device does with the instructions from its package. */
public final class ScepTestClient {

    private final String url;

    public ScepTestClient(String url) {
        this.url = url;
    }

    /** Sends a PKCSReq for the key with the subject, an e-mail subject alternative name and the challenge. */
    public EnrollmentResponse enroll(KeyPair keys, String subject, String challenge, String email) throws Exception {
        return enroll(keys, subject, new DERPrintableString(challenge), email);
    }

    public EnrollmentResponse enroll(KeyPair keys, String subject, ASN1Encodable challenge, String email) throws Exception {
        Client client = new Client(new URL(url), new OptimisticCertificateVerifier());
        return client.enrol(selfSigned(keys), keys.getPrivate(), csr(keys, subject, challenge, email));
    }

    /** Creates the self-signed certificate a SCEP client signs its PKCSReq with. */
    static X509Certificate selfSigned(KeyPair keys) throws Exception {
        X500Name name = new X500Name("CN=SCEP client " + UUID.randomUUID());
        Instant now = Instant.now();
        return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name, BigInteger.ONE,
                Date.from(now.minusSeconds(60)), Date.from(now.plus(Duration.ofDays(1))), name, keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
    }

    static PKCS10CertificationRequest csr(KeyPair keys, String subject, ASN1Encodable challenge, String email)
            throws Exception {
        ExtensionsGenerator extensions = new ExtensionsGenerator();
        extensions.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.rfc822Name, email)));
        return new JcaPKCS10CertificationRequestBuilder(new X500Name(subject), keys.getPublic())
                .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_challengePassword, challenge)
                .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate())
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate()));
    }
}
