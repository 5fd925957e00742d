package io.smimedelivery.certificate.scep;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * A verified and decrypted SCEP pkiMessage.
 *
 * @param messageType       PKCSReq, RenewalReq, CertPoll, GetCert or GetCRL
 * @param transactionId     the client's transactionID, echoed in the CertRep
 * @param senderNonce       the client's senderNonce, returned as recipientNonce
 * @param signerCertificate the certificate the client signed with: self-signed for PKCSReq, the current
 *                          certificate for RenewalReq; the CertRep is encrypted to its key
 * @param contentEncryption the content-encryption algorithm the client used, which the CertRep repeats
 * @param content           the decrypted messageData: a PKCS#10 request, IssuerAndSubject or IssuerAndSerialNumber
 */
public record PkiRequest(ScepMessageType messageType, String transactionId, byte[] senderNonce,
        X509CertificateHolder signerCertificate, ASN1ObjectIdentifier contentEncryption, byte[] content) {
}
