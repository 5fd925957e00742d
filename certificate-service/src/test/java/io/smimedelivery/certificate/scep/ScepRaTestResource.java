package io.smimedelivery.certificate.scep;

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

/** Makes a SCEP CA and an RA that it certified, and points smime.scep.ca-* and smime.scep.ra-* at them. */
public class ScepRaTestResource implements QuarkusTestResourceLifecycleManager {

    static volatile X509Certificate caCertificate;
    static volatile X509Certificate raCertificate;

    @Override
    public Map<String, String> start() {
        try {
            KeyPair caKeys = rsa();
            X500Name caName = new X500Name("CN=Test SCEP CA with RA,O=S/MIME Delivery Tests,C=IT");
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder ca = new JcaX509v3CertificateBuilder(caName, BigInteger.valueOf(now.toEpochMilli()),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(3650))), caName,
                    caKeys.getPublic());
            ca.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            ca.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            caCertificate = new JcaX509CertificateConverter().getCertificate(
                    ca.build(new JcaContentSignerBuilder("SHA256withRSA").build(caKeys.getPrivate())));

            KeyPair raKeys = rsa();
            JcaX509v3CertificateBuilder ra = new JcaX509v3CertificateBuilder(caName,
                    BigInteger.valueOf(now.toEpochMilli() + 1), Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(Duration.ofDays(365))), new X500Name("CN=Test SCEP RA,O=S/MIME Delivery Tests,C=IT"),
                    raKeys.getPublic());
            ra.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            ra.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            raCertificate = new JcaX509CertificateConverter().getCertificate(
                    ra.build(new JcaContentSignerBuilder("SHA256withRSA").build(caKeys.getPrivate())));

            Path folder = Files.createTempDirectory("scep-ra");
            Files.writeString(folder.resolve("ca.pem"), pem("CERTIFICATE", caCertificate.getEncoded()));
            Files.writeString(folder.resolve("ca.key.pem"), pem("PRIVATE KEY", caKeys.getPrivate().getEncoded()));
            Files.writeString(folder.resolve("ra.pem"), pem("CERTIFICATE", raCertificate.getEncoded()));
            Files.writeString(folder.resolve("ra.key.pem"), pem("PRIVATE KEY", raKeys.getPrivate().getEncoded()));
            return Map.of("smime.scep.ca-certificate-file", folder.resolve("ca.pem").toString(),
                    "smime.scep.ca-key-file", folder.resolve("ca.key.pem").toString(),
                    "smime.scep.ra-certificate-file", folder.resolve("ra.pem").toString(),
                    "smime.scep.ra-key-file", folder.resolve("ra.key.pem").toString());
        } catch (Exception e) {
            throw new IllegalStateException("Making the test SCEP CA and RA failed", e);
        }
    }

    @Override
    public void stop() {
        // The files live in a temporary folder of the test JVM.
    }

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }
}
