package io.smimedelivery.stack;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

import com.fasterxml.jackson.databind.JsonNode;

import io.smimedelivery.simulator.ScepCaCertificates;

/**
 * SCEP enrollments (RFC 8894 PKCSReq) against certificate-service's endpoint, many at once. The requests
 * are built before the measurement from the {@code scep} instructions of the devices' packages, so the
 * measured time is the server's: the CA decrypts and checks each request, consumes the one-time challenge,
 * issues the certificate and signs the CertRep.
 *
 * <p>A real device makes a new RSA key for each request. Key generation would take the measured cores,
 * so the requests share {@value #REQUEST_KEYS} RSA keys; the service does not check keys for reuse.
 */
final class ScepLoad {

    private static final int REQUEST_KEYS = 8;
    private static final ASN1ObjectIdentifier MESSAGE_TYPE = new ASN1ObjectIdentifier("2.16.840.1.113733.1.9.2");
    private static final ASN1ObjectIdentifier PKI_STATUS = new ASN1ObjectIdentifier("2.16.840.1.113733.1.9.3");
    private static final ASN1ObjectIdentifier SENDER_NONCE = new ASN1ObjectIdentifier("2.16.840.1.113733.1.9.5");
    private static final ASN1ObjectIdentifier TRANSACTION_ID = new ASN1ObjectIdentifier("2.16.840.1.113733.1.9.7");
    private static final String PKCS_REQ = "19";
    private static final BouncyCastleProvider BOUNCY_CASTLE = new BouncyCastleProvider();

    /** Result of one load run: enrollments per second and request latencies, sorted, in milliseconds. */
    record Result(int requests, int succeeded, double seconds, List<Long> latencyMillis) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<KeyPair> keys = new ArrayList<>();
    private final SecureRandom random = new SecureRandom();
    private X509Certificate recipient;

    ScepLoad() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        for (int i = 0; i < REQUEST_KEYS; i++) {
            keys.add(generator.generateKeyPair());
        }
    }

    /** Builds a PKCSReq from a package's {@code scep} instructions, with the next shared key. */
    byte[] prepare(JsonNode instructions, int index) throws Exception {
        if (recipient == null) {
            recipient = caCertificate(instructions.path("url").asText(), instructions.path("caCertificateSha256").asText());
        }
        KeyPair pair = keys.get(index % keys.size());
        ExtensionsGenerator extensions = new ExtensionsGenerator();
        List<GeneralName> names = new ArrayList<>();
        for (JsonNode name : instructions.path("subjectAlternativeNames")) {
            if ("EMAIL".equalsIgnoreCase(name.path("type").asText())) {
                names.add(new GeneralName(GeneralName.rfc822Name, name.path("value").asText()));
            }
        }
        if (!names.isEmpty()) {
            extensions.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
        }
        byte[] csr = new JcaPKCS10CertificationRequestBuilder(new X500Name(instructions.path("subject").asText()), pair.getPublic())
                .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_challengePassword,
                        new DERPrintableString(instructions.path("challenge").asText()))
                .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate())
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate())).getEncoded();

        CMSEnvelopedDataGenerator envelope = new CMSEnvelopedDataGenerator();
        envelope.addRecipientInfoGenerator(new JceKeyTransRecipientInfoGenerator(recipient).setProvider(BOUNCY_CASTLE));
        byte[] enveloped = envelope.generate(new CMSProcessableByteArray(csr),
                new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_CBC).setProvider(BOUNCY_CASTLE).build()).getEncoded();

        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        ASN1EncodableVector attributes = new ASN1EncodableVector();
        attributes.add(new Attribute(MESSAGE_TYPE, new DERSet(new DERPrintableString(PKCS_REQ))));
        attributes.add(new Attribute(TRANSACTION_ID, new DERSet(new DERPrintableString(UUID.randomUUID().toString()))));
        attributes.add(new Attribute(SENDER_NONCE, new DERSet(new DEROctetString(nonce))));
        X509Certificate self = selfSigned(pair);
        CMSSignedDataGenerator signed = new CMSSignedDataGenerator();
        signed.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(
                new JcaDigestCalculatorProviderBuilder().setProvider(BOUNCY_CASTLE).build())
                .setSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(new AttributeTable(attributes)))
                .build(new JcaContentSignerBuilder("SHA256withRSA").setProvider(BOUNCY_CASTLE).build(pair.getPrivate()), self));
        signed.addCertificates(new JcaCertStore(List.of(self)));
        return signed.generate(new CMSProcessableByteArray(enveloped), true).getEncoded();
    }

    /** Sends every request, {@code concurrency} at a time, and measures each until its CertRep arrived. */
    Result run(URI scepUrl, List<byte[]> requests, int concurrency) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicInteger succeeded = new AtomicInteger();
        URI operation = URI.create(scepUrl + "?operation=PKIOperation");
        long start = System.nanoTime();
        List<Future<?>> sent = new ArrayList<>();
        for (byte[] request : requests) {
            sent.add(pool.submit(() -> {
                long requestStart = System.nanoTime();
                HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(operation).timeout(Duration.ofSeconds(120))
                        .header("Content-Type", "application/x-pki-message")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(request)).build(), HttpResponse.BodyHandlers.ofByteArray());
                latencies.add((System.nanoTime() - requestStart) / 1_000_000);
                if (response.statusCode() == 200 && "0".equals(pkiStatus(response.body()))) {
                    succeeded.incrementAndGet();
                }
                return null;
            }));
        }
        for (Future<?> future : sent) {
            future.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        return new Result(requests.size(), succeeded.get(), seconds, sorted);
    }

    private static String pkiStatus(byte[] certRep) {
        try {
            SignerInformation signer = new CMSSignedData(certRep).getSignerInfos().getSigners().iterator().next();
            AttributeTable attributes = signer.getSignedAttributes();
            Attribute status = attributes.get(PKI_STATUS);
            return status == null ? "missing" : ((ASN1String) status.getAttrValues().getObjectAt(0)).getString();
        } catch (Exception e) {
            return "unreadable";
        }
    }

    /** Returns the certificate that requests are encrypted to: an RA's when GetCACert names one, else the CA's. */
    private X509Certificate caCertificate(String url, String caThumbprint) throws Exception {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(url + "?operation=GetCACert"))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException("SCEP GetCACert at " + url + " returned HTTP " + response.statusCode());
        }
        return ScepCaCertificates.read(response.body(), caThumbprint).recipient();
    }

    private static X509Certificate selfSigned(KeyPair pair) throws Exception {
        X500Name name = new X500Name("CN=SCEP benchmark request " + UUID.randomUUID());
        Instant now = Instant.now();
        return new JcaX509CertificateConverter().setProvider(BOUNCY_CASTLE).getCertificate(new JcaX509v3CertificateBuilder(name,
                BigInteger.ONE, Date.from(now.minusSeconds(60)), Date.from(now.plus(Duration.ofDays(1))), name, pair.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate())));
    }
}
