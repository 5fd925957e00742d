package io.smimedelivery.stack;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import io.smimedelivery.certificate.packaging.KeyedCertificate;
import io.smimedelivery.certificate.packaging.PackageEnvelope;
import io.smimedelivery.certificate.packaging.PackagePasswords;
import io.smimedelivery.certificate.packaging.Pkcs12Builder;
import io.smimedelivery.certificate.packaging.Pkcs12Profile;

/**
 * Measures the raw rate of certificate-service's packaging work without database, broker or HTTP, with
 * certificate-service's own classes. Each user gets one PKCS#12 with four RSA 2048 keys, their
 * certificates and the CA (legacy-3des, 2048 iterations, the service's defaults). Each device gets one CMS
 * envelope to an EC P-256 key, of a document as large as a real package.
 *
 * <p>{@link BenchmarkIT} runs this class in a JVM of its own, with certificate-service's packaged jars
 * and the services' heap settings, after the pipeline run, so it uses the same cores. Arguments: users,
 * devices per user, threads. It prints one line {@code devices=<n> seconds=<s>}.
 */
public final class PackagingBound {

    private static final int KEYS_PER_USER = 4;
    private static final int DEVICE_KEYS = 64;
    /** JSON around the PKCS#12 in a package document: manifest, CA certificate in PEM, app configuration. */
    private static final int DOCUMENT_OVERHEAD_BYTES = 6000;

    private PackagingBound() {
    }

    public static void main(String[] args) throws Exception {
        int users = Integer.parseInt(args[0]);
        int devicesPerUser = Integer.parseInt(args[1]);
        int threads = Integer.parseInt(args[2]);

        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        KeyPair caKeys = rsa.generateKeyPair();
        X509Certificate ca = certificate(caKeys, caKeys, "CN=Packaging bound CA", true);
        List<KeyedCertificate> entries = new ArrayList<>();
        for (int i = 0; i < KEYS_PER_USER; i++) {
            KeyPair keys = rsa.generateKeyPair();
            entries.add(new KeyedCertificate(keys.getPrivate(), certificate(keys, caKeys, "CN=user" + i + "@example.org", false),
                    "S/MIME key " + i));
        }
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        List<PublicKey> deviceKeys = new ArrayList<>();
        for (int i = 0; i < DEVICE_KEYS; i++) {
            deviceKeys.add(ec.generateKeyPair().getPublic());
        }
        Pkcs12Builder builder = new Pkcs12Builder();
        // Warms up the JIT compiler, as the services are warm after their set-up traffic.
        packageUser(builder, entries, ca, deviceKeys, 0, devicesPerUser);

        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        List<Future<?>> work = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            int user = u;
            work.add(pool.submit(() -> packageUser(builder, entries, ca, deviceKeys, user, devicesPerUser)));
        }
        for (Future<?> future : work) {
            future.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        System.out.println("devices=" + (long) users * devicesPerUser + " seconds=" + seconds);
    }

    private static void packageUser(Pkcs12Builder builder, List<KeyedCertificate> entries, X509Certificate ca,
            List<PublicKey> deviceKeys, int user, int devicesPerUser) {
        char[] password = PackagePasswords.random();
        byte[] pkcs12 = builder.build(entries, List.of(ca), password, Pkcs12Profile.LEGACY_3DES, Pkcs12Builder.DEFAULT_ITERATIONS);
        String document = "{\"pkcs12\":\"" + Base64.getEncoder().encodeToString(pkcs12) + "\",\"rest\":\""
                + "x".repeat(DOCUMENT_OVERHEAD_BYTES) + "\"}";
        byte[] content = document.getBytes(StandardCharsets.UTF_8);
        for (int d = 0; d < devicesPerUser; d++) {
            PackageEnvelope.seal(content, deviceKeys.get((user * devicesPerUser + d) % deviceKeys.size()));
        }
    }

    private static X509Certificate certificate(KeyPair subject, KeyPair issuer, String name, boolean ca) throws Exception {
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder certificate = new JcaX509v3CertificateBuilder(
                new X500Name(ca ? name : "CN=Packaging bound CA"), BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(1, ChronoUnit.DAYS)), Date.from(now.plus(365, ChronoUnit.DAYS)), new X500Name(name),
                subject.getPublic());
        certificate.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        certificate.addExtension(Extension.keyUsage, true, new KeyUsage(ca ? KeyUsage.keyCertSign
                : KeyUsage.keyEncipherment | KeyUsage.digitalSignature));
        return new JcaX509CertificateConverter().getCertificate(certificate.build(
                new JcaContentSignerBuilder("SHA256withRSA").build(issuer.getPrivate())));
    }
}
