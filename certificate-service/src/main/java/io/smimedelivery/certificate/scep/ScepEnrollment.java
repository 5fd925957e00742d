package io.smimedelivery.certificate.scep;

import static io.smimedelivery.certificate.crypto.Providers.BOUNCY_CASTLE;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.jboss.logging.Logger;

import io.smimedelivery.certificate.crypto.CertificateEncoding;
import io.smimedelivery.certificate.crypto.Providers;
import io.smimedelivery.certificate.scep.ChallengeSpec.SubjectAltName;
import io.smimedelivery.certificate.scep.ScepStore.Challenge;
import io.smimedelivery.certificate.scep.ScepStore.IssuedCertificate;
import io.smimedelivery.common.outbox.Outbox;
import io.smimedelivery.events.SigningCertificateFailed;
import io.smimedelivery.events.SigningCertificateIssued;

/**
 * Issues a device's signing certificate for a PKCSReq: the challenge must be known, unused and not
 * expired, and the request must ask for exactly what the challenge's SCEP profile prescribes. Each call
 * is one transaction, so the certificate, the used challenge and the SigningCertificateIssued event are
 * stored together, and a failure is recorded on its challenge.
 */
@ApplicationScoped
public class ScepEnrollment {

    /** The result of a request: the certificate to return, or the failure to send back. */
    public record Outcome(X509Certificate certificate, ScepException failure) {

        static Outcome issued(X509Certificate certificate) {
            return new Outcome(certificate, null);
        }

        static Outcome failed(ScepException failure) {
            return new Outcome(null, failure);
        }
    }

    private static final Logger LOG = Logger.getLogger(ScepEnrollment.class);
    /** Serial numbers have 127 random bits and a clear top bit, so they are positive and fit 16 bytes. */
    private static final int SERIAL_BITS = 127;
    /** notBefore lies this far in the past, so a device whose clock is slightly behind accepts the certificate. */
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private final ScepStore store;
    private final Outbox outbox;
    private final String crlUrl;
    private final SecureRandom random = new SecureRandom();

    public ScepEnrollment(ScepStore store, Outbox outbox, ScepConfig config) {
        this.store = store;
        this.outbox = outbox;
        this.crlUrl = config.url() + "/crl";
    }

    /** Handles a PKCSReq whose content is a PKCS#10 request. */
    @Transactional
    public Outcome enroll(PkiRequest request, IssuingCa ca) {
        PKCS10CertificationRequest csr;
        String challengeText;
        try {
            csr = CsrCheck.parse(request.content());
            checkSignerKey(request, csr);
            challengeText = CsrCheck.challengePassword(csr);
        } catch (ScepException e) {
            LOG.warnf("SCEP PKCSReq %s rejected: %s %s", request.transactionId(), e.reasonCode(), e.getMessage());
            return Outcome.failed(e);
        }

        Optional<Challenge> found = store.lockChallenge(sha256(challengeText));
        if (found.isEmpty()) {
            LOG.warnf("SCEP PKCSReq %s rejected: CHALLENGE_INVALID (no such challenge)", request.transactionId());
            return Outcome.failed(new ScepException(ScepFailure.BAD_REQUEST, "CHALLENGE_INVALID",
                    "The challenge password is not one that this service issued."));
        }
        Challenge challenge = found.get();
        ChallengeSpec spec = challenge.spec();
        Instant now = Instant.now();
        try {
            if (challenge.usedAt() != null) {
                Optional<IssuedCertificate> earlier = request.transactionId().equals(challenge.transactionId())
                        ? store.certificateByTransaction(request.transactionId()) : Optional.empty();
                if (earlier.isPresent()) {
                    // A client that lost the CertRep sends the same transaction again and gets the same certificate.
                    return Outcome.issued(CertificateEncoding.parse(earlier.get().der()));
                }
                throw new ScepException(ScepFailure.BAD_REQUEST, "CHALLENGE_REUSED", "The challenge of device "
                        + spec.deviceId() + " was already used at " + challenge.usedAt() + ".");
            }
            if (challenge.expiresAt() != null && !now.isBefore(challenge.expiresAt())) {
                throw new ScepException(ScepFailure.BAD_REQUEST, "CHALLENGE_EXPIRED", "The challenge of device "
                        + spec.deviceId() + " expired at " + challenge.expiresAt() + ".");
            }
            CsrCheck.matches(csr, spec);
        } catch (ScepException e) {
            store.recordFailure(challenge.id(), e.reasonCode(), now);
            outbox.add(new SigningCertificateFailed(spec.deviceId(), spec.userId(), spec.policyId(), spec.policyVersion(),
                    e.reasonCode(), e.getMessage(), now));
            LOG.warnf("SCEP PKCSReq %s of device %s (policy %s v%d) rejected: %s %s", request.transactionId(),
                    spec.deviceId(), spec.policyId(), spec.policyVersion(), e.reasonCode(), e.getMessage());
            return Outcome.failed(e);
        }

        X509Certificate certificate = issue(csr, spec, ca, now);
        String serial = certificate.getSerialNumber().toString(16);
        String thumbprint = CertificateEncoding.thumbprint(certificate);
        store.markUsed(challenge.id(), request.transactionId(), now);
        store.insertCertificate(new IssuedCertificate(serial, thumbprint, request.transactionId(), spec.deviceId(),
                spec.userId(), spec.policyId(), spec.policyVersion(), spec.profileId(), certificate.getNotAfter().toInstant(),
                CertificateEncoding.encoded(certificate), null), challenge.id(), spec.subject(), certificate.getNotBefore().toInstant());
        outbox.add(new SigningCertificateIssued(spec.deviceId(), spec.userId(), spec.policyId(), spec.policyVersion(),
                thumbprint, serial, certificate.getNotAfter().toInstant(), now));
        LOG.infof("SCEP certificate %s issued to device %s (policy %s v%d), valid until %s", serial, spec.deviceId(),
                spec.policyId(), spec.policyVersion(), certificate.getNotAfter().toInstant());
        return Outcome.issued(certificate);
    }

    /**
     * Handles a RenewalReq: the pkiMessage is signed with a certificate this CA issued, still valid and not
     * revoked, with at most its profile's renewal threshold of validity left. The new request must ask for
     * the same subject and subject alternative names. The new certificate has the same binding and the old
     * one stays valid until it expires.
     */
    @Transactional
    public Outcome renew(PkiRequest request, IssuingCa ca) {
        Instant now = Instant.now();
        Optional<IssuedCertificate> earlier = store.certificateByTransaction(request.transactionId());
        if (earlier.isPresent() && earlier.get().deviceId() != null) {
            return Outcome.issued(CertificateEncoding.parse(earlier.get().der()));
        }

        X509Certificate current;
        Challenge challenge;
        PKCS10CertificationRequest csr;
        try {
            current = currentCertificate(request, ca);
            String serial = current.getSerialNumber().toString(16);
            IssuedCertificate record = store.certificateBySerial(serial).orElseThrow(() -> new ScepException(
                    ScepFailure.BAD_CERT_ID, "CERTIFICATE_UNKNOWN", "The RenewalReq is signed with certificate " + serial
                            + ", which this CA did not issue over SCEP."));
            if (record.revokedAt() != null) {
                throw new ScepException(ScepFailure.BAD_REQUEST, "CERTIFICATE_REVOKED", "Certificate " + serial
                        + " of device " + record.deviceId() + " was revoked at " + record.revokedAt() + ".");
            }
            challenge = store.challengeOfCertificate(serial).orElseThrow(() -> new ScepException(ScepFailure.BAD_CERT_ID,
                    "CERTIFICATE_UNKNOWN", "Certificate " + serial + " has no recorded SCEP profile."));
            checkRenewalWindow(current, challenge.spec(), now);
            csr = CsrCheck.parse(request.content());
            CsrCheck.matches(csr, challenge.spec());
        } catch (ScepException e) {
            LOG.warnf("SCEP RenewalReq %s rejected: %s %s", request.transactionId(), e.reasonCode(), e.getMessage());
            return Outcome.failed(e);
        }

        ChallengeSpec spec = challenge.spec();
        X509Certificate renewed = issue(csr, spec, ca, now);
        String serial = renewed.getSerialNumber().toString(16);
        String thumbprint = CertificateEncoding.thumbprint(renewed);
        store.insertCertificate(new IssuedCertificate(serial, thumbprint, request.transactionId(), spec.deviceId(),
                spec.userId(), spec.policyId(), spec.policyVersion(), spec.profileId(), renewed.getNotAfter().toInstant(),
                CertificateEncoding.encoded(renewed), null), challenge.id(), spec.subject(), renewed.getNotBefore().toInstant());
        outbox.add(new SigningCertificateIssued(spec.deviceId(), spec.userId(), spec.policyId(), spec.policyVersion(),
                thumbprint, serial, renewed.getNotAfter().toInstant(), now));
        LOG.infof("SCEP certificate %s of device %s renewed as %s, valid until %s", current.getSerialNumber().toString(16),
                spec.deviceId(), serial, renewed.getNotAfter().toInstant());
        return Outcome.issued(renewed);
    }

    /** Returns the signer certificate of a RenewalReq after checking that this CA issued it and it is valid now. */
    private static X509Certificate currentCertificate(PkiRequest request, IssuingCa ca) {
        X509Certificate current;
        try {
            current = new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter().setProvider(BOUNCY_CASTLE)
                    .getCertificate(request.signerCertificate());
            current.verify(ca.certificate().getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new ScepException(ScepFailure.BAD_CERT_ID, "CERTIFICATE_UNKNOWN",
                    "The RenewalReq is not signed with a certificate of this CA: " + e.getMessage());
        }
        try {
            current.checkValidity();
        } catch (GeneralSecurityException e) {
            throw new ScepException(ScepFailure.BAD_TIME, "CERTIFICATE_EXPIRED", "Certificate "
                    + current.getSerialNumber().toString(16) + " is not valid now; request a new one with a new challenge.");
        }
        return current;
    }

    private static void checkRenewalWindow(X509Certificate current, ChallengeSpec spec, Instant now) {
        Instant notBefore = current.getNotBefore().toInstant();
        Instant notAfter = current.getNotAfter().toInstant();
        Duration lifetime = Duration.between(notBefore, notAfter);
        Duration left = Duration.between(now, notAfter);
        if (left.multipliedBy(100).compareTo(lifetime.multipliedBy(spec.renewalThresholdPercent())) > 0) {
            Instant opens = notAfter.minus(lifetime.multipliedBy(spec.renewalThresholdPercent()).dividedBy(100));
            throw new ScepException(ScepFailure.BAD_REQUEST, "RENEWAL_TOO_EARLY", "Certificate "
                    + current.getSerialNumber().toString(16) + " has more than " + spec.renewalThresholdPercent()
                    + " percent of its validity left; renewal opens at " + opens + ".");
        }
    }

    /** The pkiMessage must be signed with the key of the request, as a self-signed certificate shows. */
    private static void checkSignerKey(PkiRequest request, PKCS10CertificationRequest csr) {
        if (!request.signerCertificate().getSubjectPublicKeyInfo().equals(csr.getSubjectPublicKeyInfo())) {
            throw new ScepException(ScepFailure.BAD_MESSAGE_CHECK, "SIGNER_KEY_MISMATCH",
                    "The PKCSReq is signed with another key than the one in its certificate request.");
        }
    }

    private X509Certificate issue(PKCS10CertificationRequest csr, ChallengeSpec spec, IssuingCa ca, Instant now) {
        Instant notBefore = now.minus(CLOCK_SKEW);
        Instant notAfter = now.atOffset(ZoneOffset.UTC).plusMonths(spec.validityMonths()).toInstant();
        Instant caNotAfter = ca.certificate().getNotAfter().toInstant();
        if (notAfter.isAfter(caNotAfter)) {
            notAfter = caNotAfter;
        }
        try {
            JcaPKCS10CertificationRequest request = new JcaPKCS10CertificationRequest(csr).setProvider(BOUNCY_CASTLE);
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()),
                    new BigInteger(SERIAL_BITS, random).setBit(SERIAL_BITS - 1), Date.from(notBefore), Date.from(notAfter),
                    csr.getSubject(), request.getPublicKey());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsageBits(spec.keyUsages())));
            List<KeyPurposeId> purposes = new ArrayList<>();
            for (String oid : spec.extendedKeyUsages()) {
                purposes.add(KeyPurposeId.getInstance(new ASN1ObjectIdentifier(oid)));
            }
            if (!purposes.isEmpty()) {
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes.toArray(KeyPurposeId[]::new)));
            }
            List<GeneralName> names = new ArrayList<>();
            for (SubjectAltName name : spec.subjectAltNames()) {
                names.add(CsrCheck.generalName(name));
            }
            if (!names.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
            }
            builder.addExtension(Extension.cRLDistributionPoints, false, new CRLDistPoint(new DistributionPoint[] {
                    new DistributionPoint(new DistributionPointName(new GeneralNames(
                            new GeneralName(GeneralName.uniformResourceIdentifier, crlUrl))), null, null) }));
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(request.getPublicKey()));
            builder.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(ca.certificate()));
            return new JcaX509CertificateConverter().setProvider(BOUNCY_CASTLE).getCertificate(
                    builder.build(new JcaContentSignerBuilder(ca.signatureAlgorithm()).setProvider(Providers.signing(ca.privateKey()))
                            .build(ca.privateKey())));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("Issuing the SCEP certificate for device " + spec.deviceId() + " failed", e);
        }
    }

    private static int keyUsageBits(List<String> usages) {
        int bits = 0;
        for (String usage : usages) {
            bits |= switch (usage) {
                case "DIGITAL_SIGNATURE" -> KeyUsage.digitalSignature;
                case "KEY_ENCIPHERMENT" -> KeyUsage.keyEncipherment;
                case "NON_REPUDIATION" -> KeyUsage.nonRepudiation;
                default -> throw new IllegalArgumentException("Unknown key usage " + usage + " in a SCEP profile");
            };
        }
        return bits == 0 ? KeyUsage.digitalSignature : bits;
    }

    static String sha256(String challenge) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(challenge.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }
}
