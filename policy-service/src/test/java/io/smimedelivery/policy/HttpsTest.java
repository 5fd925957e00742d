package io.smimedelivery.policy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObjectGenerator;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.config.RestAssuredConfig;
import io.restassured.config.SSLConfig;
import io.smimedelivery.infra.InfrastructureTestResource;

/**
 * Starts policy-service with a PEM key and self-signed certificate made at test start, given through
 * the same SMIME_TLS_* expressions that service-common maps to quarkus.http.ssl.*, with plain HTTP set
 * to redirect.
 */
@QuarkusTest
@TestProfile(HttpsTest.TlsProfile.class)
@WithTestResource(value = InfrastructureTestResource.class,
        initArgs = @ResourceArg(name = InfrastructureTestResource.DATABASE_ARG, value = "https"))
class HttpsTest {

    /**
     * Writes key.pem and cert.pem into a temporary folder and points the TLS settings at them. The HTTPS
     * port is a free port found here, because with test-ssl-port 0 Quarkus 3.33 writes port -2 into the
     * redirect's Location.
     */
    public static class TlsProfile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Path folder = TlsFiles.write();
            return Map.of("SMIME_TLS_CERT_FILE", folder.resolve("cert.pem").toString(),
                    "SMIME_TLS_KEY_FILE", folder.resolve("key.pem").toString(),
                    "SMIME_TLS_INSECURE_REQUESTS", "redirect",
                    "quarkus.http.test-ssl-port", Integer.toString(freePort()));
        }

        private static int freePort() {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @TestHTTPResource(value = "/api/policies", tls = true)
    URL httpsPolicies;

    @TestHTTPResource("/api/policies")
    URL httpPolicies;

    @Test
    void httpsServesApi() throws Exception {
        given().config(trusting(TlsFiles.certificate()))
                .when().get(httpsPolicies)
                .then().statusCode(200)
                .contentType("application/json");
    }

    @Test
    void httpsServesProblemDocuments() throws Exception {
        given().config(trusting(TlsFiles.certificate()))
                .when().get(httpsPolicies.toString().replace("/api/policies", "/api/no-such-resource"))
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404));
    }

    @Test
    void plainHttpRedirectsToHttps() {
        String expected = "https://" + httpsPolicies.getHost() + ":" + httpsPolicies.getPort() + "/api/policies";

        given().redirects().follow(false)
                .when().get(httpPolicies)
                .then().statusCode(301)
                .header("Location", startsWith(expected));
    }

    private static RestAssuredConfig trusting(X509Certificate certificate) throws GeneralSecurityException, IOException {
        KeyStore trustStore = KeyStore.getInstance("PKCS12");
        trustStore.load(null, null);
        trustStore.setCertificateEntry("policy-service", certificate);
        return RestAssuredConfig.config().sslConfig(SSLConfig.sslConfig().trustStore(trustStore));
    }

    /** A P-256 key and a self-signed certificate for localhost and 127.0.0.1, made once per test run. */
    static final class TlsFiles {

        private static Path folder;

        private TlsFiles() {
        }

        static synchronized Path write() {
            if (folder != null) {
                return folder;
            }
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(256);
                KeyPair keys = generator.generateKeyPair();
                X500Name name = new X500Name("CN=localhost");
                Instant now = Instant.now();
                GeneralNames names = new GeneralNames(new GeneralName[] {
                        new GeneralName(GeneralName.dNSName, "localhost"),
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1") });
                X509CertificateHolder certificate = new JcaX509v3CertificateBuilder(name,
                        BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(Duration.ofMinutes(5))),
                        Date.from(now.plus(Duration.ofDays(1))), name, keys.getPublic())
                        .addExtension(Extension.subjectAlternativeName, false, names)
                        .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
                Path created = Files.createTempDirectory("policy-service-tls");
                Files.writeString(created.resolve("cert.pem"), pem(certificate));
                // PKCS#8 (BEGIN PRIVATE KEY), the form that openssl genpkey writes.
                Files.writeString(created.resolve("key.pem"), pem(new JcaPKCS8Generator(keys.getPrivate(), null)));
                created.toFile().deleteOnExit();
                created.resolve("cert.pem").toFile().deleteOnExit();
                created.resolve("key.pem").toFile().deleteOnExit();
                folder = created;
                return folder;
            } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
                throw new IllegalStateException("Generating the test TLS key and certificate failed", e);
            }
        }

        static X509Certificate certificate() throws IOException, GeneralSecurityException {
            try (var input = Files.newInputStream(write().resolve("cert.pem"))) {
                return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(input);
            }
        }

        private static String pem(X509CertificateHolder certificate) {
            StringWriter text = new StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
                writer.writeObject(certificate);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return text.toString();
        }

        private static String pem(PemObjectGenerator key) {
            StringWriter text = new StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
                writer.writeObject(key);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return text.toString();
        }
    }
}
