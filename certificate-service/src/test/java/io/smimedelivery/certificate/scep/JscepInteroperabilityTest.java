package io.smimedelivery.certificate.scep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jscep.client.Client;
import org.jscep.client.EnrollmentResponse;
import org.jscep.client.verification.OptimisticCertificateVerifier;
import org.jscep.transaction.FailInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smimedelivery.certificate.scep.ChallengeSpec.SubjectAltName;
import io.smimedelivery.events.SigningCertificateIssued;
import io.smimedelivery.events.Topics;
import io.smimedelivery.infra.InfrastructureTestResource;
import io.smimedelivery.infra.TopicTraffic;

/**
 * Enrolls with jscep 2.5.8, an SCEP client that this project did not write, against the real HTTP
 * endpoint, and checks the issued certificates with openssl.
 */
@QuarkusTest
@WithTestResource(value = InfrastructureTestResource.class,
        initArgs = @ResourceArg(name = InfrastructureTestResource.DATABASE_ARG, value = "certificate"))
@WithTestResource(ScepCaTestResource.class)
class JscepInteroperabilityTest {

    private static final String EMAIL_PROTECTION = "1.3.6.1.5.5.7.3.4";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static TopicTraffic traffic;

    @Inject
    ScepChallenges challenges;

    @Inject
    ScepStore store;

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @TempDir
    Path folder;

    @BeforeAll
    static void watch() {
        traffic = new TopicTraffic(Topics.CERTIFICATE_PACKAGES);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        traffic.close();
    }

    @Test
    void capabilitiesAndCaCertificate() throws Exception {
        Client client = client();
        var capabilities = client.getCaCapabilities();
        assertTrue(capabilities.isPostSupported(), "POSTPKIOperation");
        assertTrue(capabilities.getStrongestCipher().contains("AES"), capabilities.getStrongestCipher());
        assertTrue(capabilities.getStrongestMessageDigest().getAlgorithm().startsWith("SHA-512"),
                capabilities.getStrongestMessageDigest().getAlgorithm());
        Collection<? extends Certificate> certificates = client.getCaCertificate().getCertificates(null);
        assertEquals(List.of(ScepCaTestResource.caCertificate), List.copyOf(certificates));
    }

    @Test
    void enrollmentIssuesProfileCertificate() throws Exception {
        String deviceId = "dev-" + UUID.randomUUID();
        ChallengeSpec spec = spec(deviceId, "CN=Mario Rossi,E=mario.rossi@example.it", 2048);
        String challenge = challenges.create(spec, null);
        KeyPair keys = rsa(2048);

        EnrollmentResponse response = client().enrol(selfSigned(keys), keys.getPrivate(),
                csr(keys, spec.subject(), new DERPrintableString(challenge), "mario.rossi@example.it"));

        assertTrue(response.isSuccess(), "enrollment succeeded: " + (response.isFailure() ? response.getFailInfo() : "pending"));
        X509Certificate issued = issuedCertificate(response.getCertStore(), keys);
        issued.verify(ScepCaTestResource.caCertificate.getPublicKey());
        assertEquals(new X500Name(spec.subject()), X500Name.getInstance(issued.getSubjectX500Principal().getEncoded()));
        assertEquals(List.of(EMAIL_PROTECTION), issued.getExtendedKeyUsage());
        assertEquals("mario.rossi@example.it", issued.getSubjectAlternativeNames().iterator().next().get(1));
        assertTrue(issued.getKeyUsage()[0], "digitalSignature");
        assertTrue(issued.getSerialNumber().bitLength() >= 64, "serial " + issued.getSerialNumber().toString(16));

        Path caFile = write("ca.pem", ScepCaTestResource.caCertificate);
        Path certificateFile = write("issued.pem", issued);
        assertEquals(certificateFile + ": OK", openssl("verify", "-CAfile", caFile.toString(), certificateFile.toString()).strip());
        String text = openssl("x509", "-in", certificateFile.toString(), "-noout", "-text");
        assertTrue(text.contains("E-mail Protection"), text);
        assertTrue(text.contains("email:mario.rossi@example.it"), text);

        SigningCertificateIssued event = traffic.await(SigningCertificateIssued.class,
                e -> e.deviceId().equals(deviceId), 1, WAIT).get(0);
        assertEquals(issued.getSerialNumber().toString(16), event.serialNumber());
        assertEquals("pol-scep", event.policyId());
    }

    @Test
    void challengeEncodingsAreAccepted() throws Exception {
        assertEnrolls(DERUTF8String::new);
        assertEnrolls(DERBMPString::new);
    }

    @Test
    void renewalWithCurrentCertificate() throws Exception {
        ChallengeSpec base = spec("dev-" + UUID.randomUUID(), "CN=Paolo Conti,E=paolo.conti@example.it", 2048);
        ChallengeSpec spec = new ChallengeSpec(base.deviceId(), base.userId(), base.policyId(), base.policyVersion(),
                base.profileId(), base.subject(), base.subjectAltNames(), base.minKeySize(), base.keyUsages(),
                base.extendedKeyUsages(), base.validityMonths(), 100);
        KeyPair first = rsa(2048);
        EnrollmentResponse enrolled = client().enrol(selfSigned(first), first.getPrivate(),
                csr(first, spec.subject(), new DERPrintableString(challenges.create(spec, null)), "paolo.conti@example.it"));
        X509Certificate current = issuedCertificate(enrolled.getCertStore(), first);

        // jscep sends a RenewalReq when the CA advertises Renewal and the identity is not self-signed.
        KeyPair next = rsa(2048);
        EnrollmentResponse renewed = client().enrol(current, first.getPrivate(),
                csr(next, spec.subject(), new DERPrintableString("not-needed-for-renewal"), "paolo.conti@example.it"));

        assertTrue(renewed.isSuccess(), "renewal succeeded: " + (renewed.isFailure() ? renewed.getFailInfo() : "pending"));
        X509Certificate issued = issuedCertificate(renewed.getCertStore(), next);
        issued.verify(ScepCaTestResource.caCertificate.getPublicKey());
        assertTrue(!issued.getSerialNumber().equals(current.getSerialNumber()), "a new serial number");
        SigningCertificateIssued event = traffic.await(SigningCertificateIssued.class,
                e -> e.deviceId().equals(spec.deviceId()) && e.serialNumber().equals(issued.getSerialNumber().toString(16)),
                1, WAIT).get(0);
        assertEquals(spec.policyId(), event.policyId());
    }

    @Test
    void earlyRenewalIsRejected() throws Exception {
        ChallengeSpec spec = spec("dev-" + UUID.randomUUID(), "CN=Paolo Conti,E=paolo.conti@example.it", 2048);
        KeyPair first = rsa(2048);
        X509Certificate current = issuedCertificate(client().enrol(selfSigned(first), first.getPrivate(),
                csr(first, spec.subject(), new DERPrintableString(challenges.create(spec, null)), "paolo.conti@example.it"))
                .getCertStore(), first);

        KeyPair next = rsa(2048);
        EnrollmentResponse renewed = client().enrol(current, first.getPrivate(),
                csr(next, spec.subject(), new DERPrintableString("unused"), "paolo.conti@example.it"));

        assertTrue(renewed.isFailure(), "a 12-month certificate cannot renew on its first day with a 20 percent threshold");
        assertEquals(FailInfo.badRequest, renewed.getFailInfo());
    }

    @Test
    void reusedChallengeIsRejected() throws Exception {
        ChallengeSpec spec = spec("dev-" + UUID.randomUUID(), "CN=Giulia Bianchi,E=giulia.bianchi@example.it", 2048);
        String challenge = challenges.create(spec, null);
        KeyPair first = rsa(2048);
        assertTrue(client().enrol(selfSigned(first), first.getPrivate(),
                csr(first, spec.subject(), new DERPrintableString(challenge), "giulia.bianchi@example.it")).isSuccess());

        KeyPair second = rsa(2048);
        EnrollmentResponse again = client().enrol(selfSigned(second), second.getPrivate(),
                csr(second, spec.subject(), new DERPrintableString(challenge), "giulia.bianchi@example.it"));
        assertTrue(again.isFailure(), "a second enrollment with one challenge fails");
        assertEquals(FailInfo.badRequest, again.getFailInfo());
    }

    @Test
    void unknownChallengeIsRejected() throws Exception {
        KeyPair keys = rsa(2048);
        EnrollmentResponse response = client().enrol(selfSigned(keys), keys.getPrivate(),
                csr(keys, "CN=Anna Neri,E=anna.neri@example.it", new DERPrintableString("not-a-challenge"), "anna.neri@example.it"));
        assertTrue(response.isFailure());
        assertEquals(FailInfo.badRequest, response.getFailInfo());
    }

    @Test
    void expiredChallengeIsRejected() throws Exception {
        ChallengeSpec spec = spec("dev-" + UUID.randomUUID(), "CN=Luca Verdi,E=luca.verdi@example.it", 2048);
        String challenge = "expired" + UUID.randomUUID().toString().replace("-", "");
        store.insertChallenge(ScepEnrollment.sha256(challenge), spec, null, Duration.ofMinutes(60), Instant.now().minusSeconds(1));
        KeyPair keys = rsa(2048);
        EnrollmentResponse response = client().enrol(selfSigned(keys), keys.getPrivate(),
                csr(keys, spec.subject(), new DERPrintableString(challenge), "luca.verdi@example.it"));
        assertTrue(response.isFailure());
        assertEquals(FailInfo.badRequest, response.getFailInfo());
    }

    @Test
    void mismatchedRequestsAreRejected() throws Exception {
        ChallengeSpec spec = spec("dev-" + UUID.randomUUID(), "CN=Sara Galli,E=sara.galli@example.it", 2048);

        KeyPair keys = rsa(2048);
        EnrollmentResponse otherSubject = client().enrol(selfSigned(keys), keys.getPrivate(), csr(keys,
                "CN=Someone Else,E=sara.galli@example.it", new DERPrintableString(challenges.create(spec, null)), "sara.galli@example.it"));
        assertEquals(FailInfo.badRequest, otherSubject.getFailInfo(), "subject differs from the profile");

        EnrollmentResponse otherAddress = client().enrol(selfSigned(keys), keys.getPrivate(), csr(keys,
                spec.subject(), new DERPrintableString(challenges.create(spec, null)), "someone@example.it"));
        assertEquals(FailInfo.badRequest, otherAddress.getFailInfo(), "subject alternative name differs from the profile");

        KeyPair small = rsa(1024);
        EnrollmentResponse smallKey = client().enrol(selfSigned(small), small.getPrivate(), csr(small,
                spec.subject(), new DERPrintableString(challenges.create(spec, null)), "sara.galli@example.it"));
        assertEquals(FailInfo.badRequest, smallKey.getFailInfo(), "key smaller than the profile's");
    }

    private void assertEnrolls(java.util.function.Function<String, ASN1Encodable> encoding) throws Exception {
        ChallengeSpec spec = spec("dev-" + UUID.randomUUID(), "CN=Mario Rossi,E=mario.rossi@example.it", 2048);
        String challenge = challenges.create(spec, null);
        KeyPair keys = rsa(2048);
        EnrollmentResponse response = client().enrol(selfSigned(keys), keys.getPrivate(),
                csr(keys, spec.subject(), encoding.apply(challenge), "mario.rossi@example.it"));
        assertTrue(response.isSuccess(), encoding.apply("x").getClass().getSimpleName() + " challenge: "
                + (response.isFailure() ? response.getFailInfo() : "pending"));
    }

    private Client client() throws IOException {
        return new Client(new URL("http://127.0.0.1:" + port + "/scep"), new OptimisticCertificateVerifier());
    }

    private static ChallengeSpec spec(String deviceId, String subject, int minKeySize) {
        String email = subject.substring(subject.indexOf("E=") + 2);
        return new ChallengeSpec(deviceId, "usr-" + deviceId, "pol-scep", 1, "scep-profile-1", subject,
                List.of(new SubjectAltName("EMAIL", email)), minKeySize, List.of("DIGITAL_SIGNATURE"),
                List.of(EMAIL_PROTECTION), 12);
    }

    private static KeyPair rsa(int bits) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(bits);
        return generator.generateKeyPair();
    }

    private static X509Certificate selfSigned(KeyPair keys) throws Exception {
        return ScepTestClient.selfSigned(keys);
    }

    private static PKCS10CertificationRequest csr(KeyPair keys, String subject, ASN1Encodable challenge, String email)
            throws Exception {
        return ScepTestClient.csr(keys, subject, challenge, email);
    }

    private static X509Certificate issuedCertificate(CertStore store, KeyPair keys) throws Exception {
        List<X509Certificate> matching = new ArrayList<>();
        for (Certificate certificate : store.getCertificates(null)) {
            if (certificate.getPublicKey().equals(keys.getPublic())) {
                matching.add((X509Certificate) certificate);
            }
        }
        assertEquals(1, matching.size(), "one certificate for the requested key");
        return matching.get(0);
    }

    private Path write(String name, X509Certificate certificate) throws Exception {
        Path file = folder.resolve(name);
        Files.writeString(file, "-----BEGIN CERTIFICATE-----\n"
                + java.util.Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(certificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n", StandardCharsets.US_ASCII);
        return file;
    }

    private static String openssl(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "openssl finished");
        assertEquals(0, process.exitValue(), "openssl " + String.join(" ", arguments) + ": " + output);
        return output;
    }
}
