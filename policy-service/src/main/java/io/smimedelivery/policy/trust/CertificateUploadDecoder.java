package io.smimedelivery.policy.trust;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.pkcs.ContentInfo;
import org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.Pfx;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * Decoder of a certificate upload, PEM or DER, into the DER bytes of exactly one certificate. It checks the
 * structure only, and {@link CaCertificateParser} checks the certificate.
 */
final class CertificateUploadDecoder {

    private static final String PEM_CERTIFICATE_TYPE = "CERTIFICATE";
    /** Matches the BEGIN line of any PEM private key, such as PRIVATE KEY, RSA PRIVATE KEY or OPENSSH PRIVATE KEY. */
    private static final Pattern PEM_PRIVATE_KEY = Pattern.compile("-----BEGIN [A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----");
    private static final Pattern BASE64_ONLY = Pattern.compile("[A-Za-z0-9+/=\\s]+");
    private static final String PRIVATE_KEY_FIX = "Private keys must not be uploaded. Upload only the CA certificate, "
            + "as PEM or DER.";
    private static final int DER_SEQUENCE_TAG = 0x30;

    private CertificateUploadDecoder() {
    }

    /**
     * Returns the DER bytes of the only certificate in {@code upload}.
     *
     * @throws InvalidCertificateException with {@code EMPTY}, {@code PRIVATE_KEY}, {@code MULTIPLE_CERTIFICATES} or
     *                                     {@code NOT_A_CERTIFICATE}
     */
    static byte[] decodeSingleCertificate(byte[] upload) {
        // ISO-8859-1 maps each of the 256 byte values to one character, so DER bytes decode too and can be scanned.
        String text = upload == null ? "" : new String(upload, StandardCharsets.ISO_8859_1);
        if (text.isBlank()) {
            throw new InvalidCertificateException(InvalidCertificateException.EMPTY,
                    "The upload is empty. Upload one CA certificate as PEM or DER.");
        }
        if (PEM_PRIVATE_KEY.matcher(text).find()) {
            throw new InvalidCertificateException(InvalidCertificateException.PRIVATE_KEY,
                    "The upload contains a PEM private key. " + PRIVATE_KEY_FIX);
        }
        if (text.contains("-----BEGIN ")) {
            return decodePem(text);
        }
        if ((upload[0] & 0xff) == DER_SEQUENCE_TAG) {
            return decodeDer(upload);
        }
        if (BASE64_ONLY.matcher(text).matches()) {
            throw new InvalidCertificateException(InvalidCertificateException.NOT_A_CERTIFICATE,
                    "The upload looks like base64 text without PEM lines. Put -----BEGIN CERTIFICATE----- before it "
                            + "and -----END CERTIFICATE----- after it, or upload the DER file.");
        }
        throw notACertificate("The upload is neither PEM text with a BEGIN CERTIFICATE line nor a DER certificate.",
                null);
    }

    private static byte[] decodePem(String text) {
        List<PemObject> blocks = new ArrayList<>();
        try (PemReader reader = new PemReader(new StringReader(text))) {
            for (PemObject block = reader.readPemObject(); block != null; block = reader.readPemObject()) {
                blocks.add(block);
            }
        } catch (IOException | IllegalArgumentException e) {
            // The BouncyCastle message is not passed on, so no uploaded text reaches the client.
            throw notACertificate("The PEM text is malformed. Check that each BEGIN line has a matching END line "
                    + "and that the lines between them are valid base64.", e);
        }
        if (blocks.isEmpty()) {
            throw notACertificate("The PEM text contains no complete block. Upload a certificate that starts with "
                    + "-----BEGIN CERTIFICATE----- and ends with -----END CERTIFICATE-----.", null);
        }
        for (PemObject block : blocks) {
            if (!PEM_CERTIFICATE_TYPE.equals(block.getType())) {
                throw notACertificate("The PEM text contains a block of type '" + block.getType() + "', but only "
                        + "CERTIFICATE blocks are accepted. Upload the CA certificate alone.", null);
            }
        }
        if (blocks.size() > 1) {
            throw multipleCertificates(blocks.size());
        }
        return blocks.get(0).getContent();
    }

    private static byte[] decodeDer(byte[] upload) {
        List<ASN1Primitive> objects = new ArrayList<>();
        try (ASN1InputStream in = new ASN1InputStream(upload)) {
            for (ASN1Primitive object = in.readObject(); object != null; object = in.readObject()) {
                objects.add(object);
            }
        } catch (IOException | IllegalStateException e) {
            throw notACertificate("The upload is not valid DER. Upload one CA certificate as PEM or DER.", e);
        }
        ASN1Primitive first = objects.get(0);
        if (!isCertificate(first)) {
            rejectKeyMaterial(first);
            if (isPkcs7(first)) {
                throw notACertificate("The upload is a PKCS #7 file. Export each CA certificate from it as PEM "
                        + "or DER and upload them separately.", null);
            }
            throw notACertificate("The upload is DER but not an X.509 certificate. Upload one CA certificate as "
                    + "PEM or DER.", null);
        }
        if (objects.size() > 1) {
            if (objects.stream().allMatch(CertificateUploadDecoder::isCertificate)) {
                throw multipleCertificates(objects.size());
            }
            throw notACertificate("The DER certificate is followed by other data. Upload the certificate alone.",
                    null);
        }
        return upload;
    }

    private static boolean isCertificate(ASN1Primitive object) {
        return parses(() -> Certificate.getInstance(object));
    }

    /** Rejects DER structures that are or can contain private keys, so the client learns not to upload them. */
    private static void rejectKeyMaterial(ASN1Primitive object) {
        if (!(object instanceof ASN1Sequence)) {
            return;
        }
        if (parses(() -> Pfx.getInstance(object))) {
            throw new InvalidCertificateException(InvalidCertificateException.PRIVATE_KEY,
                    "The upload is a PKCS #12 file (.p12 or .pfx), which can contain a private key. "
                            + PRIVATE_KEY_FIX);
        }
        if (parses(() -> PrivateKeyInfo.getInstance(object))
                || parses(() -> EncryptedPrivateKeyInfo.getInstance(object))
                || parses(() -> RSAPrivateKey.getInstance(object))
                || parses(() -> ECPrivateKey.getInstance(object))) {
            throw new InvalidCertificateException(InvalidCertificateException.PRIVATE_KEY,
                    "The upload is a DER private key. " + PRIVATE_KEY_FIX);
        }
    }

    private static boolean isPkcs7(ASN1Primitive object) {
        return parses(() -> {
            ContentInfo contentInfo = ContentInfo.getInstance(object);
            return PKCSObjectIdentifiers.signedData.equals(contentInfo.getContentType()) ? contentInfo : null;
        });
    }

    /**
     * Returns whether {@code parser} returns an object without throwing. BouncyCastle getInstance methods throw
     * several runtime exceptions on structures of another type, such as IndexOutOfBoundsException for a sequence
     * that is too short, so any RuntimeException means "not this type".
     */
    private static boolean parses(Supplier<Object> parser) {
        try {
            return parser.get() != null;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static InvalidCertificateException multipleCertificates(int count) {
        return new InvalidCertificateException(InvalidCertificateException.MULTIPLE_CERTIFICATES,
                "The upload contains " + count + " certificates, but exactly one is accepted. Upload each CA "
                        + "certificate separately.");
    }

    private static InvalidCertificateException notACertificate(String message, Throwable cause) {
        return new InvalidCertificateException(InvalidCertificateException.NOT_A_CERTIFICATE, message, cause);
    }
}
