package io.smimedelivery.certificate.scep;

import java.security.cert.CertificateEncodingException;
import java.util.Base64;
import java.util.List;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.smimedelivery.certificate.limits.InputLimits;
import io.smimedelivery.common.problem.FieldError;
import io.smimedelivery.common.problem.ProblemException;

/**
 * The SCEP endpoint (RFC 8894). It needs no login: a device proves itself with the one-time challenge
 * from its package. GET serves GetCACaps, GetCACert and PKIOperation with a Base64 message; POST serves
 * PKIOperation with the DER message as the body.
 */
@Path("/scep")
public class ScepResource {

    static final String PKI_MESSAGE = "application/x-pki-message";
    static final String CA_CERT = "application/x-x509-ca-cert";
    static final String CA_RA_CERT = "application/x-x509-ca-ra-cert";
    /** AES and SHA-256 as the client should choose them; Renewal is advertised for clients that renew. */
    static final List<String> CAPABILITIES = List.of("AES", "SHA-256", "SHA-512", "POSTPKIOperation", "Renewal",
            "SCEPStandard");
    static final String CRL = "application/pkix-crl";

    private final IssuingCaLoader caLoader;
    private final ScepService service;
    private final ScepCrl crl;
    private final InputLimits limits;

    public ScepResource(IssuingCaLoader caLoader, ScepService service, ScepCrl crl, InputLimits limits) {
        this.caLoader = caLoader;
        this.service = service;
        this.crl = crl;
        this.limits = limits;
    }

    @PermitAll
    @GET
    @Path("/crl")
    @Operation(summary = "CRL of the SCEP issuing CA, DER, with every revoked certificate that has not expired")
    public Response crl() {
        return Response.ok(crl.current(ca()), CRL).header("Cache-Control", "no-cache").build();
    }

    @PermitAll
    @GET
    @Operation(summary = "SCEP GetCACaps, GetCACert, or PKIOperation with a Base64 message")
    public Response get(@QueryParam("operation") String operation, @QueryParam("message") String message) {
        String name = operation == null ? "" : operation;
        return switch (name) {
            case "GetCACaps" -> Response.ok(String.join("\n", CAPABILITIES) + "\n", MediaType.TEXT_PLAIN).build();
            case "GetCACert" -> caCertificate();
            case "PKIOperation" -> pkiOperation(decode(message), "message");
            default -> throw unknownOperation(operation);
        };
    }

    @PermitAll
    @POST
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "SCEP PKIOperation with the DER pkiMessage as the body")
    public Response post(@QueryParam("operation") String operation, byte[] body) {
        if (!"PKIOperation".equals(operation)) {
            throw unknownOperation(operation);
        }
        if (body == null || body.length == 0) {
            throw ProblemException.invalidField("body", null, "send the DER pkiMessage as the request body");
        }
        return pkiOperation(body, "body");
    }

    /** Returns the CA certificate, or with an RA a certs-only PKCS#7 with the RA and CA certificates (RFC 8894, 4.2.1.2). */
    private Response caCertificate() {
        IssuingCa ca = ca();
        try {
            if (!ca.hasRa()) {
                return Response.ok(ca.certificate().getEncoded(), CA_CERT).build();
            }
            org.bouncycastle.cms.CMSSignedDataGenerator certsOnly = new org.bouncycastle.cms.CMSSignedDataGenerator();
            certsOnly.addCertificate(new org.bouncycastle.cert.jcajce.JcaX509CertificateHolder(ca.raCertificate()));
            certsOnly.addCertificate(new org.bouncycastle.cert.jcajce.JcaX509CertificateHolder(ca.certificate()));
            return Response.ok(certsOnly.generate(new org.bouncycastle.cms.CMSAbsentContent())
                    .getEncoded(org.bouncycastle.asn1.ASN1Encoding.DER), CA_RA_CERT).build();
        } catch (CertificateEncodingException | org.bouncycastle.cms.CMSException | java.io.IOException e) {
            throw new IllegalStateException("Encoding the SCEP CA certificates failed", e);
        }
    }

    /** Handles a pkiMessage that arrived in {@code field}: the message query parameter or the body. */
    private Response pkiOperation(byte[] message, String field) {
        // A pkiMessage with a 4096-bit key and a long subject has a few kilobytes; the default of 64 KiB leaves room.
        long max = limits.scepMessageSize().asLongValue();
        if (message.length > max) {
            String fix = "the pkiMessage has " + message.length + " bytes, more than the maximum of " + max
                    + " bytes set by smime.limits.scep-message-size; send one certificate request per message";
            throw new ProblemException(Response.Status.REQUEST_ENTITY_TOO_LARGE, "message-too-large", "Message too large",
                    "Invalid value for " + field + ": " + fix, List.of(new FieldError(field, message.length + " bytes", fix)));
        }
        IssuingCa ca = ca();
        try {
            return Response.ok(service.handle(message, ca), PKI_MESSAGE).build();
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalidField("message", null, "not a SCEP pkiMessage: " + e.getMessage());
        }
    }

    private IssuingCa ca() {
        return caLoader.ca().orElseThrow(() -> new ProblemException(Response.Status.SERVICE_UNAVAILABLE,
                "scep-not-configured", "SCEP is not configured", "No SCEP issuing CA is configured; set "
                        + "smime.scep.ca-certificate-file and smime.scep.ca-key-file, or smime.scep.ca-pkcs12-file.",
                List.of()));
    }

    private static byte[] decode(String message) {
        if (message == null || message.isBlank()) {
            throw ProblemException.invalidField("message", null, "PKIOperation by GET needs the Base64 pkiMessage in"
                    + " the message parameter");
        }
        try {
            // A '+' that a client left unescaped arrives as a space after query decoding.
            return Base64.getMimeDecoder().decode(message.replace(' ', '+'));
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalidField("message", null, "not Base64: " + e.getMessage());
        }
    }

    private static ProblemException unknownOperation(String operation) {
        return ProblemException.invalidField("operation", operation,
                "use GetCACaps, GetCACert or PKIOperation (POST accepts PKIOperation only)");
    }
}
