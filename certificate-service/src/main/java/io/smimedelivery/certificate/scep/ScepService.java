package io.smimedelivery.certificate.scep;

import static io.smimedelivery.certificate.crypto.Providers.BOUNCY_CASTLE;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.cms.IssuerAndSerialNumber;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.jboss.logging.Logger;

import io.smimedelivery.certificate.crypto.CertificateEncoding;
import io.smimedelivery.certificate.scep.PkiMessageCodec.Header;
import io.smimedelivery.certificate.scep.ScepStore.IssuedCertificate;

/** Handles SCEP pkiMessages: PKCSReq, CertPoll and GetCert get a CertRep with certificates, the rest a CertRep FAILURE. */
@ApplicationScoped
public class ScepService {

    private static final Logger LOG = Logger.getLogger(ScepService.class);

    private final PkiMessageCodec codec = new PkiMessageCodec();
    private final ScepEnrollment enrollment;
    private final ScepStore store;

    public ScepService(ScepEnrollment enrollment, ScepStore store) {
        this.enrollment = enrollment;
        this.store = store;
    }

    /**
     * Returns the CertRep for a pkiMessage.
     *
     * @throws IllegalArgumentException when the message is not a pkiMessage that a CertRep can reply to
     */
    public byte[] handle(byte[] message, IssuingCa ca) {
        Header header = codec.readHeader(message);
        try {
            PkiRequest request = codec.open(header, ca.messageKey());
            X509Certificate certificate = switch (request.messageType()) {
                // RFC 8894 lets a client renew with a PKCSReq signed by its current certificate, as jscep does.
                case PKCS_REQ -> issued(issuedBy(request, ca) ? enrollment.renew(request, ca) : enrollment.enroll(request, ca));
                case CERT_POLL -> polled(request);
                case GET_CERT -> byIssuerAndSerial(request, ca);
                case RENEWAL_REQ -> issued(enrollment.renew(request, ca));
                case GET_CRL -> throw new ScepException(ScepFailure.BAD_REQUEST, "GET_CRL_UNSUPPORTED",
                        "GetCRL is not supported; the CRL is served over HTTP.");
                case CERT_REP -> throw new ScepException(ScepFailure.BAD_REQUEST, "MESSAGE_TYPE_INVALID",
                        "A client does not send CertRep.");
            };
            return codec.success(header, request.contentEncryption(), List.of(certificate, ca.certificate()), ca);
        } catch (ScepException e) {
            LOG.debugf("SCEP %s %s answered with FAILURE %s: %s", header.messageType(), header.transactionId(),
                    e.reasonCode(), e.getMessage());
            return codec.failure(header, e.failure(), ca);
        }
    }

    /** Returns whether the request is signed with a certificate that this CA issued, not a self-signed one. */
    private static boolean issuedBy(PkiRequest request, IssuingCa ca) {
        X500Name caName = X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded());
        X509CertificateHolder signer = request.signerCertificate();
        if (!caName.equals(signer.getIssuer()) || signer.getIssuer().equals(signer.getSubject())) {
            return false;
        }
        try {
            return signer.isSignatureValid(new org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder()
                    .setProvider(BOUNCY_CASTLE).build(ca.certificate()));
        } catch (org.bouncycastle.operator.OperatorCreationException | org.bouncycastle.cert.CertException e) {
            return false;
        }
    }

    private static X509Certificate issued(ScepEnrollment.Outcome outcome) {
        if (outcome.failure() != null) {
            throw outcome.failure();
        }
        return outcome.certificate();
    }

    /** CertPoll (GetCertInitial) names the transaction; the service issues at once, so the certificate exists or never will. */
    private X509Certificate polled(PkiRequest request) {
        Optional<IssuedCertificate> issued = store.certificateByTransaction(request.transactionId());
        if (issued.isEmpty() || !issued.get().deviceId().isEmpty() && !signerMatches(request, issued.get())) {
            throw new ScepException(ScepFailure.BAD_CERT_ID, "TRANSACTION_UNKNOWN", "No certificate was issued for"
                    + " transaction " + request.transactionId() + " to this requester.");
        }
        return CertificateEncoding.parse(issued.get().der());
    }

    /** A CertPoll must come from the key the certificate was issued to. */
    private static boolean signerMatches(PkiRequest request, IssuedCertificate issued) {
        X509Certificate certificate = CertificateEncoding.parse(issued.der());
        return java.util.Arrays.equals(certificate.getPublicKey().getEncoded(),
                encoded(request.signerCertificate().getSubjectPublicKeyInfo()));
    }

    private X509Certificate byIssuerAndSerial(PkiRequest request, IssuingCa ca) {
        IssuerAndSerialNumber issuerAndSerial;
        try {
            issuerAndSerial = IssuerAndSerialNumber.getInstance(ASN1Sequence.getInstance(request.content()));
        } catch (RuntimeException e) {
            throw new ScepException(ScepFailure.BAD_REQUEST, "MESSAGE_DATA_INVALID",
                    "GetCert messageData is not an IssuerAndSerialNumber.");
        }
        X500Name caName = X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded());
        BigInteger serial = issuerAndSerial.getSerialNumber().getValue();
        Optional<IssuedCertificate> issued = caName.equals(issuerAndSerial.getName())
                ? store.certificateBySerial(serial.toString(16)) : Optional.empty();
        if (issued.isEmpty()) {
            throw new ScepException(ScepFailure.BAD_CERT_ID, "CERTIFICATE_UNKNOWN", "This CA issued no certificate with"
                    + " serial number " + serial.toString(16) + ".");
        }
        return CertificateEncoding.parse(issued.get().der());
    }

    private static byte[] encoded(org.bouncycastle.asn1.x509.SubjectPublicKeyInfo info) {
        try {
            return info.getEncoded();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Encoding a public key failed", e);
        }
    }
}
