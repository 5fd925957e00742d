package io.smimedelivery.certificate.scep;

import static io.smimedelivery.certificate.crypto.Providers.BOUNCY_CASTLE;
import static io.smimedelivery.certificate.crypto.Providers.SUN_JCE;
import static io.smimedelivery.certificate.crypto.Providers.SUN_RSA_SIGN;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSAbsentContent;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.CMSTypedData;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.util.Store;

/**
 * Reads SCEP pkiMessages and writes CertRep messages (RFC 8894, section 3). A pkiMessage is CMS
 * SignedData whose signed attributes carry the SCEP fields and whose content is EnvelopedData encrypted
 * to the CA. BouncyCastle parses BER, so indefinite-length encodings are accepted.
 */
public final class PkiMessageCodec {

    public static final ASN1ObjectIdentifier MESSAGE_TYPE = new ASN1ObjectIdentifier("2.16.840.1.113733.1.9.2");
    public static final ASN1ObjectIdentifier PKI_STATUS = new ASN1ObjectIdentifier("2.16.840.1.113733.1.9.3");
    public static final ASN1ObjectIdentifier FAIL_INFO = new ASN1ObjectIdentifier("2.16.840.1.113733.1.9.4");
    public static final ASN1ObjectIdentifier SENDER_NONCE = new ASN1ObjectIdentifier("2.16.840.1.113733.1.9.5");
    public static final ASN1ObjectIdentifier RECIPIENT_NONCE = new ASN1ObjectIdentifier("2.16.840.1.113733.1.9.6");
    public static final ASN1ObjectIdentifier TRANSACTION_ID = new ASN1ObjectIdentifier("2.16.840.1.113733.1.9.7");

    private static final String STATUS_SUCCESS = "0";
    private static final String STATUS_FAILURE = "2";
    private static final int NONCE_BYTES = 16;

    /** Content encryptions a CertRep repeats from the request; others get AES-256-CBC, single DES gets 3DES. */
    private static final Map<ASN1ObjectIdentifier, ASN1ObjectIdentifier> RESPONSE_ENCRYPTION = Map.of(
            NISTObjectIdentifiers.id_aes128_CBC, CMSAlgorithm.AES128_CBC,
            NISTObjectIdentifiers.id_aes192_CBC, CMSAlgorithm.AES192_CBC,
            NISTObjectIdentifiers.id_aes256_CBC, CMSAlgorithm.AES256_CBC,
            PKCSObjectIdentifiers.des_EDE3_CBC, CMSAlgorithm.DES_EDE3_CBC,
            OIWObjectIdentifiers.desCBC, CMSAlgorithm.DES_EDE3_CBC);

    private final SecureRandom random = new SecureRandom();

    /** The signed part of a pkiMessage, read before its signature is checked and its content decrypted. */
    public record Header(CMSSignedData signedData, SignerInformation signer, ScepMessageType messageType,
            String transactionId, byte[] senderNonce, X509CertificateHolder signerCertificate) {
    }

    /**
     * Reads the SignedData and the SCEP attributes of a pkiMessage.
     *
     * @throws IllegalArgumentException when the message is not a pkiMessage that a CertRep can reply to:
     *     not SignedData, no single signer with its certificate, or a missing or unknown SCEP attribute
     */
    public Header readHeader(byte[] message) {
        CMSSignedData signed;
        try {
            signed = new CMSSignedData(message);
        } catch (CMSException | RuntimeException e) {
            throw new IllegalArgumentException("the message is not CMS SignedData: " + e.getMessage(), e);
        }
        Collection<SignerInformation> signers = signed.getSignerInfos().getSigners();
        if (signers.size() != 1) {
            throw new IllegalArgumentException("a pkiMessage has exactly one signer, this one has " + signers.size());
        }
        SignerInformation signer = signers.iterator().next();

        @SuppressWarnings("unchecked")
        Store<X509CertificateHolder> certificates = signed.getCertificates();
        Collection<X509CertificateHolder> matches = certificates.getMatches(signer.getSID());
        if (matches.isEmpty()) {
            throw new IllegalArgumentException("the SignedData does not contain the signer's certificate");
        }
        AttributeTable attributes = signer.getSignedAttributes();
        if (attributes == null) {
            throw new IllegalArgumentException("the signer has no signed attributes, so it carries no SCEP fields");
        }

        String typeCode = text(attributes, MESSAGE_TYPE, "messageType");
        ScepMessageType type = ScepMessageType.fromCode(typeCode).orElseThrow(() -> new IllegalArgumentException(
                "unknown messageType " + quoted(typeCode) + "; expected 17 (RenewalReq), 19 (PKCSReq), 20 (CertPoll), "
                        + "21 (GetCert) or 22 (GetCRL)"));
        if (type == ScepMessageType.CERT_REP) {
            throw new IllegalArgumentException("a client does not send CertRep (messageType 3)");
        }
        String transactionId = text(attributes, TRANSACTION_ID, "transactionID");
        byte[] senderNonce = octets(attributes, SENDER_NONCE, "senderNonce");
        return new Header(signed, signer, type, transactionId, senderNonce, matches.iterator().next());
    }

    /**
     * Checks the signature with the signer's certificate and decrypts the content with the CA key.
     *
     * @throws ScepException with badMessageCheck when the signature does not verify or the content cannot
     *     be decrypted with the CA key
     */
    public PkiRequest open(Header header, PrivateKey caKey) {
        try {
            if (!header.signer().verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider(BOUNCY_CASTLE)
                    .build(header.signerCertificate()))) {
                throw new ScepException(ScepFailure.BAD_MESSAGE_CHECK, "SIGNATURE_INVALID",
                        "The pkiMessage signature does not verify with the signer's certificate.");
            }
        } catch (CMSException | OperatorCreationException | GeneralSecurityException | RuntimeException e) {
            if (e instanceof ScepException scep) {
                throw scep;
            }
            throw new ScepException(ScepFailure.BAD_MESSAGE_CHECK, "SIGNATURE_INVALID",
                    "The pkiMessage signature cannot be checked: " + e.getMessage());
        }
        if (header.signedData().getSignedContent() == null) {
            throw new ScepException(ScepFailure.BAD_REQUEST, "CONTENT_MISSING", "The pkiMessage has no messageData.");
        }
        byte[] enveloped = (byte[]) header.signedData().getSignedContent().getContent();
        try {
            CMSEnvelopedData envelope = new CMSEnvelopedData(enveloped);
            Collection<RecipientInformation> recipients = envelope.getRecipientInfos().getRecipients();
            if (recipients.isEmpty()) {
                throw new ScepException(ScepFailure.BAD_MESSAGE_CHECK, "DECRYPTION_FAILED",
                        "The messageData envelope has no recipient.");
            }
            byte[] content = recipients.iterator().next()
                    .getContent(new JceKeyTransEnvelopedRecipient(caKey).setProvider(SUN_JCE));
            return new PkiRequest(header.messageType(), header.transactionId(), header.senderNonce(),
                    header.signerCertificate(), envelope.getContentEncryptionAlgorithm().getAlgorithm(), content);
        } catch (CMSException | RuntimeException e) {
            if (e instanceof ScepException scep) {
                throw scep;
            }
            throw new ScepException(ScepFailure.BAD_MESSAGE_CHECK, "DECRYPTION_FAILED",
                    "The messageData cannot be decrypted with the CA key: " + e.getMessage());
        }
    }

    /**
     * Writes a CertRep with pkiStatus SUCCESS whose content is a certs-only SignedData with the
     * certificates, encrypted to the requester's signer key with the request's content encryption.
     */
    public byte[] success(Header header, ASN1ObjectIdentifier requestEncryption, List<X509Certificate> certificates,
            IssuingCa ca) {
        try {
            CMSSignedDataGenerator degenerate = new CMSSignedDataGenerator();
            for (X509Certificate certificate : certificates) {
                degenerate.addCertificate(new JcaX509CertificateHolder(certificate));
            }
            byte[] certsOnly = degenerate.generate(new CMSAbsentContent()).getEncoded();

            X509Certificate recipient = new JcaX509CertificateConverter().setProvider(BOUNCY_CASTLE)
                    .getCertificate(header.signerCertificate());
            CMSEnvelopedDataGenerator envelope = new CMSEnvelopedDataGenerator();
            envelope.addRecipientInfoGenerator(new JceKeyTransRecipientInfoGenerator(recipient).setProvider(BOUNCY_CASTLE));
            ASN1ObjectIdentifier encryption = RESPONSE_ENCRYPTION.getOrDefault(requestEncryption, CMSAlgorithm.AES256_CBC);
            byte[] encrypted = envelope.generate(new CMSProcessableByteArray(certsOnly),
                    new JceCMSContentEncryptorBuilder(encryption).setProvider(BOUNCY_CASTLE).build()).getEncoded();
            return certRep(header, STATUS_SUCCESS, null, new CMSProcessableByteArray(encrypted), ca);
        } catch (CMSException | GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Writing the CertRep for transaction " + header.transactionId() + " failed", e);
        }
    }

    /** Writes a CertRep with pkiStatus FAILURE and the failInfo, without content. */
    public byte[] failure(Header header, ScepFailure failure, IssuingCa ca) {
        return certRep(header, STATUS_FAILURE, failure, new CMSAbsentContent(), ca);
    }

    private byte[] certRep(Header header, String status, ScepFailure failure, CMSTypedData content, IssuingCa ca) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        ASN1EncodableVector attributes = new ASN1EncodableVector();
        attributes.add(attribute(MESSAGE_TYPE, new DERPrintableString(ScepMessageType.CERT_REP.code())));
        attributes.add(attribute(PKI_STATUS, new DERPrintableString(status)));
        if (failure != null) {
            attributes.add(attribute(FAIL_INFO, new DERPrintableString(failure.code())));
        }
        attributes.add(attribute(TRANSACTION_ID, new DERPrintableString(header.transactionId())));
        attributes.add(attribute(SENDER_NONCE, new DEROctetString(nonce)));
        attributes.add(attribute(RECIPIENT_NONCE, new DEROctetString(header.senderNonce())));
        try {
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withRSA").setProvider(SUN_RSA_SIGN)
                    .build(ca.messageKey());
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(
                    new JcaDigestCalculatorProviderBuilder().setProvider(BOUNCY_CASTLE).build())
                    .setSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(new AttributeTable(attributes)))
                    .build(signer, ca.messageCertificate()));
            generator.addCertificate(new JcaX509CertificateHolder(ca.messageCertificate()));
            // DER, not BouncyCastle's default BER: clients such as micromdm/scep hash the encapsulated content
            // as one primitive OCTET STRING and reject the chunked form.
            return generator.generate(content, !(content instanceof CMSAbsentContent)).getEncoded(ASN1Encoding.DER);
        } catch (CMSException | GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("Signing the CertRep for transaction " + header.transactionId() + " failed", e);
        }
    }

    private static Attribute attribute(ASN1ObjectIdentifier type, ASN1Encodable value) {
        return new Attribute(type, new DERSet(value));
    }

    private static ASN1Encodable single(AttributeTable attributes, ASN1ObjectIdentifier type, String name) {
        Attribute attribute = attributes.get(type);
        if (attribute == null) {
            throw new IllegalArgumentException("the signed attribute " + name + " (" + type + ") is missing");
        }
        ASN1Set values = attribute.getAttrValues();
        if (values.size() != 1) {
            throw new IllegalArgumentException("the signed attribute " + name + " has " + values.size()
                    + " values instead of 1");
        }
        return values.getObjectAt(0);
    }

    private static String text(AttributeTable attributes, ASN1ObjectIdentifier type, String name) {
        ASN1Encodable value = single(attributes, type, name);
        if (!(value instanceof ASN1String string)) {
            throw new IllegalArgumentException("the signed attribute " + name + " is not a string");
        }
        String text = string.getString();
        if (text.isEmpty() || text.length() > 256) {
            throw new IllegalArgumentException("the signed attribute " + name + " has " + text.length()
                    + " characters; expected 1 to 256");
        }
        return text;
    }

    private static byte[] octets(AttributeTable attributes, ASN1ObjectIdentifier type, String name) {
        ASN1Encodable value = single(attributes, type, name);
        if (!(value instanceof ASN1OctetString octets)) {
            throw new IllegalArgumentException("the signed attribute " + name + " is not an OCTET STRING");
        }
        return octets.getOctets();
    }

    private static String quoted(String value) {
        String shown = value.length() > 40 ? value.substring(0, 40) + "…" : value;
        return "\"" + shown.replaceAll("[^\\x20-\\x7e]", "?") + "\"";
    }
}
