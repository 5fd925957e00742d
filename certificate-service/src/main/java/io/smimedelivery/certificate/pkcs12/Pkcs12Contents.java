package io.smimedelivery.certificate.pkcs12;

import java.util.List;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * Keys and certificates read from one PKCS#12 file.
 *
 * @param entries each private key with its own certificate, in file order
 * @param extraCertificates the certificates that belong to no key (usually the issuing chain), in
 *     file order and without duplicates
 */
public record Pkcs12Contents(List<KeyPairEntry> entries, List<X509CertificateHolder> extraCertificates) {

    public Pkcs12Contents {
        entries = List.copyOf(entries);
        extraCertificates = List.copyOf(extraCertificates);
    }
}
