package io.smimedelivery.policy.rest;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.smimedelivery.common.problem.ProblemDetail;
import io.smimedelivery.common.security.Roles;
import io.smimedelivery.policy.entity.ScepProfile;
import io.smimedelivery.policy.entity.TrustedRootProfile;
import io.smimedelivery.policy.profile.ProfileService;
import io.smimedelivery.policy.scep.ScepProfileSpec;

/** Trusted root profiles and SCEP profiles. */
@Path("/api")
@Tag(name = "Profiles")
@Produces({ MediaType.APPLICATION_JSON, ProblemDetail.MEDIA_TYPE })
public class ProfileResource {

    /** A trusted root upload as JSON: a name and the certificate in PEM. */
    public record TrustedRootRequest(String name, String certificatePem) {
    }

    /** A trusted root profile as the API returns it. */
    public record TrustedRootView(UUID id, String name, String subjectDn, String issuerDn, String serialNumberHex,
            String thumbprintSha256, Instant notBefore, Instant notAfter, boolean expired, String certificatePem) {
    }

    /** A SCEP profile as the API returns it. */
    public record ScepProfileView(UUID id, Instant createdAt, ScepProfileSpec definition) {
    }

    private final ProfileService profiles;

    public ProfileResource(ProfileService profiles) {
        this.profiles = profiles;
    }

    @RolesAllowed(Roles.ADMIN)
    @POST
    @Path("/trusted-roots")
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "201", description = "Trusted root profile created")
    @Operation(summary = "Upload a CA certificate in PEM as JSON {name, certificatePem}")
    public Response uploadJson(TrustedRootRequest request) {
        String pem = request == null ? null : request.certificatePem();
        TrustedRootProfile profile = profiles.createTrustedRoot(request == null ? null : request.name(),
                pem == null ? new byte[0] : pem.getBytes(StandardCharsets.UTF_8));
        return Response.created(URI.create("/api/trusted-roots/" + profile.id)).entity(view(profile)).build();
    }

    @RolesAllowed(Roles.ADMIN)
    @POST
    @Path("/trusted-roots")
    @Consumes({ "application/x-pem-file", "application/pkix-cert", "application/x-x509-ca-cert", MediaType.APPLICATION_OCTET_STREAM })
    @APIResponse(responseCode = "201", description = "Trusted root profile created")
    @Operation(summary = "Upload a CA certificate file (PEM or DER); the profile name is the name query parameter")
    public Response uploadFile(@QueryParam("name") String name, byte[] body) {
        TrustedRootProfile profile = profiles.createTrustedRoot(name, body);
        return Response.created(URI.create("/api/trusted-roots/" + profile.id)).entity(view(profile)).build();
    }

    @RolesAllowed({Roles.ADMIN, Roles.READER})
    @GET
    @Path("/trusted-roots")
    @Operation(summary = "List trusted root profiles")
    public List<TrustedRootView> listTrustedRoots() {
        List<TrustedRootProfile> all = TrustedRootProfile.list("order by createdAt");
        return all.stream().map(ProfileResource::view).toList();
    }

    @RolesAllowed({Roles.ADMIN, Roles.READER})
    @GET
    @Path("/trusted-roots/{id}")
    @Operation(summary = "Read a trusted root profile")
    public TrustedRootView trustedRoot(@PathParam("id") String id) {
        return view(profiles.trustedRoot(ProblemFactory.uuid(id, "Trusted root profile")));
    }

    @RolesAllowed(Roles.ADMIN)
    @DELETE
    @Path("/trusted-roots/{id}")
    @APIResponse(responseCode = "204", description = "Profile deleted")
    @Operation(summary = "Delete a trusted root profile that nothing uses")
    public Response deleteTrustedRoot(@PathParam("id") String id) {
        profiles.deleteTrustedRoot(ProblemFactory.uuid(id, "Trusted root profile"));
        return Response.noContent().build();
    }

    @RolesAllowed(Roles.ADMIN)
    @POST
    @Path("/scep-profiles")
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "201", description = "SCEP profile created")
    @Operation(summary = "Create a SCEP certificate profile")
    public Response createScepProfile(ScepProfileSpec spec) {
        ScepProfile profile = profiles.createScepProfile(spec);
        return Response.created(URI.create("/api/scep-profiles/" + profile.id)).entity(view(profile)).build();
    }

    @RolesAllowed({Roles.ADMIN, Roles.READER})
    @GET
    @Path("/scep-profiles")
    @Operation(summary = "List SCEP profiles")
    public List<ScepProfileView> listScepProfiles() {
        List<ScepProfile> all = ScepProfile.list("order by createdAt");
        return all.stream().map(this::view).toList();
    }

    @RolesAllowed({Roles.ADMIN, Roles.READER})
    @GET
    @Path("/scep-profiles/{id}")
    @Operation(summary = "Read a SCEP profile")
    public ScepProfileView scepProfile(@PathParam("id") String id) {
        return view(profiles.scepProfile(ProblemFactory.uuid(id, "SCEP profile")));
    }

    @RolesAllowed(Roles.ADMIN)
    @DELETE
    @Path("/scep-profiles/{id}")
    @APIResponse(responseCode = "204", description = "Profile deleted")
    @Operation(summary = "Delete a SCEP profile that no policy uses")
    public Response deleteScepProfile(@PathParam("id") String id) {
        profiles.deleteScepProfile(ProblemFactory.uuid(id, "SCEP profile"));
        return Response.noContent().build();
    }

    private static TrustedRootView view(TrustedRootProfile profile) {
        return new TrustedRootView(profile.id, profile.name, profile.subjectDn, profile.issuerDn, profile.serialNumberHex,
                profile.thumbprintSha256, profile.notBefore, profile.notAfter, profile.notAfter.isBefore(Instant.now()),
                profile.certificatePem);
    }

    private ScepProfileView view(ScepProfile profile) {
        return new ScepProfileView(profile.id, profile.createdAt, profiles.definition(profile));
    }
}
