package io.smimedelivery.simulator;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;

import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyAgreeRecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.operator.jcajce.JcaAlgorithmParametersConverter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS12PfxPduBuilder;
import org.bouncycastle.pkcs.PKCS12SafeBag;
import org.bouncycastle.pkcs.PKCS12SafeBagBuilder;
import org.bouncycastle.pkcs.bc.BcPKCS12MacCalculatorBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS12SafeBagBuilder;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEOutputEncryptorBuilder;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smimedelivery.events.EventJson;

/**
 * Builds device packages the way certificate-service does: a CA and user certificates, a PKCS#12 in
 * either encoding, the JSON document and a CMS EnvelopedData to the device's RSA key with RSAES-OAEP
 * SHA-256 and AES-256-CBC.
 */
final class TestPackages {

    static final String EMAIL = "mario.rossi@example.it";
    static final String PKCS12_PASSWORD = "Pkcs12-Test-Password-7f3a";

    /** Encodings of certificate-service's {@code smime.package.pkcs12-encoding}. */
    enum Encoding {
        LEGACY_3DES("legacy-3des"), AES256("aes256");

        final String name;

        Encoding(String name) {
            this.name = name;
        }
    }

    /** One user certificate with its key and manifest role. */
    record Credential(String role, KeyPair keys, X509Certificate certificate, String friendlyName) {
    }

    /** The certificates of one package. */
    record Material(KeyPair caKeys, X509Certificate ca, List<Credential> credentials) {

        List<String> thumbprints() {
            List<String> thumbprints = new ArrayList<>();
            credentials.forEach(credential -> thumbprints.add(PackageOpener.thumbprint(credential.certificate())));
            thumbprints.add(PackageOpener.thumbprint(ca));
            return thumbprints;
        }
    }

    private static final BouncyCastleProvider BOUNCY_CASTLE = new BouncyCastleProvider();

    private TestPackages() {
    }

    static KeyPair rsaKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    /** Creates a CA, an encryption and a signing certificate for {@link #EMAIL}. */
    static Material material() throws Exception {
        KeyPair caKeys = rsaKeyPair();
        X500Name caName = new X500Name("CN=Simulator Test Root CA,O=Example");
        Instant now = Instant.now();
        X509v3CertificateBuilder caBuilder = new JcaX509v3CertificateBuilder(caName, BigInteger.valueOf(1),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(365))), caName, caKeys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        X509Certificate ca = sign(caBuilder, caKeys);

        List<Credential> credentials = new ArrayList<>();
        credentials.add(userCredential("ENCRYPTION", KeyUsage.keyEncipherment, caKeys, caName, 2));
        credentials.add(userCredential("SIGNING", KeyUsage.digitalSignature | KeyUsage.nonRepudiation, caKeys, caName, 3));
        return new Material(caKeys, ca, credentials);
    }

    /** Builds the package document, with the PKCS#12 in the given encoding. */
    static ObjectNode document(Material material, Encoding encoding, String packageId, String deviceId, String policyId)
            throws Exception {
        ObjectNode document = EventJson.mapper().createObjectNode()
                .put("format", "smime-device-package/1")
                .put("packageId", packageId)
                .put("deviceId", deviceId)
                .put("userId", "u-1001")
                .put("userPrincipalName", EMAIL)
                .put("email", EMAIL)
                .put("policyId", policyId)
                .put("policyVersion", 2)
                .put("policyName", "S/MIME Sales")
                .put("createdAt", Instant.now().toString());
        ArrayNode manifest = document.putArray("certificates");
        for (Credential credential : material.credentials()) {
            manifest.add(manifestEntry(credential.role(), credential.certificate(), true, credential.friendlyName()));
        }
        manifest.add(manifestEntry("TRUSTED_ROOT", material.ca(), false, null));
        document.putObject("signing").put("source", "IMPORTED_PKCS").put("encryptionSource", "IMPORTED_PKCS");
        document.putObject("pkcs12")
                .put("encoding", encoding.name)
                .put("password", PKCS12_PASSWORD)
                .put("data", Base64.getEncoder().encodeToString(pkcs12(material, encoding)));
        document.putArray("trustedCertificates").add(PemFiles.certificatePem(material.ca()));
        document.putObject("appConfig")
                .put("com.microsoft.outlook.Mail.SMIMEEnabled", true)
                .put("IntuneMAMUPN", EMAIL);
        return document;
    }

    /** Encrypts a document to the device key as certificate-service does and returns the DER envelope. */
    static byte[] envelope(ObjectNode document, PublicKey deviceKey) throws Exception {
        byte[] subjectPublicKey = SubjectPublicKeyInfo.getInstance(deviceKey.getEncoded()).getPublicKeyData().getOctets();
        byte[] subjectKeyIdentifier = MessageDigest.getInstance("SHA-1").digest(subjectPublicKey);
        AlgorithmIdentifier oaep = new JcaAlgorithmParametersConverter().getAlgorithmIdentifier(
                PKCSObjectIdentifiers.id_RSAES_OAEP,
                new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT));
        CMSEnvelopedDataGenerator generator = new CMSEnvelopedDataGenerator();
        generator.addRecipientInfoGenerator(
                new JceKeyTransRecipientInfoGenerator(subjectKeyIdentifier, oaep, deviceKey).setProvider(BOUNCY_CASTLE));
        OutputEncryptor contentEncryptor = new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_CBC)
                .setProvider(BOUNCY_CASTLE).build();
        return generator.generate(new CMSProcessableByteArray(EventJson.mapper().writeValueAsBytes(document)), contentEncryptor)
                .getEncoded();
    }

    /** Encrypts a document to an EC device key with ephemeral-static ECDH, as certificate-service does. */
    static byte[] ecEnvelope(ObjectNode document, PublicKey deviceKey, String curveName) throws Exception {
        byte[] subjectPublicKey = SubjectPublicKeyInfo.getInstance(deviceKey.getEncoded()).getPublicKeyData().getOctets();
        byte[] subjectKeyIdentifier = MessageDigest.getInstance("SHA-1").digest(subjectPublicKey);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", BOUNCY_CASTLE);
        generator.initialize(new ECGenParameterSpec(curveName));
        KeyPair ephemeral = generator.generateKeyPair();
        CMSEnvelopedDataGenerator envelope = new CMSEnvelopedDataGenerator();
        envelope.addRecipientInfoGenerator(new JceKeyAgreeRecipientInfoGenerator(CMSAlgorithm.ECDH_SHA256KDF,
                ephemeral.getPrivate(), ephemeral.getPublic(), CMSAlgorithm.AES256_WRAP)
                .setProvider(BOUNCY_CASTLE).addRecipient(subjectKeyIdentifier, deviceKey));
        OutputEncryptor contentEncryptor = new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_CBC)
                .setProvider(BOUNCY_CASTLE).build();
        return envelope.generate(new CMSProcessableByteArray(EventJson.mapper().writeValueAsBytes(document)), contentEncryptor)
                .getEncoded();
    }

    private static Credential userCredential(String role, int keyUsage, KeyPair caKeys, X500Name caName, long serial)
            throws Exception {
        KeyPair keys = rsaKeyPair();
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(caName, BigInteger.valueOf(serial),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(365))),
                new X500Name("CN=Mario Rossi " + role + ",E=" + EMAIL), keys.getPublic())
                .addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_emailProtection))
                .addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new GeneralName(GeneralName.rfc822Name, EMAIL)));
        return new Credential(role, keys, sign(builder, caKeys), role.toLowerCase() + "-" + serial);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuerKeys) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKeys.getPrivate())));
    }

    private static ObjectNode manifestEntry(String role, X509Certificate certificate, boolean inPkcs12, String friendlyName)
            throws Exception {
        ObjectNode entry = EventJson.mapper().createObjectNode()
                .put("role", role)
                .put("current", true)
                .put("thumbprintSha256", PackageOpener.thumbprint(certificate))
                .put("serialNumber", certificate.getSerialNumber().toString(16))
                .put("subject", certificate.getSubjectX500Principal().getName())
                .put("issuer", certificate.getIssuerX500Principal().getName())
                .put("notBefore", certificate.getNotBefore().toInstant().toString())
                .put("notAfter", certificate.getNotAfter().toInstant().toString())
                .put("inPkcs12", inPkcs12);
        if (friendlyName != null) {
            entry.put("friendlyName", friendlyName);
        }
        return entry;
    }

    /** Writes a PKCS#12 with a key bag and certificate bag per credential and the CA certificate. */
    private static byte[] pkcs12(Material material, Encoding encoding) throws Exception {
        char[] password = PKCS12_PASSWORD.toCharArray();
        JcePKCSPBEOutputEncryptorBuilder encryptorBuilder = encoding == Encoding.AES256
                ? new JcePKCSPBEOutputEncryptorBuilder(NISTObjectIdentifiers.id_aes256_CBC)
                        .setPRF(new AlgorithmIdentifier(PKCSObjectIdentifiers.id_hmacWithSHA256, DERNull.INSTANCE))
                : new JcePKCSPBEOutputEncryptorBuilder(PKCSObjectIdentifiers.pbeWithSHAAnd3_KeyTripleDES_CBC);
        encryptorBuilder.setProvider(BOUNCY_CASTLE).setIterationCount(2048);

        List<PKCS12SafeBag> certificateBags = new ArrayList<>();
        PKCS12PfxPduBuilder pfx = new PKCS12PfxPduBuilder();
        for (Credential credential : material.credentials()) {
            DEROctetString localKeyId = new DEROctetString(
                    MessageDigest.getInstance("SHA-1").digest(credential.certificate().getEncoded()));
            PKCS12SafeBagBuilder certificateBag = new JcaPKCS12SafeBagBuilder(credential.certificate());
            PKCS12SafeBagBuilder keyBag = new JcaPKCS12SafeBagBuilder(credential.keys().getPrivate(),
                    encryptorBuilder.build(password));
            for (PKCS12SafeBagBuilder bag : List.of(certificateBag, keyBag)) {
                bag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_friendlyName, new DERBMPString(credential.friendlyName()));
                bag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_localKeyId, localKeyId);
            }
            certificateBags.add(certificateBag.build());
            pfx.addData(keyBag.build());
        }
        certificateBags.add(new JcaPKCS12SafeBagBuilder(material.ca()).build());
        pfx.addEncryptedData(encryptorBuilder.build(password), certificateBags.toArray(PKCS12SafeBag[]::new));

        BcPKCS12MacCalculatorBuilder mac = encoding == Encoding.AES256
                ? new BcPKCS12MacCalculatorBuilder(new SHA256Digest(),
                        new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256, DERNull.INSTANCE))
                : new BcPKCS12MacCalculatorBuilder();
        return pfx.build(mac, password).getEncoded();
    }
}
