package io.smimedelivery.certificate.scep;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Makes a SCEP issuing CA in PEM files and points smime.scep.ca-* at them. */
public class ScepCaTestResource implements QuarkusTestResourceLifecycleManager {

    static final String CA_SUBJECT = "CN=Test SCEP Issuing CA,O=S/MIME Delivery Tests,C=IT";
    static volatile X509Certificate caCertificate;
    private Path folder;

    /** Returns the CA certificate of the running test. */
    public static X509Certificate caCertificate() {
        return caCertificate;
    }

    @Override
    public Map<String, String> start() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair keys = generator.generateKeyPair();
            X500Name name = new X500Name(CA_SUBJECT);
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(3650))), name, keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign
                    | KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            caCertificate = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));

            folder = Files.createTempDirectory("scep-ca");
            Path certificateFile = folder.resolve("scep-ca.pem");
            Path keyFile = folder.resolve("scep-ca.key.pem");
            Files.writeString(certificateFile, pem("CERTIFICATE", caCertificate.getEncoded()));
            Files.writeString(keyFile, pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
            return Map.of("smime.scep.ca-certificate-file", certificateFile.toString(),
                    "smime.scep.ca-key-file", keyFile.toString(),
                    "smime.scep.challenge-lifetime", "PT10M");
        } catch (Exception e) {
            throw new IllegalStateException("Making the test SCEP CA failed", e);
        }
    }

    @Override
    public void stop() {
        if (folder == null) {
            return;
        }
        try (var files = Files.list(folder)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
            Files.delete(folder);
        } catch (IOException e) {
            // A leftover temporary folder does no harm.
        }
    }

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }
}
