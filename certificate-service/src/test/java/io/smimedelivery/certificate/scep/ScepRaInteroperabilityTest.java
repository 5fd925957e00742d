package io.smimedelivery.certificate.scep;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.bouncycastle.asn1.DERPrintableString;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jscep.client.Client;
import org.jscep.client.EnrollmentResponse;
import org.jscep.client.verification.OptimisticCertificateVerifier;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smimedelivery.certificate.scep.ChallengeSpec.SubjectAltName;
import io.smimedelivery.infra.InfrastructureTestResource;

/** A SCEP CA with a registration authority: jscep encrypts to the RA, and the RA signs the CertRep. */
@QuarkusTest
@WithTestResource(value = InfrastructureTestResource.class,
        initArgs = @ResourceArg(name = InfrastructureTestResource.DATABASE_ARG, value = "certificate"))
@WithTestResource(ScepRaTestResource.class)
class ScepRaInteroperabilityTest {

    @Inject
    ScepChallenges challenges;

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Test
    void getCaCertReturnsRaAndCa() throws Exception {
        given().queryParam("operation", "GetCACert").get("/scep").then().statusCode(200)
                .contentType(ScepResource.CA_RA_CERT);
        Client client = new Client(new URL("http://127.0.0.1:" + port + "/scep"), new OptimisticCertificateVerifier());
        Set<Certificate> certificates = Set.copyOf(client.getCaCertificate().getCertificates(null));
        assertEquals(Set.of(ScepRaTestResource.caCertificate, ScepRaTestResource.raCertificate), certificates);
    }

    @Test
    void enrollmentThroughRa() throws Exception {
        String subject = "CN=Mario Rossi,E=mario.rossi@example.it";
        ChallengeSpec spec = new ChallengeSpec("dev-" + UUID.randomUUID(), "usr-ra", "pol-scep", 1, "scep-profile-1",
                subject, List.of(new SubjectAltName("EMAIL", "mario.rossi@example.it")), 2048, List.of("DIGITAL_SIGNATURE"),
                List.of("1.3.6.1.5.5.7.3.4"), 12);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        Client client = new Client(new URL("http://127.0.0.1:" + port + "/scep"), new OptimisticCertificateVerifier());

        EnrollmentResponse response = client.enrol(ScepTestClient.selfSigned(keys), keys.getPrivate(), ScepTestClient.csr(keys,
                subject, new DERPrintableString(challenges.create(spec, null)), "mario.rossi@example.it"));

        assertTrue(response.isSuccess(), "enrollment succeeded: " + (response.isFailure() ? response.getFailInfo() : "pending"));
        X509Certificate issued = null;
        for (Certificate certificate : response.getCertStore().getCertificates(null)) {
            if (certificate.getPublicKey().equals(keys.getPublic())) {
                issued = (X509Certificate) certificate;
            }
        }
        assertTrue(issued != null, "a certificate for the requested key");
        issued.verify(ScepRaTestResource.caCertificate.getPublicKey());
        assertEquals(ScepRaTestResource.caCertificate.getSubjectX500Principal(), issued.getIssuerX500Principal());
    }
}
