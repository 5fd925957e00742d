package io.smimedelivery.certificate.scep;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import jakarta.enterprise.context.ApplicationScoped;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import io.smimedelivery.certificate.crypto.Providers;
import io.smimedelivery.certificate.scep.ScepStore.Revocation;

/**
 * Writes the CRL of the SCEP issuing CA: every revoked certificate that has not expired yet, signed by the
 * CA. It is made on each request, so it is always current. Its nextUpdate is one day later, the time by
 * which clients fetch it again.
 */
@ApplicationScoped
public class ScepCrl {

    /** Revocation reasons this service records, with their CRL reason codes (RFC 5280, section 5.3.1). */
    public static final String DEVICE_RETIRED = "DEVICE_RETIRED";
    public static final String POLICY_UNASSIGNED = "POLICY_UNASSIGNED";
    private static final Duration NEXT_UPDATE = Duration.ofDays(1);

    private final ScepStore store;

    public ScepCrl(ScepStore store) {
        this.store = store;
    }

    /** Returns the DER CRL. Its number is the time of issue in milliseconds, so each CRL has a higher number. */
    public byte[] current(IssuingCa ca) {
        Instant now = Instant.now();
        try {
            X509v2CRLBuilder builder = new X509v2CRLBuilder(
                    X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()), Date.from(now));
            builder.setNextUpdate(Date.from(now.plus(NEXT_UPDATE)));
            for (Revocation revocation : store.revocations(now)) {
                builder.addCRLEntry(new BigInteger(revocation.serialNumber(), 16), Date.from(revocation.revokedAt()),
                        reasonCode(revocation.reason()));
            }
            builder.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(now.toEpochMilli())));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(ca.certificate()));
            return builder.build(new JcaContentSignerBuilder(ca.signatureAlgorithm()).setProvider(Providers.signing(ca.privateKey()))
                    .build(ca.privateKey())).getEncoded();
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("Signing the SCEP CRL failed", e);
        }
    }

    private static int reasonCode(String reason) {
        return switch (reason) {
            case DEVICE_RETIRED -> CRLReason.cessationOfOperation;
            case POLICY_UNASSIGNED -> CRLReason.affiliationChanged;
            default -> CRLReason.unspecified;
        };
    }
}
