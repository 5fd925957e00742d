package io.smimedelivery.certificate.scep;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.IssuerAndSerialNumber;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
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
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataStreamGenerator;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.smimedelivery.certificate.scep.ChallengeSpec.SubjectAltName;
import io.smimedelivery.infra.InfrastructureTestResource;

/**
 * Sends pkiMessages built here with BouncyCastle, to cover what jscep does not send: PKIOperation by GET,
 * BER with indefinite lengths, single DES and AES-128 content encryption, CertPoll, GetCert, a bad
 * signature and malformed input.
 */
@QuarkusTest
@WithTestResource(value = InfrastructureTestResource.class,
        initArgs = @ResourceArg(name = InfrastructureTestResource.DATABASE_ARG, value = "certificate"))
@WithTestResource(ScepCaTestResource.class)
class ScepProtocolTest {

    private static final BouncyCastleProvider BOUNCY_CASTLE = new BouncyCastleProvider();
    private static final String SUBJECT = "CN=Mario Rossi,E=mario.rossi@example.it";

    @Inject
    ScepChallenges challenges;

    /** A request, the key that signed it and the transaction id, to read the CertRep with. */
    record Sent(byte[] message, KeyPair keys, X509Certificate signer, String transactionId) {
    }

    @Test
    void capabilitiesListAesAndSha256() {
        given().queryParam("operation", "GetCACaps").get("/scep").then().statusCode(200)
                .body(equalTo("AES\nSHA-256\nSHA-512\nPOSTPKIOperation\nRenewal\nSCEPStandard\n"));
    }

    @Test
    void getWithBerMessageAndAes128() throws Exception {
        Sent sent = pkcsReq(challenges.create(spec(), null), NISTObjectIdentifiers.id_aes128_CBC, true, null);
        String base64 = Base64.getEncoder().encodeToString(sent.message());

        Response response = given().urlEncodingEnabled(false)
                .get("/scep?operation=PKIOperation&message=" + URLEncoder.encode(base64, StandardCharsets.US_ASCII));

        assertEquals(200, response.statusCode(), response.asString());
        assertEquals(ScepResource.PKI_MESSAGE, response.contentType());
        CertRep rep = read(response.asByteArray(), sent);
        assertEquals("0", rep.status(), "SUCCESS");
        assertEquals(NISTObjectIdentifiers.id_aes128_CBC, rep.contentEncryption(), "the client's content encryption");
        assertEquals(NISTObjectIdentifiers.id_sha256, rep.digest(), "SHA-256 signature");
        assertNotNull(rep.certificate());
    }

    @Test
    void singleDesRequestGetsTripleDesResponse() throws Exception {
        Sent sent = pkcsReq(challenges.create(spec(), null), OIWObjectIdentifiers.desCBC, false, null);
        CertRep rep = read(post(sent.message()).asByteArray(), sent);
        assertEquals("0", rep.status());
        assertEquals(PKCSObjectIdentifiers.des_EDE3_CBC, rep.contentEncryption());
    }

    @Test
    void certPollAndGetCertReturnTheCertificate() throws Exception {
        Sent sent = pkcsReq(challenges.create(spec(), null), NISTObjectIdentifiers.id_aes256_CBC, false, null);
        X509Certificate issued = read(post(sent.message()).asByteArray(), sent).certificate();

        org.bouncycastle.asn1.DERSequence issuerAndSubject = new org.bouncycastle.asn1.DERSequence(
                new org.bouncycastle.asn1.ASN1Encodable[] { new X500Name(ScepCaTestResource.CA_SUBJECT), new X500Name(SUBJECT) });
        Sent poll = message(ScepMessageType.CERT_POLL, issuerAndSubject.getEncoded(), sent.keys(), sent.signer(),
                sent.transactionId(), NISTObjectIdentifiers.id_aes256_CBC, false, null);
        assertEquals(issued, read(post(poll.message()).asByteArray(), poll).certificate(), "CertPoll");

        byte[] issuerAndSerial = new IssuerAndSerialNumber(new X500Name(ScepCaTestResource.CA_SUBJECT),
                issued.getSerialNumber()).getEncoded();
        Sent getCert = message(ScepMessageType.GET_CERT, issuerAndSerial, sent.keys(), sent.signer(),
                UUID.randomUUID().toString(), NISTObjectIdentifiers.id_aes256_CBC, false, null);
        assertEquals(issued, read(post(getCert.message()).asByteArray(), getCert).certificate(), "GetCert");

        byte[] unknownSerial = new IssuerAndSerialNumber(new X500Name(ScepCaTestResource.CA_SUBJECT), BigInteger.TEN).getEncoded();
        Sent missing = message(ScepMessageType.GET_CERT, unknownSerial, sent.keys(), sent.signer(),
                UUID.randomUUID().toString(), NISTObjectIdentifiers.id_aes256_CBC, false, null);
        CertRep failure = read(post(missing.message()).asByteArray(), missing);
        assertEquals("2", failure.status(), "FAILURE");
        assertEquals("4", failure.failInfo(), "badCertId");
    }

    @Test
    void renewalReqWithCurrentCertificate() throws Exception {
        ChallengeSpec base = spec();
        ChallengeSpec spec = new ChallengeSpec(base.deviceId(), base.userId(), base.policyId(), base.policyVersion(),
                base.profileId(), base.subject(), base.subjectAltNames(), base.minKeySize(), base.keyUsages(),
                base.extendedKeyUsages(), base.validityMonths(), 100);
        Sent sent = pkcsReq(challenges.create(spec, null), NISTObjectIdentifiers.id_aes256_CBC, false, null);
        X509Certificate current = read(post(sent.message()).asByteArray(), sent).certificate();

        // A RenewalReq (messageType 17) signed with the current certificate and key, for a new key.
        KeyPair next = rsa();
        byte[] csr = new JcaPKCS10CertificationRequestBuilder(new X500Name(SUBJECT), next.getPublic())
                .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, sanExtension())
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(next.getPrivate())).getEncoded();
        Sent renewal = message(ScepMessageType.RENEWAL_REQ, csr, sent.keys(), current, UUID.randomUUID().toString(),
                NISTObjectIdentifiers.id_aes256_CBC, false, null);
        CertRep rep = read(post(renewal.message()).asByteArray(), renewal, next);

        assertEquals("0", rep.status(), "SUCCESS");
        assertNotNull(rep.certificate(), "a certificate for the new key");
        rep.certificate().verify(ScepCaTestResource.caCertificate().getPublicKey());
    }

    @Test
    void wrongSignatureGetsBadMessageCheck() throws Exception {
        KeyPair other = rsa();
        Sent sent = pkcsReq(challenges.create(spec(), null), NISTObjectIdentifiers.id_aes256_CBC, false, other.getPrivate());
        CertRep rep = read(post(sent.message()).asByteArray(), sent);
        assertEquals("2", rep.status());
        assertEquals("1", rep.failInfo(), "badMessageCheck");
    }

    @Test
    void malformedInputGetsProblemDetails() {
        given().contentType("application/x-pki-message").body(new byte[] { 1, 2, 3 })
                .post("/scep?operation=PKIOperation").then().statusCode(400)
                .body("errors[0].field", equalTo("message"));
        given().queryParam("operation", "PKIOperation").queryParam("message", "***").get("/scep").then().statusCode(400)
                .body("errors[0].field", equalTo("message"));
        given().queryParam("operation", "PKIOperation").get("/scep").then().statusCode(400)
                .body("errors[0].field", equalTo("message"));
        // NOTE: a request line with a malformed percent escape (message=%zz) is rejected by the HTTP server
        // before it reaches the resource, with 400 and an empty body instead of a problem document.
        assertTrue(rawGet("/scep?operation=PKIOperation&message=%zz").startsWith("HTTP/1.1 400"), "400, never 500");
        given().queryParam("operation", "GetEverything").get("/scep").then().statusCode(400)
                .body("errors[0].field", equalTo("operation")).body("errors[0].value", equalTo("GetEverything"));
        given().contentType("application/x-pki-message").body(new byte[] { 1 }).post("/scep?operation=GetCACaps")
                .then().statusCode(400).body("errors[0].field", equalTo("operation"));
    }

    /** Sends a request line that HTTP clients refuse to build, such as one with a malformed percent escape. */
    private static String rawGet(String target) {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", io.restassured.RestAssured.port)) {
            socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Sending " + target + " failed", e);
        }
    }

    private static Response post(byte[] message) {
        return given().contentType("application/x-pki-message").body(message).post("/scep?operation=PKIOperation");
    }

    private static ChallengeSpec spec() {
        return new ChallengeSpec("dev-" + UUID.randomUUID(), "usr-1", "pol-scep", 1, "scep-profile-1", SUBJECT,
                List.of(new SubjectAltName("EMAIL", "mario.rossi@example.it")), 2048, List.of("DIGITAL_SIGNATURE"),
                List.of("1.3.6.1.5.5.7.3.4"), 12);
    }

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private static Sent pkcsReq(String challenge, ASN1ObjectIdentifier encryption, boolean ber, PrivateKey signWith)
            throws Exception {
        KeyPair keys = rsa();
        X500Name self = new X500Name("CN=client " + UUID.randomUUID());
        Instant now = Instant.now();
        X509Certificate signer = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(self,
                BigInteger.ONE, Date.from(now.minusSeconds(60)), Date.from(now.plus(Duration.ofDays(1))), self, keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
        ExtensionsGenerator extensions = new ExtensionsGenerator();
        extensions.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.rfc822Name, "mario.rossi@example.it")));
        byte[] csr = new JcaPKCS10CertificationRequestBuilder(new X500Name(SUBJECT), keys.getPublic())
                .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_challengePassword, new DERPrintableString(challenge))
                .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate())
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())).getEncoded();
        return message(ScepMessageType.PKCS_REQ, csr, keys, signer, UUID.randomUUID().toString(), encryption, ber, signWith);
    }

    /** Builds a pkiMessage; the signed data is written BER with indefinite lengths when {@code ber} is set. */
    private static Sent message(ScepMessageType type, byte[] content, KeyPair keys, X509Certificate signer,
            String transactionId, ASN1ObjectIdentifier encryption, boolean ber, PrivateKey signWith) throws Exception {
        CMSEnvelopedDataGenerator envelope = new CMSEnvelopedDataGenerator();
        envelope.addRecipientInfoGenerator(new JceKeyTransRecipientInfoGenerator(ScepCaTestResource.caCertificate)
                .setProvider(BOUNCY_CASTLE));
        byte[] enveloped = envelope.generate(new CMSProcessableByteArray(content),
                new JceCMSContentEncryptorBuilder(encryption).setProvider(BOUNCY_CASTLE).build()).getEncoded();

        byte[] nonce = new byte[16];
        new SecureRandom().nextBytes(nonce);
        ASN1EncodableVector attributes = new ASN1EncodableVector();
        attributes.add(new Attribute(PkiMessageCodec.MESSAGE_TYPE, new DERSet(new DERPrintableString(type.code()))));
        attributes.add(new Attribute(PkiMessageCodec.TRANSACTION_ID, new DERSet(new DERPrintableString(transactionId))));
        attributes.add(new Attribute(PkiMessageCodec.SENDER_NONCE, new DERSet(new DEROctetString(nonce))));
        CMSSignedDataStreamGenerator generator = new CMSSignedDataStreamGenerator();
        generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(
                new JcaDigestCalculatorProviderBuilder().setProvider(BOUNCY_CASTLE).build())
                .setSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(new AttributeTable(attributes)))
                .build(new JcaContentSignerBuilder("SHA256withRSA").setProvider(BOUNCY_CASTLE)
                        .build(signWith == null ? keys.getPrivate() : signWith), signer));
        generator.addCertificates(new JcaCertStore(List.of(signer)));
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (OutputStream out = generator.open(buffer, true)) {
            out.write(enveloped);
        }
        byte[] message = buffer.toByteArray();
        if (!ber) {
            message = new CMSSignedData(message).getEncoded("DER");
        } else {
            assertEquals((byte) 0x80, message[1], "the stream generator writes an indefinite length");
        }
        return new Sent(message, keys, signer, transactionId);
    }

    record CertRep(String status, String failInfo, ASN1ObjectIdentifier digest, ASN1ObjectIdentifier contentEncryption,
            X509Certificate certificate) {
    }

    private static org.bouncycastle.asn1.x509.Extensions sanExtension() throws Exception {
        ExtensionsGenerator extensions = new ExtensionsGenerator();
        extensions.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.rfc822Name, "mario.rossi@example.it")));
        return extensions.generate();
    }

    private static CertRep read(byte[] body, Sent sent) throws Exception {
        return read(body, sent, sent.keys());
    }

    /**
     * Reads a CertRep: checks the CA signature and the nonce, decrypts the certificates with the signer's
     * key and returns the certificate for {@code requested}.
     */
    private static CertRep read(byte[] body, Sent sent, KeyPair requested) throws Exception {
        CMSSignedData signed = new CMSSignedData(body);
        SignerInformation signer = signed.getSignerInfos().getSigners().iterator().next();
        assertTrue(signer.verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider(BOUNCY_CASTLE)
                .build(ScepCaTestResource.caCertificate)), "CertRep signed by the CA");
        AttributeTable attributes = signer.getSignedAttributes();
        assertEquals("3", text(attributes, PkiMessageCodec.MESSAGE_TYPE), "CertRep");
        assertEquals(sent.transactionId(), text(attributes, PkiMessageCodec.TRANSACTION_ID));
        String status = text(attributes, PkiMessageCodec.PKI_STATUS);
        String failInfo = attributes.get(PkiMessageCodec.FAIL_INFO) == null ? null : text(attributes, PkiMessageCodec.FAIL_INFO);
        if (!"0".equals(status)) {
            return new CertRep(status, failInfo, signer.getDigestAlgOID() == null ? null
                    : new ASN1ObjectIdentifier(signer.getDigestAlgOID()), null, null);
        }
        CMSEnvelopedData envelope = new CMSEnvelopedData((byte[]) signed.getSignedContent().getContent());
        byte[] certsOnly = envelope.getRecipientInfos().getRecipients().iterator().next()
                .getContent(new JceKeyTransEnvelopedRecipient(sent.keys().getPrivate()).setProvider(BOUNCY_CASTLE));
        X509Certificate issued = null;
        for (X509CertificateHolder holder : new CMSSignedData(certsOnly).getCertificates().getMatches(null)) {
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(holder);
            if (certificate.getPublicKey().equals(requested.getPublic())) {
                issued = certificate;
            }
        }
        return new CertRep(status, failInfo, new ASN1ObjectIdentifier(signer.getDigestAlgOID()),
                envelope.getContentEncryptionAlgorithm().getAlgorithm(), issued);
    }

    private static String text(AttributeTable attributes, ASN1ObjectIdentifier type) {
        return ((ASN1String) attributes.get(type).getAttrValues().getObjectAt(0)).getString();
    }
}
