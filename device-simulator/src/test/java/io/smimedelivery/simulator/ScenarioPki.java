package io.smimedelivery.simulator;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS12PfxPduBuilder;
import org.bouncycastle.pkcs.PKCS12SafeBag;
import org.bouncycastle.pkcs.PKCS12SafeBagBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.bc.BcPKCS12MacCalculatorBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS12SafeBagBuilder;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEOutputEncryptorBuilder;

import io.smimedelivery.simulator.ScenarioInput.Age;
import io.smimedelivery.simulator.ScenarioInput.Purpose;

/**
 * A test PKI made with BouncyCastle: a root CA, an issuing CA and users' S/MIME certificates in PKCS#12
 * files, independent of the openssl-made PKI of the {@code scenario} command.
 */
final class ScenarioPki {

    /** PKCS#12 encodings: 3DES bags with an HMAC-SHA1 MAC, or PBES2 AES-256-CBC with an HMAC-SHA256 MAC. */
    enum Encoding { LEGACY_3DES, AES256 }

    record Credential(KeyPair keys, X509Certificate certificate) {
    }

    record UserCertificate(String email, Purpose purpose, Age age, Encoding encoding, Credential credential, String fileName) {
    }

    static final String PROVIDER = BouncyCastleProvider.PROVIDER_NAME;
    private static final int RSA_BITS = 2048;
    private static final int PKCS12_ITERATIONS = 2048;
    private static final String SIGNATURE_ALGORITHM = "SHA256withRSA";

    private final SecureRandom random = new SecureRandom();
    private final Instant now;
    private final Credential root;
    private final Credential issuing;

    ScenarioPki(Instant now) {
        this.now = now;
        ensureProvider();
        KeyPair rootKeys = newRsaKeyPair();
        X500Name rootName = new X500Name("CN=Scenario Root CA,O=S/MIME Delivery Scenario,C=IT");
        this.root = new Credential(rootKeys, sign(rootName, rootName, rootKeys, rootKeys, now.minus(Duration.ofDays(3650)),
                now.plus(Duration.ofDays(3650)), caExtensions(null)));
        KeyPair issuingKeys = newRsaKeyPair();
        X500Name issuingName = new X500Name("CN=Scenario Issuing CA,O=S/MIME Delivery Scenario,C=IT");
        this.issuing = new Credential(issuingKeys, sign(issuingName, rootName, issuingKeys, rootKeys,
                now.minus(Duration.ofDays(1825)), now.plus(Duration.ofDays(1825)), caExtensions(0)));
    }

    static void ensureProvider() {
        if (java.security.Security.getProvider(PROVIDER) == null) {
            java.security.Security.addProvider(new BouncyCastleProvider());
        }
    }

    X509Certificate rootCertificate() {
        return root.certificate();
    }

    X509Certificate issuingCertificate() {
        return issuing.certificate();
    }

    /**
     * Issues an end-entity certificate for the address. An expired certificate ended 10 days ago. A
     * superseded one started 300 days ago and ends in 1 year, a current one started 2 days ago and ends in 2 years.
     */
    UserCertificate issue(String email, String displayName, Purpose purpose, Age age, Encoding encoding) {
        Instant notBefore = switch (age) {
            case EXPIRED -> now.minus(Duration.ofDays(740));
            case SUPERSEDED -> now.minus(Duration.ofDays(300));
            case CURRENT -> now.minus(Duration.ofDays(2));
            case RENEWAL -> now.minus(Duration.ofHours(1));
        };
        Instant notAfter = switch (age) {
            case EXPIRED -> now.minus(Duration.ofDays(10));
            case SUPERSEDED -> now.plus(Duration.ofDays(365));
            case CURRENT -> now.plus(Duration.ofDays(730));
            case RENEWAL -> now.plus(Duration.ofDays(1095));
        };
        int keyUsage = switch (purpose) {
            case ENCRYPTION -> KeyUsage.keyEncipherment;
            case SIGNING -> KeyUsage.digitalSignature | KeyUsage.nonRepudiation;
            case DUAL -> KeyUsage.digitalSignature | KeyUsage.keyEncipherment;
        };
        KeyPair keys = newRsaKeyPair();
        X500Name subject = new X500Name("CN=" + displayName + ",E=" + email + ",O=Example,C=IT");
        List<Extension> extensions = new ArrayList<>();
        extensions.add(new Extension(Extension.basicConstraints, true, encoded(new BasicConstraints(false))));
        extensions.add(new Extension(Extension.keyUsage, true, encoded(new KeyUsage(keyUsage))));
        extensions.add(new Extension(Extension.extendedKeyUsage, false,
                encoded(new ExtendedKeyUsage(KeyPurposeId.id_kp_emailProtection))));
        extensions.add(new Extension(Extension.subjectAlternativeName, false,
                encoded(new GeneralNames(new GeneralName(GeneralName.rfc822Name, email)))));
        X509Certificate certificate = sign(subject, X500Name.getInstance(issuing.certificate().getSubjectX500Principal().getEncoded()),
                keys, issuing.keys(), notBefore, notAfter, extensions);
        String fileName = email.substring(0, email.indexOf('@')) + "-" + purpose.name().toLowerCase() + "-"
                + age.name().toLowerCase() + ".p12";
        return new UserCertificate(email, purpose, age, encoding, new Credential(keys, certificate), fileName);
    }

    /** Writes a PKCS#12 with the key, its certificate and the issuing CA certificate. */
    byte[] pkcs12(UserCertificate user, char[] password) {
        try {
            JcePKCSPBEOutputEncryptorBuilder encryptor = user.encoding() == Encoding.AES256
                    ? new JcePKCSPBEOutputEncryptorBuilder(NISTObjectIdentifiers.id_aes256_CBC)
                            .setPRF(new AlgorithmIdentifier(PKCSObjectIdentifiers.id_hmacWithSHA256, DERNull.INSTANCE))
                    : new JcePKCSPBEOutputEncryptorBuilder(PKCSObjectIdentifiers.pbeWithSHAAnd3_KeyTripleDES_CBC);
            encryptor.setProvider(PROVIDER).setIterationCount(PKCS12_ITERATIONS);

            Credential credential = user.credential();
            DEROctetString localKeyId = new DEROctetString(
                    MessageDigest.getInstance("SHA-1").digest(credential.certificate().getEncoded()));
            DERBMPString friendlyName = new DERBMPString(user.email() + " " + user.purpose().name().toLowerCase());
            PKCS12SafeBagBuilder certificateBag = new JcaPKCS12SafeBagBuilder(credential.certificate());
            PKCS12SafeBagBuilder keyBag = new JcaPKCS12SafeBagBuilder(credential.keys().getPrivate(), encryptor.build(password));
            for (PKCS12SafeBagBuilder bag : List.of(certificateBag, keyBag)) {
                bag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_friendlyName, friendlyName);
                bag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_localKeyId, localKeyId);
            }
            PKCS12PfxPduBuilder pfx = new PKCS12PfxPduBuilder();
            pfx.addData(keyBag.build());
            pfx.addEncryptedData(encryptor.build(password), new PKCS12SafeBag[] {
                    certificateBag.build(), new JcaPKCS12SafeBagBuilder(issuing.certificate()).build() });

            BcPKCS12MacCalculatorBuilder mac = user.encoding() == Encoding.AES256
                    ? new BcPKCS12MacCalculatorBuilder(new SHA256Digest(),
                            new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256, DERNull.INSTANCE))
                    : new BcPKCS12MacCalculatorBuilder();
            return pfx.build(mac, password).getEncoded();
        } catch (GeneralSecurityException | OperatorCreationException | PKCSException | IOException e) {
            throw new IllegalStateException("Writing the PKCS#12 of " + user.fileName() + " failed", e);
        }
    }

    /** Writes the root and issuing CA certificates as PEM files into the folder. */
    void writeCaCertificates(Path folder) throws IOException {
        PemFiles.writeOwnerOnly(folder.resolve("root-ca.pem"), PemFiles.certificatePem(root.certificate()));
        PemFiles.writeOwnerOnly(folder.resolve("issuing-ca.pem"), PemFiles.certificatePem(issuing.certificate()));
    }

    private List<Extension> caExtensions(Integer pathLength) {
        BasicConstraints constraints = pathLength == null ? new BasicConstraints(true) : new BasicConstraints(pathLength);
        return List.of(new Extension(Extension.basicConstraints, true, encoded(constraints)),
                new Extension(Extension.keyUsage, true, encoded(new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))));
    }

    private X509Certificate sign(X500Name subject, X500Name issuer, KeyPair subjectKeys, KeyPair issuerKeys,
            Instant notBefore, Instant notAfter, List<Extension> extensions) {
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, random).add(BigInteger.ONE),
                    Date.from(notBefore), Date.from(notAfter), subject, subjectKeys.getPublic());
            for (Extension extension : extensions) {
                builder.addExtension(extension);
            }
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(subjectKeys.getPublic()));
            builder.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(issuerKeys.getPublic()));
            return new JcaX509CertificateConverter().setProvider(PROVIDER).getCertificate(
                    builder.build(new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).setProvider(PROVIDER).build(issuerKeys.getPrivate())));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("Issuing the certificate for " + subject + " failed", e);
        }
    }

    private static byte[] encoded(org.bouncycastle.asn1.ASN1Object value) {
        try {
            return value.getEncoded();
        } catch (IOException e) {
            throw new IllegalStateException("Encoding " + value.getClass().getSimpleName() + " failed", e);
        }
    }

    private KeyPair newRsaKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(RSA_BITS, random);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Generating an RSA key failed", e);
        }
    }
}
