package io.smimedelivery.certificate.selection;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * The facts about a certificate that certificate selection needs, independent of BouncyCastle types.
 *
 * @param thumbprintSha256 lower-case hex SHA-256 of the certificate's DER encoding
 * @param thumbprintSha1 lower-case hex SHA-1 of the certificate's DER encoding
 * @param serialNumberHex lower-case hex serial number without leading zeros
 * @param subjectDn subject distinguished name in BouncyCastle's default string form
 * @param issuerDn issuer distinguished name in BouncyCastle's default string form
 * @param keyUsage the keyUsage bits, empty when the certificate has no keyUsage extension (RFC 5280
 *     requires at least one bit when the extension is present)
 * @param extendedKeyUsages the extendedKeyUsage OIDs in dotted form, empty when the certificate has no
 *     extendedKeyUsage extension (RFC 5280 requires at least one OID when it is present)
 * @param emailAddresses rfc822Name entries of the subjectAltName and emailAddress attributes of the
 *     subject, in lower case, see {@link #normalizeEmail(String)}
 */
public record CertificateFacts(
        String thumbprintSha256,
        String thumbprintSha1,
        String serialNumberHex,
        String subjectDn,
        String issuerDn,
        Instant notBefore,
        Instant notAfter,
        Set<KeyUsageBit> keyUsage,
        Set<String> extendedKeyUsages,
        Set<String> emailAddresses) {

    public CertificateFacts {
        Objects.requireNonNull(thumbprintSha256, "thumbprintSha256");
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(notAfter, "notAfter");
        keyUsage = keyUsage.isEmpty()
                ? Collections.unmodifiableSet(EnumSet.noneOf(KeyUsageBit.class))
                : Collections.unmodifiableSet(EnumSet.copyOf(keyUsage));
        extendedKeyUsages = Collections.unmodifiableSet(new LinkedHashSet<>(extendedKeyUsages));
        emailAddresses = Collections.unmodifiableSet(new LinkedHashSet<>(emailAddresses));
    }

    /** Extracts the facts from a certificate. */
    public static CertificateFacts of(X509CertificateHolder certificate) {
        byte[] der;
        try {
            der = certificate.getEncoded();
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot encode certificate with serial "
                    + certificate.getSerialNumber().toString(16), e);
        }
        return new CertificateFacts(
                digestHex("SHA-256", der),
                digestHex("SHA-1", der),
                certificate.getSerialNumber().toString(16),
                certificate.getSubject().toString(),
                certificate.getIssuer().toString(),
                certificate.getNotBefore().toInstant(),
                certificate.getNotAfter().toInstant(),
                keyUsageOf(certificate.getExtensions()),
                extendedKeyUsagesOf(certificate.getExtensions()),
                emailAddressesOf(certificate));
    }

    /** Returns whether {@code instant} lies within notBefore..notAfter, both inclusive as in RFC 5280. */
    public boolean isValidAt(Instant instant) {
        return !instant.isBefore(notBefore) && !instant.isAfter(notAfter);
    }

    /**
     * Lower-cases a whole e-mail address and removes surrounding white space. RFC 5321 lets a mail
     * server treat the local part as case-sensitive, but directories and mail clients match addresses
     * without regard to case, so Carol@Example.TEST in a certificate must match carol@example.test.
     */
    public static String normalizeEmail(String address) {
        return address.strip().toLowerCase(Locale.ROOT);
    }

    /** Describes the certificate for messages and logs by subject, issuer, serial and SHA-256 thumbprint. */
    public String describe() {
        return "subject \"" + subjectDn + "\", issuer \"" + issuerDn + "\", serial " + serialNumberHex
                + ", SHA-256 " + thumbprintSha256;
    }

    private static Set<KeyUsageBit> keyUsageOf(Extensions extensions) {
        Set<KeyUsageBit> bits = EnumSet.noneOf(KeyUsageBit.class);
        KeyUsage keyUsage = KeyUsage.fromExtensions(extensions);
        if (keyUsage == null) {
            return bits;
        }
        for (KeyUsageBit bit : KeyUsageBit.values()) {
            if (keyUsage.hasUsages(bit.mask())) {
                bits.add(bit);
            }
        }
        return bits;
    }

    private static Set<String> extendedKeyUsagesOf(Extensions extensions) {
        Set<String> oids = new LinkedHashSet<>();
        ExtendedKeyUsage extendedKeyUsage = ExtendedKeyUsage.fromExtensions(extensions);
        if (extendedKeyUsage == null) {
            return oids;
        }
        for (KeyPurposeId purpose : extendedKeyUsage.getUsages()) {
            oids.add(purpose.getId());
        }
        return oids;
    }

    // NOTE: SmtpUTF8Mailbox otherName entries (RFC 8398) are not read, so internationalized local parts are missed.
    private static Set<String> emailAddressesOf(X509CertificateHolder certificate) {
        Set<String> addresses = new LinkedHashSet<>();
        GeneralNames subjectAltNames = GeneralNames.fromExtensions(
                certificate.getExtensions(), org.bouncycastle.asn1.x509.Extension.subjectAlternativeName);
        if (subjectAltNames != null) {
            for (GeneralName name : subjectAltNames.getNames()) {
                if (name.getTagNo() == GeneralName.rfc822Name) {
                    addresses.add(normalizeEmail(((ASN1String) name.getName()).getString()));
                }
            }
        }
        for (RDN rdn : certificate.getSubject().getRDNs()) {
            for (AttributeTypeAndValue attribute : rdn.getTypesAndValues()) {
                ASN1Encodable value = attribute.getValue();
                if (PKCSObjectIdentifiers.pkcs_9_at_emailAddress.equals(attribute.getType())
                        && value instanceof ASN1String text) {
                    addresses.add(normalizeEmail(text.getString()));
                }
            }
        }
        return addresses;
    }

    private static String digestHex(String algorithm, byte[] der) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(der));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is missing from the Java runtime", e);
        }
    }
}
