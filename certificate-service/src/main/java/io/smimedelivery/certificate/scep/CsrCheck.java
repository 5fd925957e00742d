package io.smimedelivery.certificate.scep;

import static io.smimedelivery.certificate.crypto.Providers.BOUNCY_CASTLE;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;

import io.smimedelivery.certificate.scep.ChallengeSpec.SubjectAltName;

/** Reads a PKCS#10 request of a pkiMessage and checks it against what the challenge allows. */
final class CsrCheck {


    /** The otherName type of a Microsoft user principal name. */
    static final ASN1ObjectIdentifier UPN = new ASN1ObjectIdentifier("1.3.6.1.4.1.311.20.2.3");

    private CsrCheck() {
    }

    /**
     * Parses the request and checks its self-signature.
     *
     * @throws ScepException with badRequest when the content is not a PKCS#10 request or its signature fails
     */
    static PKCS10CertificationRequest parse(byte[] content) {
        PKCS10CertificationRequest request;
        try {
            request = new PKCS10CertificationRequest(content);
        } catch (IOException | RuntimeException e) {
            throw new ScepException(ScepFailure.BAD_REQUEST, "CSR_INVALID",
                    "The messageData is not a PKCS#10 certificate request: " + e.getMessage());
        }
        try {
            if (!request.isSignatureValid(new JcaContentVerifierProviderBuilder()
                    .setProvider(BOUNCY_CASTLE)
                    .build(request.getSubjectPublicKeyInfo()))) {
                throw new ScepException(ScepFailure.BAD_MESSAGE_CHECK, "CSR_SIGNATURE_INVALID",
                        "The PKCS#10 request's signature does not verify with its public key.");
            }
        } catch (OperatorCreationException | PKCSException e) {
            throw new ScepException(ScepFailure.BAD_MESSAGE_CHECK, "CSR_SIGNATURE_INVALID",
                    "The PKCS#10 request's signature cannot be checked: " + e.getMessage());
        }
        return request;
    }

    /**
     * Returns the challengePassword attribute, which may be a PrintableString, UTF8String or BMPString.
     *
     * @throws ScepException with badRequest when the request has no challenge password
     */
    static String challengePassword(PKCS10CertificationRequest request) {
        for (Attribute attribute : request.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_challengePassword)) {
            for (ASN1Encodable value : attribute.getAttrValues()) {
                if (value instanceof ASN1String string) {
                    return string.getString();
                }
            }
        }
        throw new ScepException(ScepFailure.BAD_REQUEST, "CHALLENGE_MISSING",
                "The PKCS#10 request has no challengePassword attribute; send the challenge from the device package.");
    }

    /**
     * Checks the subject, the subject alternative names and the RSA key size against the challenge.
     *
     * @throws ScepException with badRequest naming the first difference
     */
    static void matches(PKCS10CertificationRequest request, ChallengeSpec spec) {
        X500Name expected = new X500Name(spec.subject());
        if (!expected.equals(request.getSubject())) {
            throw new ScepException(ScepFailure.BAD_REQUEST, "SUBJECT_MISMATCH", "The request's subject \""
                    + request.getSubject() + "\" differs from the profile's subject \"" + expected + "\".");
        }
        Set<String> requested = new HashSet<>(names(requestedAltNames(request)));
        Set<String> allowed = new HashSet<>(names(spec.subjectAltNames()));
        if (!requested.equals(allowed)) {
            throw new ScepException(ScepFailure.BAD_REQUEST, "SAN_MISMATCH", "The request's subject alternative names "
                    + requested + " differ from the profile's " + allowed + ".");
        }
        if (!PKCSObjectIdentifiers.rsaEncryption.equals(request.getSubjectPublicKeyInfo().getAlgorithm().getAlgorithm())) {
            throw new ScepException(ScepFailure.BAD_REQUEST, "KEY_TYPE_UNSUPPORTED", "The request's key has algorithm "
                    + request.getSubjectPublicKeyInfo().getAlgorithm().getAlgorithm() + "; the SCEP profile requires RSA.");
        }
        int bits;
        try {
            BigInteger modulus = RSAPublicKey.getInstance(request.getSubjectPublicKeyInfo().parsePublicKey()).getModulus();
            bits = modulus.bitLength();
        } catch (IOException | RuntimeException e) {
            throw new ScepException(ScepFailure.BAD_REQUEST, "CSR_INVALID", "The request's RSA public key cannot be read.");
        }
        if (bits < spec.minKeySize()) {
            throw new ScepException(ScepFailure.BAD_REQUEST, "KEY_TOO_SMALL", "The request's RSA key has " + bits
                    + " bits; the SCEP profile requires at least " + spec.minKeySize() + ".");
        }
    }

    /** Returns the subject alternative names of the request's extensionRequest attribute. */
    static List<SubjectAltName> requestedAltNames(PKCS10CertificationRequest request) {
        List<SubjectAltName> names = new ArrayList<>();
        for (Attribute attribute : request.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
            for (ASN1Encodable value : attribute.getAttrValues()) {
                Extensions extensions = Extensions.getInstance(value);
                GeneralNames generalNames = GeneralNames.fromExtensions(extensions, Extension.subjectAlternativeName);
                if (generalNames == null) {
                    continue;
                }
                for (GeneralName name : generalNames.getNames()) {
                    names.add(altName(name));
                }
            }
        }
        return names;
    }

    /** Returns the GeneralName of a profile's subject alternative name. */
    static GeneralName generalName(SubjectAltName name) {
        return switch (name.type()) {
            case "EMAIL" -> new GeneralName(GeneralName.rfc822Name, name.value());
            case "DNS" -> new GeneralName(GeneralName.dNSName, name.value());
            case "URI" -> new GeneralName(GeneralName.uniformResourceIdentifier, name.value());
            case "UPN" -> new GeneralName(GeneralName.otherName,
                    new DERSequence(new ASN1Encodable[] { UPN, new DERTaggedObject(true, 0, new DERUTF8String(name.value())) }));
            default -> throw new IllegalArgumentException("Unknown subject alternative name type " + name.type());
        };
    }

    private static SubjectAltName altName(GeneralName name) {
        return switch (name.getTagNo()) {
            case GeneralName.rfc822Name -> new SubjectAltName("EMAIL", name.getName().toString());
            case GeneralName.dNSName -> new SubjectAltName("DNS", name.getName().toString());
            case GeneralName.uniformResourceIdentifier -> new SubjectAltName("URI", name.getName().toString());
            case GeneralName.otherName -> {
                org.bouncycastle.asn1.ASN1Sequence other = org.bouncycastle.asn1.ASN1Sequence.getInstance(name.getName());
                ASN1Encodable value = ASN1TaggedObject.getInstance(other.getObjectAt(1)).getExplicitBaseObject();
                yield UPN.equals(other.getObjectAt(0)) && value instanceof ASN1String string
                        ? new SubjectAltName("UPN", string.getString())
                        : new SubjectAltName("OTHER", other.getObjectAt(0).toString());
            }
            default -> new SubjectAltName("TAG" + name.getTagNo(), name.getName().toString());
        };
    }

    /** Returns "TYPE:value" texts, with case-insensitive values lower-cased, for comparison. */
    private static List<String> names(List<SubjectAltName> names) {
        return names.stream().map(name -> name.type() + ":" + (name.type().equals("URI") ? name.value()
                : name.value().toLowerCase(Locale.ROOT))).toList();
    }
}
