package io.smimedelivery.certificate.derived;

import java.time.Instant;
import java.util.List;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.smimedelivery.certificate.delivery.DeviceAuthenticator;
import io.smimedelivery.certificate.derived.DerivedCredentialStore.DerivedCredential;
import io.smimedelivery.common.problem.ProblemDetail;
import io.smimedelivery.common.problem.ProblemException;

/** Devices report the derived credentials they hold; only the certificates, never keys. */
@Path("/api/devices/{deviceId}/derived-credentials")
@Tag(name = "Derived credentials")
public class DerivedCredentialResource {

    /**
     * A reported credential.
     *
     * @param purpose        SIGNING or ENCRYPTION
     * @param certificatePem the credential's certificate, PEM
     * @param chainPem       the certificates between it and the provider's root, PEM, optional
     */
    public record ReportRequest(String purpose, String certificatePem, List<String> chainPem) {
    }

    /** A stored credential. */
    public record CredentialView(String purpose, String thumbprintSha256, String serialNumber, String subject,
            String issuer, Instant notBefore, Instant notAfter, Instant reportedAt, Instant renewalDueAt) {

        static CredentialView of(DerivedCredential credential) {
            return new CredentialView(credential.purpose(), credential.thumbprintSha256(), credential.serialNumber(),
                    credential.subject(), credential.issuer(), credential.notBefore(), credential.notAfter(),
                    credential.reportedAt(), credential.renewalDueAt());
        }
    }

    private final DeviceAuthenticator authenticator;
    private final DerivedCredentialService service;
    private final DerivedCredentialStore store;

    public DerivedCredentialResource(DeviceAuthenticator authenticator, DerivedCredentialService service,
            DerivedCredentialStore store) {
        this.authenticator = authenticator;
        this.service = service;
        this.store = store;
    }

    @PermitAll
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({ MediaType.APPLICATION_JSON, ProblemDetail.MEDIA_TYPE })
    @Operation(summary = "Report a derived credential of the device (device token required)")
    public CredentialView report(@PathParam("deviceId") String deviceId, ReportRequest request,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        authenticator.authenticate(authorization, deviceId);
        if (request == null) {
            throw ProblemException.invalidField("body", null,
                    "send {\"purpose\": \"SIGNING\" or \"ENCRYPTION\", \"certificatePem\": ..., \"chainPem\": [...]}");
        }
        return CredentialView.of(service.report(deviceId, request.purpose(), request.certificatePem(), request.chainPem()));
    }

    @PermitAll
    @GET
    @Produces({ MediaType.APPLICATION_JSON, ProblemDetail.MEDIA_TYPE })
    @Operation(summary = "List the device's current derived credentials (device token required)")
    public List<CredentialView> list(@PathParam("deviceId") String deviceId,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        authenticator.authenticate(authorization, deviceId);
        return store.currentOf(deviceId).stream().map(CredentialView::of).toList();
    }
}
