package io.smimedelivery.policy.rest;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.smimedelivery.common.problem.ProblemDetail;
import io.smimedelivery.common.problem.ProblemException;
import io.smimedelivery.common.security.Roles;
import io.smimedelivery.events.appconfig.OutlookAppConfig;
import io.smimedelivery.events.appconfig.OutlookSmimeSettings;
import io.smimedelivery.policy.assignment.AssignmentService;
import io.smimedelivery.policy.entity.AssignmentJob;
import io.smimedelivery.policy.policy.PolicyDocument;
import io.smimedelivery.policy.policy.PolicyRequest;
import io.smimedelivery.policy.policy.PolicyResponse;
import io.smimedelivery.policy.policy.PolicyService;

/** Outlook S/MIME app configuration policies, their group assignments and their app configuration. */
@Path("/api/policies")
@Tag(name = "Policies")
@Produces({ MediaType.APPLICATION_JSON, ProblemDetail.MEDIA_TYPE })
public class PolicyResource {

    /** Media type of an Apple property list. */
    public static final String PLIST = "application/x-plist";

    /** Body of a group assignment. */
    public record AssignmentRequest(String mode) {
    }

    private final PolicyService policies;
    private final AssignmentService assignments;

    public PolicyResource(PolicyService policies, AssignmentService assignments) {
        this.policies = policies;
        this.assignments = assignments;
    }

    @RolesAllowed(Roles.ADMIN)
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "201", description = "Policy created at version 1")
    @Operation(summary = "Create a policy at version 1")
    public Response create(PolicyRequest request) {
        PolicyResponse created = policies.create(request);
        return Response.created(URI.create("/api/policies/" + created.id())).entity(created).build();
    }

    @RolesAllowed({Roles.ADMIN, Roles.READER})
    @GET
    @Operation(summary = "List policies that are not deleted")
    public List<PolicyResponse> list() {
        return policies.list();
    }

    @RolesAllowed({Roles.ADMIN, Roles.READER})
    @GET
    @Path("/{id}")
    @Operation(summary = "Read a policy's newest version")
    public PolicyResponse get(@PathParam("id") String id) {
        return policies.get(ProblemFactory.uuid(id, "Policy"));
    }

    @RolesAllowed(Roles.ADMIN)
    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace a policy's settings; changed settings make a new version that is sent to assigned users")
    public PolicyResponse update(@PathParam("id") String id, PolicyRequest request) {
        return policies.update(ProblemFactory.uuid(id, "Policy"), request);
    }

    @RolesAllowed(Roles.ADMIN)
    @DELETE
    @Path("/{id}")
    @APIResponse(responseCode = "202", description = "Policy deleted; the body is the job that unassigns it")
    @Operation(summary = "Delete a policy; returns the job that unassigns it from every user")
    public Response delete(@PathParam("id") String id) {
        return Response.accepted(JobResource.view(policies.delete(ProblemFactory.uuid(id, "Policy")))).build();
    }

    @RolesAllowed({Roles.ADMIN, Roles.READER})
    @GET
    @Path("/{id}/versions/{version}")
    @Operation(summary = "Read the settings of one version")
    public PolicyDocument version(@PathParam("id") String id, @PathParam("version") int version) {
        return policies.version(ProblemFactory.uuid(id, "Policy"), version);
    }

    @RolesAllowed({Roles.ADMIN, Roles.READER})
    @GET
    @Path("/{id}/assignments")
    @Operation(summary = "List the groups a policy is assigned to")
    public List<AssignmentService.GroupAssignment> assignments(@PathParam("id") String id) {
        return assignments.assignments(ProblemFactory.uuid(id, "Policy"));
    }

    @RolesAllowed(Roles.ADMIN)
    @PUT
    @Path("/{id}/assignments/{groupId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "202", description = "Assignment stored; the body is the fan-out job")
    @Operation(summary = "Include or exclude a group; returns the fan-out job at once")
    public Response assign(@PathParam("id") String id, @PathParam("groupId") String groupId, AssignmentRequest request) {
        AssignmentJob job = assignments.assign(ProblemFactory.uuid(id, "Policy"), groupId, request == null ? null : request.mode());
        return Response.accepted(JobResource.view(job)).location(URI.create("/api/assignment-jobs/" + job.id)).build();
    }

    @RolesAllowed(Roles.ADMIN)
    @DELETE
    @Path("/{id}/assignments/{groupId}")
    @APIResponse(responseCode = "202", description = "Assignment removed; the body is the fan-out job")
    @Operation(summary = "Remove a group assignment; returns the fan-out job at once")
    public Response unassign(@PathParam("id") String id, @PathParam("groupId") String groupId) {
        AssignmentJob job = assignments.unassign(ProblemFactory.uuid(id, "Policy"), groupId);
        return Response.accepted(JobResource.view(job)).location(URI.create("/api/assignment-jobs/" + job.id)).build();
    }

    @RolesAllowed({Roles.ADMIN, Roles.READER})
    @GET
    @Path("/{id}/jobs")
    @Operation(summary = "List a policy's fan-out jobs, newest first")
    public List<JobResource.JobView> jobs(@PathParam("id") String id) {
        policies.require(ProblemFactory.uuid(id, "Policy"));
        return assignments.jobs(ProblemFactory.uuid(id, "Policy")).stream().map(JobResource::view).toList();
    }

    @RolesAllowed({Roles.ADMIN, Roles.READER})
    @GET
    @Path("/{id}/app-configuration")
    @Produces({ MediaType.APPLICATION_JSON, PLIST, ProblemDetail.MEDIA_TYPE })
    @APIResponse(responseCode = "200", description = "Managed app configuration keys")
    @Operation(summary = "Render the managed app configuration Outlook for iOS reads, as JSON or as an Apple plist")
    public Response appConfiguration(@PathParam("id") String id,
            @jakarta.ws.rs.HeaderParam("Accept") String accept) {
        PolicyDocument document = policies.get(ProblemFactory.uuid(id, "Policy")).settings();
        Map<String, Object> keys = OutlookAppConfig.keys(appConfigSettings(document));
        if (accept != null && accept.contains(PLIST)) {
            return Response.ok(OutlookAppConfig.toPlist(keys), PLIST).build();
        }
        return Response.ok(OutlookAppConfig.toJson(keys), MediaType.APPLICATION_JSON).build();
    }

    static OutlookSmimeSettings appConfigSettings(PolicyDocument document) {
        try {
            return new OutlookSmimeSettings(document.smimeEnabled(), document.smimeUserChangeAllowed(),
                    document.encryptAllMail(), document.encryptAllMailUserChangeAllowed(), document.signAllMail(),
                    document.signAllMailUserChangeAllowed(), document.ldapHostName(), document.deployCertificates(),
                    OutlookSmimeSettings.MODERN_AUTH);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(Response.Status.CONFLICT, "unrenderable-policy", "Policy cannot be rendered",
                    e.getMessage(), List.of());
        }
    }
}
