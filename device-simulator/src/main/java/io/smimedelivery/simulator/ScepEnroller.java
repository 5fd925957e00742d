package io.smimedelivery.simulator;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Requests the device's signing certificate over SCEP (RFC 8894) with the instructions from its package,
 * as iOS does for a SCEP payload. The new RSA key never leaves the device. The PKCS#10 request carries the
 * challenge, and the PKCSReq is signed with a self-signed certificate and encrypted with AES-256. The
 * CertRep's signature is checked against the CA certificate that the package pins by thumbprint.
 */
final class ScepEnroller {

    /** The issued certificate and its key. */
    record Enrolled(X509Certificate certificate, KeyPair keys, X509Certificate ca) {
    }

    /** The CA, and the certificate that SCEP messages go to and come from: an RA's, or the CA's itself. */
    static final ASN1ObjectIdentifier MESSAGE_TYPE = new ASN1ObjectIdentifier("2.16.840.1.113733.1.9.2");
    static final ASN1ObjectIdentifier PKI_STATUS = new ASN1ObjectIdentifier("2.16.840.1.113733.1.9.3");
    static final ASN1ObjectIdentifier FAIL_INFO = new ASN1ObjectIdentifier("2.16.840.1.113733.1.9.4");
    static final ASN1ObjectIdentifier SENDER_NONCE = new ASN1ObjectIdentifier("2.16.840.1.113733.1.9.5");
    static final ASN1ObjectIdentifier RECIPIENT_NONCE = new ASN1ObjectIdentifier("2.16.840.1.113733.1.9.6");
    static final ASN1ObjectIdentifier TRANSACTION_ID = new ASN1ObjectIdentifier("2.16.840.1.113733.1.9.7");
    private static final ASN1ObjectIdentifier UPN = new ASN1ObjectIdentifier("1.3.6.1.4.1.311.20.2.3");
    private static final String PKCS_REQ = "19";
    private static final BouncyCastleProvider BOUNCY_CASTLE = new BouncyCastleProvider();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http;
    private final SecureRandom random = new SecureRandom();

    ScepEnroller(HttpClient http) {
        this.http = http;
    }

    /** Enrolls with the package's {@code scep} instructions and returns the issued certificate and key. */
    Enrolled enroll(JsonNode instructions) {
        String url = instructions.path("url").asText();
        ScepCaCertificates certificates = caCertificates(url, instructions.path("caCertificateSha256").asText());
        X509Certificate ca = certificates.ca();
        KeyPair keys = rsa(instructions.path("keySize").asInt(2048));
        String transactionId = UUID.randomUUID().toString();
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        byte[] request = pkcsReq(instructions, keys, certificates.recipient(), transactionId, nonce);

        HttpResponse<byte[]> response = send(HttpRequest.newBuilder(URI.create(url + "?operation=PKIOperation"))
                .timeout(TIMEOUT).header("Content-Type", "application/x-pki-message")
                .POST(HttpRequest.BodyPublishers.ofByteArray(request)).build());
        if (response.statusCode() != 200) {
            throw new SimulatorException("SCEP PKIOperation at " + url + " returned HTTP " + response.statusCode() + ".");
        }
        return new Enrolled(readCertRep(response.body(), certificates, keys, transactionId, nonce), keys, ca);
    }

    /** Fetches GetCACert; the CA must have the thumbprint that the package pins, and an RA must be issued by it. */
    private ScepCaCertificates caCertificates(String url, String expectedThumbprint) {
        HttpResponse<byte[]> response = send(HttpRequest.newBuilder(URI.create(url + "?operation=GetCACert"))
                .timeout(TIMEOUT).GET().build());
        if (response.statusCode() != 200) {
            throw new SimulatorException("SCEP GetCACert at " + url + " returned HTTP " + response.statusCode() + ".");
        }
        return ScepCaCertificates.read(response.body(), expectedThumbprint);
    }

    private byte[] pkcsReq(JsonNode instructions, KeyPair keys, X509Certificate ca, String transactionId, byte[] nonce) {
        try {
            ExtensionsGenerator extensions = new ExtensionsGenerator();
            List<GeneralName> names = new ArrayList<>();
            for (JsonNode name : instructions.path("subjectAlternativeNames")) {
                names.add(generalName(name.path("type").asText(), name.path("value").asText()));
            }
            if (!names.isEmpty()) {
                extensions.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(names.toArray(GeneralName[]::new)));
            }
            SecretLedger.record("scep-challenge", instructions.path("challenge").asText());
            byte[] csr = new JcaPKCS10CertificationRequestBuilder(new X500Name(instructions.path("subject").asText()),
                    keys.getPublic())
                    .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_challengePassword,
                            new DERPrintableString(instructions.path("challenge").asText()))
                    .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate())
                    .build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())).getEncoded();

            CMSEnvelopedDataGenerator envelope = new CMSEnvelopedDataGenerator();
            envelope.addRecipientInfoGenerator(new JceKeyTransRecipientInfoGenerator(ca).setProvider(BOUNCY_CASTLE));
            byte[] enveloped = envelope.generate(new CMSProcessableByteArray(csr),
                    new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_CBC).setProvider(BOUNCY_CASTLE).build()).getEncoded();

            X509Certificate self = selfSigned(keys);
            ASN1EncodableVector attributes = new ASN1EncodableVector();
            attributes.add(new Attribute(MESSAGE_TYPE, new DERSet(new DERPrintableString(PKCS_REQ))));
            attributes.add(new Attribute(TRANSACTION_ID, new DERSet(new DERPrintableString(transactionId))));
            attributes.add(new Attribute(SENDER_NONCE, new DERSet(new DEROctetString(nonce))));
            CMSSignedDataGenerator signed = new CMSSignedDataGenerator();
            signed.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(
                    new JcaDigestCalculatorProviderBuilder().setProvider(BOUNCY_CASTLE).build())
                    .setSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(new AttributeTable(attributes)))
                    .build(new JcaContentSignerBuilder("SHA256withRSA").setProvider(BOUNCY_CASTLE).build(keys.getPrivate()),
                            self));
            signed.addCertificates(new JcaCertStore(List.of(self)));
            return signed.generate(new CMSProcessableByteArray(enveloped), true).getEncoded();
        } catch (IOException | GeneralSecurityException | OperatorCreationException | CMSException e) {
            throw new IllegalStateException("Building the SCEP PKCSReq failed", e);
        }
    }

    private X509Certificate readCertRep(byte[] body, ScepCaCertificates certificates, KeyPair keys, String transactionId,
            byte[] nonce) {
        X509Certificate ca = certificates.ca();
        try {
            CMSSignedData signed = new CMSSignedData(body);
            SignerInformation signer = signed.getSignerInfos().getSigners().iterator().next();
            if (!signer.verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider(BOUNCY_CASTLE)
                    .build(certificates.recipient()))) {
                throw new SimulatorException("The SCEP CertRep is not signed by the CA or its RA.");
            }
            AttributeTable attributes = signer.getSignedAttributes();
            if (!transactionId.equals(text(attributes, TRANSACTION_ID))
                    || !java.util.Arrays.equals(nonce, DEROctetString.getInstance(
                            attributes.get(RECIPIENT_NONCE).getAttrValues().getObjectAt(0)).getOctets())) {
                throw new SimulatorException("The SCEP CertRep belongs to another transaction or nonce.");
            }
            String status = text(attributes, PKI_STATUS);
            if (!"0".equals(status)) {
                String failInfo = attributes.get(FAIL_INFO) == null ? "none" : text(attributes, FAIL_INFO);
                throw new SimulatorException("The SCEP CA rejected the request: pkiStatus " + status + ", failInfo "
                        + failInfo + " (" + failInfoName(failInfo) + "). device-service shows the reason in the device's status.");
            }
            CMSEnvelopedData envelope = new CMSEnvelopedData((byte[]) signed.getSignedContent().getContent());
            byte[] certsOnly = envelope.getRecipientInfos().getRecipients().iterator().next()
                    .getContent(new JceKeyTransEnvelopedRecipient(keys.getPrivate()).setProvider(BOUNCY_CASTLE));
            for (X509CertificateHolder holder : new CMSSignedData(certsOnly).getCertificates().getMatches(null)) {
                X509Certificate certificate = new JcaX509CertificateConverter().setProvider(BOUNCY_CASTLE).getCertificate(holder);
                if (certificate.getPublicKey().equals(keys.getPublic())) {
                    certificate.verify(ca.getPublicKey());
                    return certificate;
                }
            }
            throw new SimulatorException("The SCEP CertRep contains no certificate for the requested key.");
        } catch (CMSException | GeneralSecurityException | OperatorCreationException | RuntimeException e) {
            if (e instanceof SimulatorException simulator) {
                throw simulator;
            }
            throw new SimulatorException("Reading the SCEP CertRep failed: " + e.getMessage(), e);
        }
    }

    private HttpResponse<byte[]> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new SimulatorException(request.method() + " " + request.uri() + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SimulatorException(request.method() + " " + request.uri() + " was interrupted.", e);
        }
    }

    private static String failInfoName(String code) {
        return switch (code) {
            case "0" -> "badAlg";
            case "1" -> "badMessageCheck";
            case "2" -> "badRequest";
            case "3" -> "badTime";
            case "4" -> "badCertId";
            default -> "unknown";
        };
    }

    private static String text(AttributeTable attributes, ASN1ObjectIdentifier type) {
        Attribute attribute = attributes.get(type);
        if (attribute == null) {
            throw new SimulatorException("The SCEP CertRep lacks the attribute " + type + ".");
        }
        ASN1Encodable value = attribute.getAttrValues().getObjectAt(0);
        return ((ASN1String) value).getString();
    }

    private static GeneralName generalName(String type, String value) {
        return switch (type.toUpperCase(Locale.ROOT)) {
            case "EMAIL" -> new GeneralName(GeneralName.rfc822Name, value);
            case "DNS" -> new GeneralName(GeneralName.dNSName, value);
            case "URI" -> new GeneralName(GeneralName.uniformResourceIdentifier, value);
            case "UPN" -> new GeneralName(GeneralName.otherName,
                    new DERSequence(new ASN1Encodable[] { UPN, new DERTaggedObject(true, 0, new DERUTF8String(value)) }));
            default -> throw new SimulatorException("The package asks for a subject alternative name of unknown type " + type + ".");
        };
    }

    private KeyPair rsa(int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits, random);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Generating an RSA-" + bits + " key failed", e);
        }
    }

    private static X509Certificate selfSigned(KeyPair keys) throws GeneralSecurityException, OperatorCreationException {
        X500Name name = new X500Name("CN=SCEP request " + UUID.randomUUID());
        Instant now = Instant.now();
        return new JcaX509CertificateConverter().setProvider(BOUNCY_CASTLE).getCertificate(
                new JcaX509v3CertificateBuilder(name, BigInteger.ONE, Date.from(now.minusSeconds(60)),
                        Date.from(now.plus(Duration.ofDays(1))), name, keys.getPublic())
                        .build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
    }
}
