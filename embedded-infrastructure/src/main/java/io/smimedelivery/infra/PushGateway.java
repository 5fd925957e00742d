package io.smimedelivery.infra;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PfxOptions;

/**
 * APNs-like gateway for tests: an HTTP/2 server over TLS on 127.0.0.1 with a self-signed certificate for
 * that address. It records every request and responds with the current {@link Responder}.
 */
public final class PushGateway implements AutoCloseable {

    public static final String TRUST_STORE_PASSWORD = "test-trust";
    private static final char[] KEY_STORE_PASSWORD = "test-gateway".toCharArray();

    /** A request as the gateway received it. Header names are lower case. */
    public record RecordedRequest(String method, String path, HttpVersion version, Map<String, String> headers, String body) {
    }

    /** Responds to a request whose body has been read, or leaves it without a response. */
    @FunctionalInterface
    public interface Responder {
        void respond(HttpServerRequest request);
    }

    private final Vertx vertx;
    private final HttpServer server;
    private final Path trustStore;
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private volatile Responder responder = PushGateway::accept;

    private PushGateway(Vertx vertx, HttpServer server, Path trustStore) {
        this.vertx = vertx;
        this.server = server;
        this.trustStore = trustStore;
    }

    /** Starts the gateway on a free port and writes a PKCS#12 trust store with its certificate to directory. */
    public static PushGateway start(Path directory) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keyPair = generator.generateKeyPair();
        X509Certificate certificate = selfSignedCertificate(keyPair);

        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(null, null);
        keyStore.setKeyEntry("gateway", keyPair.getPrivate(), KEY_STORE_PASSWORD, new Certificate[] { certificate });
        ByteArrayOutputStream keyStoreBytes = new ByteArrayOutputStream();
        keyStore.store(keyStoreBytes, KEY_STORE_PASSWORD);

        Path trustStore = directory.resolve("gateway-trust.p12");
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("gateway", certificate);
        try (OutputStream out = Files.newOutputStream(trustStore)) {
            trusted.store(out, TRUST_STORE_PASSWORD.toCharArray());
        }

        HttpServerOptions options = new HttpServerOptions()
                .setHost("127.0.0.1")
                .setPort(0)
                .setSsl(true)
                .setUseAlpn(true)
                .setAlpnVersions(List.of(HttpVersion.HTTP_2))
                .setKeyCertOptions(new PfxOptions()
                        .setValue(Buffer.buffer(keyStoreBytes.toByteArray()))
                        .setPassword(new String(KEY_STORE_PASSWORD)));
        Vertx vertx = Vertx.vertx();
        HttpServer server = vertx.createHttpServer(options);
        PushGateway gateway = new PushGateway(vertx, server, trustStore);
        server.requestHandler(gateway::handle);
        server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return gateway;
    }

    /** Responds with 200 and the request's apns-id, as APNs does for an accepted push. */
    public static void accept(HttpServerRequest request) {
        request.response()
                .setStatusCode(200)
                .putHeader("apns-id", request.getHeader("apns-id"))
                .end();
    }

    /** Returns a responder that sends the given status, body and extra headers. */
    public static Responder reject(int status, String body, Map<String, String> headers) {
        return request -> {
            request.response().setStatusCode(status).putHeader("apns-id", request.getHeader("apns-id"));
            headers.forEach(request.response()::putHeader);
            request.response().end(body);
        };
    }

    public String url() {
        return "https://127.0.0.1:" + server.actualPort();
    }

    public Path trustStore() {
        return trustStore;
    }

    public void respondWith(Responder responder) {
        this.responder = responder;
    }

    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** Forgets recorded requests and responds to later requests with 200 again. */
    public void reset() {
        requests.clear();
        responder = PushGateway::accept;
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private void handle(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            Map<String, String> headers = new TreeMap<>();
            request.headers().forEach(entry -> headers.put(entry.getKey().toLowerCase(Locale.ROOT), entry.getValue()));
            requests.add(new RecordedRequest(request.method().name(), request.path(), request.version(), headers,
                    body.toString()));
            responder.respond(request);
        });
    }

    private static X509Certificate selfSignedCertificate(KeyPair keyPair) throws Exception {
        X500Name name = new X500Name("CN=127.0.0.1");
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
                BigInteger.valueOf(now.toEpochMilli()), java.util.Date.from(now.minus(Duration.ofMinutes(5))),
                java.util.Date.from(now.plus(Duration.ofDays(1))), name, keyPair.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate())));
    }
}
