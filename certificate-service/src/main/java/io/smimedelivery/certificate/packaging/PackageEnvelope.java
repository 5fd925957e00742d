package io.smimedelivery.certificate.packaging;

import static io.smimedelivery.certificate.crypto.Providers.BOUNCY_CASTLE;
import static io.smimedelivery.certificate.crypto.Providers.SUN_JCE;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.HexFormat;
import java.util.Objects;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.EnvelopedData;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAESOAEPparams;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.KeyAgreeRecipientId;
import org.bouncycastle.cms.KeyTransRecipientId;
import org.bouncycastle.cms.Recipient;
import org.bouncycastle.cms.RecipientId;
import org.bouncycastle.cms.RecipientInfoGenerator;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyAgreeEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyAgreeRecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.operator.OutputEncryptor;

/**
 * Encrypts a device package to the public key of one device as CMS EnvelopedData (RFC 5652), and
 * decrypts such an envelope with the device's private key.
 *
 * <p>The encrypted content has content type id-data and is encrypted with AES-256-CBC under a new
 * random content-encryption key. How that key reaches the device depends on the device key:
 * <ul>
 *   <li>RSA with at least 2048 bits: a KeyTransRecipientInfo with RSAES-OAEP, SHA-256 and MGF1 with
 *       SHA-256, with these parameters written out (RFC 4055).
 *   <li>EC on P-256 or P-384: a KeyAgreeRecipientInfo with ephemeral-static ECDH,
 *       dhSinglePass-stdDH-sha256kdf-scheme (RFC 5753) and AES-256 key wrap. Each envelope gets a new
 *       ephemeral key pair, which the envelope carries as originatorKey.
 * </ul>
 *
 * <p>A device has no certificate, so the recipient is identified by subjectKeyIdentifier. Its value is
 * method 1 of RFC 5280, section 4.2.1.2: the SHA-1 hash of the subjectPublicKey BIT STRING value,
 * without tag, length and unused-bits byte. For RSA that value is the DER RSAPublicKey, and for EC it
 * is the uncompressed point, even when the device sent its key with a compressed point. A device finds
 * its recipient info by computing the same hash over its own public key.
 */
public final class PackageEnvelope {


    /** SHA-256 with NULL parameters, the form that RFC 4055 gives for the hash inside RSAES-OAEP parameters. */
    private static final AlgorithmIdentifier SHA256 =
            new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256, DERNull.INSTANCE);

    /** RSAES-OAEP with SHA-256 and MGF1-SHA-256. The empty label is the DER default, so it is not written. */
    private static final AlgorithmIdentifier RSAES_OAEP_SHA256 = new AlgorithmIdentifier(
            PKCSObjectIdentifiers.id_RSAES_OAEP,
            new RSAESOAEPparams(SHA256, new AlgorithmIdentifier(PKCSObjectIdentifiers.id_mgf1, SHA256),
                    RSAESOAEPparams.DEFAULT_P_SOURCE_ALGORITHM));

    private PackageEnvelope() {
    }

    /**
     * Encrypts {@code content} to the device key and returns the DER encoding of the ContentInfo with the
     * EnvelopedData.
     *
     * @throws IllegalArgumentException if the device key is not RSA with at least 2048 bits or EC on
     *     P-256 or P-384. The message names the key type.
     */
    public static byte[] seal(byte[] content, PublicKey deviceKey) {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(deviceKey, "deviceKey");
        DeviceKeyType type = DeviceKeyType.of(deviceKey);
        byte[] subjectKeyIdentifier = PublicKeys.subjectKeyIdentifier(PublicKeys.parse(deviceKey));

        CMSEnvelopedDataGenerator generator = new CMSEnvelopedDataGenerator();
        generator.addRecipientInfoGenerator(type == DeviceKeyType.RSA
                ? keyTransport(subjectKeyIdentifier, deviceKey)
                : keyAgreement(type, subjectKeyIdentifier, deviceKey));
        try {
            // The JDK's AES uses the processor's AES instructions; BouncyCastle's runs in plain Java.
            OutputEncryptor contentEncryptor = new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_CBC)
                    .setProvider(SUN_JCE)
                    .build();
            CMSEnvelopedData enveloped = generator.generate(new CMSProcessableByteArray(content), contentEncryptor);
            return enveloped.toASN1Structure().getEncoded(ASN1Encoding.DER);
        } catch (CMSException | IOException e) {
            throw new IllegalStateException("Encrypting the package to the " + type + " device key failed", e);
        }
    }

    /**
     * Decrypts an envelope made by {@link #seal} with the device's private key and returns the content.
     *
     * @throws IllegalArgumentException if the envelope is not CMS EnvelopedData with id-data content,
     *     has no recipient info for this key, or cannot be decrypted with it
     */
    public static byte[] open(byte[] envelope, PrivateKey deviceKey) {
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(deviceKey, "deviceKey");
        CMSEnvelopedData enveloped = parse(envelope);

        AsymmetricKeyParameter publicKey = PublicKeys.derive(deviceKey).orElseThrow(() -> new IllegalArgumentException(
                "The public key of the " + deviceKey.getAlgorithm() + " device key cannot be derived from it. "
                        + "Pass an EC private key or an RSA private key with CRT parameters."));
        byte[] subjectKeyIdentifier = PublicKeys.subjectKeyIdentifier(publicKey);
        boolean rsa = publicKey instanceof RSAKeyParameters;
        RecipientId recipientId = rsa
                ? new KeyTransRecipientId(subjectKeyIdentifier)
                : new KeyAgreeRecipientId(subjectKeyIdentifier);
        RecipientInformation recipientInfo = enveloped.getRecipientInfos().get(recipientId);
        if (recipientInfo == null) {
            throw new IllegalArgumentException("The envelope has no recipient info for the " + deviceKey.getAlgorithm()
                    + " device key with subjectKeyIdentifier " + HexFormat.of().formatHex(subjectKeyIdentifier)
                    + ". It was encrypted to another key.");
        }

        Recipient recipient = rsa
                ? new JceKeyTransEnvelopedRecipient(deviceKey).setProvider(BOUNCY_CASTLE)
                : new JceKeyAgreeEnvelopedRecipient(deviceKey).setProvider(BOUNCY_CASTLE);
        try {
            return recipientInfo.getContent(recipient);
        } catch (CMSException e) {
            throw new IllegalArgumentException("Decrypting the envelope with the " + deviceKey.getAlgorithm()
                    + " device key failed although its subjectKeyIdentifier matches. The envelope is damaged.", e);
        }
    }

    private static CMSEnvelopedData parse(byte[] envelope) {
        CMSEnvelopedData enveloped;
        try {
            enveloped = new CMSEnvelopedData(envelope);
        } catch (CMSException | RuntimeException e) {
            throw new IllegalArgumentException("The envelope is not a valid CMS EnvelopedData structure: " + e.getMessage(), e);
        }
        if (!CMSObjectIdentifiers.envelopedData.equals(enveloped.toASN1Structure().getContentType())) {
            throw new IllegalArgumentException("The envelope has content type "
                    + enveloped.toASN1Structure().getContentType().getId() + " instead of id-envelopedData.");
        }
        EnvelopedData envelopedData = EnvelopedData.getInstance(enveloped.toASN1Structure().getContent());
        if (!CMSObjectIdentifiers.data.equals(envelopedData.getEncryptedContentInfo().getContentType())) {
            throw new IllegalArgumentException("The envelope encrypts content of type "
                    + envelopedData.getEncryptedContentInfo().getContentType().getId() + " instead of id-data.");
        }
        return enveloped;
    }

    private static RecipientInfoGenerator keyTransport(byte[] subjectKeyIdentifier, PublicKey deviceKey) {
        return new JceKeyTransRecipientInfoGenerator(subjectKeyIdentifier, RSAES_OAEP_SHA256, deviceKey)
                .setProvider(BOUNCY_CASTLE);
    }

    private static RecipientInfoGenerator keyAgreement(DeviceKeyType type, byte[] subjectKeyIdentifier, PublicKey deviceKey) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", BOUNCY_CASTLE);
            generator.initialize(new ECGenParameterSpec(type.curveName()));
            KeyPair ephemeral = generator.generateKeyPair();
            return new JceKeyAgreeRecipientInfoGenerator(CMSAlgorithm.ECDH_SHA256KDF,
                    ephemeral.getPrivate(), ephemeral.getPublic(), CMSAlgorithm.AES256_WRAP)
                    .setProvider(BOUNCY_CASTLE)
                    .addRecipient(subjectKeyIdentifier, deviceKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Creating an ephemeral " + type.curveName() + " key pair failed", e);
        }
    }
}
