package io.smimedelivery.certificate.pkcs12;

import io.smimedelivery.certificate.pkcs12.Pkcs12Exception.Reason;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.Ed448PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed448PublicKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/** Pairs each private key with its certificate: first by localKeyId, else by public key. */
final class KeyCertificatePairing {

    private KeyCertificatePairing() {
    }

    static Pkcs12Contents pair(List<BagEntry.KeyEntry> keys, List<BagEntry.CertificateEntry> certificates) {
        if (keys.isEmpty()) {
            throw new Pkcs12Exception(Reason.NO_PRIVATE_KEY, certificates.isEmpty()
                    ? "The PKCS#12 file contains neither a private key nor a certificate. Export the certificate together with its private key."
                    : "The PKCS#12 file contains " + certificates.size() + " certificate(s) but no private key. "
                            + "Export the certificate together with its private key.");
        }

        List<BagEntry.CertificateEntry> unpaired = new ArrayList<>(certificates);
        List<KeyPairEntry> entries = new ArrayList<>();
        for (BagEntry.KeyEntry key : keys) {
            BagEntry.CertificateEntry certificate = findByLocalKeyId(key, unpaired)
                    .or(() -> findByPublicKey(key, unpaired))
                    .orElseThrow(() -> mismatch(key, certificates));
            if (publicKeyMatches(key, certificate.certificate()) == Match.DIFFERENT) {
                throw mismatch(key, certificates);
            }
            unpaired.remove(certificate);
            String friendlyName = key.attributes().friendlyName() != null
                    ? key.attributes().friendlyName()
                    : certificate.attributes().friendlyName();
            entries.add(new KeyPairEntry(key.privateKey(), certificate.certificate(), friendlyName));
        }

        return new Pkcs12Contents(entries, withoutDuplicates(unpaired, entries));
    }

    private static Optional<BagEntry.CertificateEntry> findByLocalKeyId(
            BagEntry.KeyEntry key, List<BagEntry.CertificateEntry> certificates) {
        byte[] localKeyId = key.attributes().localKeyId();
        if (localKeyId == null) {
            return Optional.empty();
        }
        return certificates.stream()
                .filter(c -> Arrays.equals(localKeyId, c.attributes().localKeyId()))
                .findFirst();
    }

    /** Among certificates with the key's public key, prefers the one that expires last. */
    private static Optional<BagEntry.CertificateEntry> findByPublicKey(
            BagEntry.KeyEntry key, List<BagEntry.CertificateEntry> certificates) {
        return certificates.stream()
                .filter(c -> publicKeyMatches(key, c.certificate()) == Match.SAME)
                .max(Comparator.comparing(c -> c.certificate().getNotAfter()));
    }

    private enum Match { SAME, DIFFERENT, UNKNOWN }

    /**
     * Compares the public key derived from the private key with the certificate's public key. Returns
     * UNKNOWN for key types other than RSA, EC, Ed25519 and Ed448, which are then paired by localKeyId only.
     */
    private static Match publicKeyMatches(BagEntry.KeyEntry key, X509CertificateHolder certificate) {
        AsymmetricKeyParameter privateKey;
        AsymmetricKeyParameter publicKey;
        try {
            privateKey = PrivateKeyFactory.createKey(key.keyInfo());
            publicKey = PublicKeyFactory.createKey(certificate.getSubjectPublicKeyInfo());
        } catch (IOException | RuntimeException e) {
            return Match.UNKNOWN;
        }

        if (privateKey instanceof RSAPrivateCrtKeyParameters rsa && publicKey instanceof RSAKeyParameters rsaPublic) {
            return toMatch(rsa.getModulus().equals(rsaPublic.getModulus())
                    && rsa.getPublicExponent().equals(rsaPublic.getExponent()));
        }
        if (privateKey instanceof ECPrivateKeyParameters ec && publicKey instanceof ECPublicKeyParameters ecPublic) {
            ECPoint derived = new FixedPointCombMultiplier().multiply(ec.getParameters().getG(), ec.getD()).normalize();
            return toMatch(ec.getParameters().getCurve().equals(ecPublic.getParameters().getCurve())
                    && derived.equals(ecPublic.getQ()));
        }
        if (privateKey instanceof Ed25519PrivateKeyParameters ed && publicKey instanceof Ed25519PublicKeyParameters edPublic) {
            return toMatch(Arrays.equals(ed.generatePublicKey().getEncoded(), edPublic.getEncoded()));
        }
        if (privateKey instanceof Ed448PrivateKeyParameters ed && publicKey instanceof Ed448PublicKeyParameters edPublic) {
            return toMatch(Arrays.equals(ed.generatePublicKey().getEncoded(), edPublic.getEncoded()));
        }
        if (sameAlgorithm(key.keyInfo(), certificate.getSubjectPublicKeyInfo())) {
            return Match.UNKNOWN;
        }
        return Match.DIFFERENT;
    }

    private static boolean sameAlgorithm(PrivateKeyInfo keyInfo, SubjectPublicKeyInfo publicKeyInfo) {
        return keyInfo.getPrivateKeyAlgorithm().getAlgorithm().equals(publicKeyInfo.getAlgorithm().getAlgorithm());
    }

    private static Match toMatch(boolean same) {
        return same ? Match.SAME : Match.DIFFERENT;
    }

    private static Pkcs12Exception mismatch(BagEntry.KeyEntry key, List<BagEntry.CertificateEntry> certificates) {
        StringBuilder message = new StringBuilder("The PKCS#12 file contains a ")
                .append(key.privateKey().getAlgorithm())
                .append(" private key that matches none of its certificates");
        if (!certificates.isEmpty()) {
            message.append(" (");
            for (int i = 0; i < certificates.size(); i++) {
                message.append(i == 0 ? "" : "; ").append(CertificateNames.describe(certificates.get(i).certificate()));
            }
            message.append(")");
        }
        message.append(". Export the certificate together with its own private key.");
        return new Pkcs12Exception(Reason.KEY_CERTIFICATE_MISMATCH, message.toString());
    }

    /** Drops certificates that are paired with a key or that occur more than once, comparing the DER. */
    private static List<X509CertificateHolder> withoutDuplicates(
            List<BagEntry.CertificateEntry> unpaired, List<KeyPairEntry> entries) {
        Set<X509CertificateHolder> seen = new LinkedHashSet<>();
        entries.forEach(e -> seen.add(e.certificate()));
        List<X509CertificateHolder> extra = new ArrayList<>();
        for (BagEntry.CertificateEntry entry : unpaired) {
            if (seen.add(entry.certificate())) {
                extra.add(entry.certificate());
            }
        }
        return extra;
    }
}
