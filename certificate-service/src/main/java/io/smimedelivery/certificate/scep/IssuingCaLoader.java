package io.smimedelivery.certificate.scep;

import static io.smimedelivery.certificate.crypto.Providers.BOUNCY_CASTLE;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.jboss.logging.Logger;

/**
 * Loads the SCEP issuing CA from {@link ScepConfig} once, at the first use. Without a configured CA the
 * SCEP endpoint returns 503.
 */
@ApplicationScoped
public class IssuingCaLoader {

    private static final Logger LOG = Logger.getLogger(IssuingCaLoader.class);

    private final ScepConfig config;
    private volatile Optional<IssuingCa> loaded;

    public IssuingCaLoader(ScepConfig config) {
        this.config = config;
    }

    /** Loads the CA at start-up, so a configured but unreadable CA stops the service with a clear message. */
    void onStart(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent event) {
        ca();
    }

    /**
     * Returns the configured CA, or empty when none is configured.
     *
     * @throws IllegalStateException when the configured files cannot be read as a CA key and certificate
     */
    public Optional<IssuingCa> ca() {
        Optional<IssuingCa> ca = loaded;
        if (ca == null) {
            synchronized (this) {
                if (loaded == null) {
                    loaded = load();
                }
                ca = loaded;
            }
        }
        return ca;
    }

    private Optional<IssuingCa> load() {
        Optional<IssuingCa> ca = loadCa();
        if (config.raCertificateFile().isPresent() != config.raKeyFile().isPresent()) {
            throw new IllegalStateException("Set both smime.scep.ra-certificate-file and smime.scep.ra-key-file, or neither");
        }
        if (ca.isEmpty() || config.raCertificateFile().isEmpty()) {
            return ca;
        }
        IssuingCa withRa = new IssuingCa(ca.get().privateKey(), ca.get().certificate(), readKey(config.raKeyFile().get()),
                readCertificate(config.raCertificateFile().get()));
        LOG.infof("SCEP RA %s loaded from %s", withRa.raCertificate().getSubjectX500Principal(), config.raCertificateFile().get());
        return Optional.of(withRa);
    }

    private Optional<IssuingCa> loadCa() {
        if (config.caPkcs12File().isPresent()) {
            IssuingCa ca = fromPkcs12(config.caPkcs12File().get(), config.caPkcs12Password().orElse(""));
            LOG.infof("SCEP issuing CA %s loaded from %s", ca.certificate().getSubjectX500Principal(), config.caPkcs12File().get());
            return Optional.of(ca);
        }
        if (config.caCertificateFile().isPresent() != config.caKeyFile().isPresent()) {
            throw new IllegalStateException("Set both smime.scep.ca-certificate-file and smime.scep.ca-key-file, or "
                    + "smime.scep.ca-pkcs12-file, to configure the SCEP issuing CA");
        }
        if (config.caCertificateFile().isEmpty()) {
            LOG.info("No SCEP issuing CA is configured; SCEP requests get 503 until smime.scep.ca-* is set");
            return Optional.empty();
        }
        IssuingCa ca = new IssuingCa(readKey(config.caKeyFile().get()), readCertificate(config.caCertificateFile().get()));
        LOG.infof("SCEP issuing CA %s loaded from %s", ca.certificate().getSubjectX500Principal(), config.caCertificateFile().get());
        return Optional.of(ca);
    }

    static X509Certificate readCertificate(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Reading the SCEP CA certificate " + file + " failed: " + e.getMessage(), e);
        }
    }

    static PrivateKey readKey(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(reader)) {
            Object pem = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter().setProvider(BOUNCY_CASTLE);
            if (pem instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
            if (pem instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            throw new IllegalStateException("The SCEP CA key file " + file + " contains no unencrypted private key "
                    + "(found " + (pem == null ? "nothing" : pem.getClass().getSimpleName()) + ")");
        } catch (IOException e) {
            throw new IllegalStateException("Reading the SCEP CA key " + file + " failed: " + e.getMessage(), e);
        }
    }

    static IssuingCa fromPkcs12(Path file, String password) {
        char[] chars = password.toCharArray();
        try (InputStream in = Files.newInputStream(file)) {
            // BouncyCastle's PKCS12 store reads non-ASCII passwords, which the JDK 17 store rejects.
            KeyStore store = KeyStore.getInstance("PKCS12", BOUNCY_CASTLE);
            store.load(in, chars);
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    return new IssuingCa((PrivateKey) store.getKey(alias, chars), (X509Certificate) store.getCertificate(alias));
                }
            }
            throw new IllegalStateException("The SCEP CA PKCS#12 file " + file + " contains no private key");
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Reading the SCEP CA PKCS#12 file " + file + " failed: " + e.getMessage(), e);
        } finally {
            java.util.Arrays.fill(chars, '\0');
        }
    }
}
