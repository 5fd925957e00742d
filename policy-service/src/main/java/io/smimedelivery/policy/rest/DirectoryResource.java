package io.smimedelivery.policy.rest;

import java.io.InputStream;
import java.time.Instant;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.smimedelivery.common.problem.ProblemDetail;
import io.smimedelivery.common.problem.ProblemException;
import io.smimedelivery.common.security.Roles;
import io.smimedelivery.policy.assignment.AssignmentService;
import io.smimedelivery.policy.directory.Directory;
import io.smimedelivery.policy.directory.DirectoryImport;
import io.smimedelivery.policy.directory.DirectoryService;
import io.smimedelivery.policy.directory.ImportResult;
import io.smimedelivery.policy.directory.UserData;
import io.smimedelivery.policy.entity.DirectoryGroup;
import io.smimedelivery.policy.entity.DirectoryUser;

/** Directory users, groups and memberships, one at a time or in bulk. */
@Path("/api/directory")
@Tag(name = "Directory")
@Produces({ MediaType.APPLICATION_JSON, ProblemDetail.MEDIA_TYPE })
public class DirectoryResource {

    private static final String CSV = "text/csv";

    /** A user as the API returns it. */
    public record UserResponse(String id, String userPrincipalName, String email, String displayName,
            String preferredLanguage, List<String> groups, Instant createdAt, Instant updatedAt) {
    }

    /** A group's name and description, as sent to create or update it. */
    public record GroupRequest(String displayName, String description) {
    }

    /** A group as the API returns it. */
    public record GroupResponse(String id, String displayName, String description, Instant createdAt) {
    }

    /** User fields as sent to create or update a user; the id comes from the path. */
    public record UserRequest(String userPrincipalName, String email, String displayName, String preferredLanguage) {
    }

    private final DirectoryService service;
    private final Directory directory;
    private final DirectoryImport imports;
    private final AssignmentService assignments;

    public DirectoryResource(DirectoryService service, Directory directory, DirectoryImport imports,
            AssignmentService assignments) {
        this.service = service;
        this.directory = directory;
        this.imports = imports;
        this.assignments = assignments;
    }

    @RolesAllowed(Roles.ADMIN)
    @PUT
    @Path("/users/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "200", description = "User updated")
    @APIResponse(responseCode = "201", description = "User created")
    @Operation(summary = "Create or update a user")
    public Response putUser(@PathParam("id") String id, UserRequest request) {
        if (request == null) {
            throw ProblemException.invalidField("body", null, "send the user as JSON");
        }
        DirectoryService.UpsertResult result = service.upsertUser(new UserData(id, request.userPrincipalName(),
                request.email(), request.displayName(), request.preferredLanguage()));
        if (!result.errors().isEmpty()) {
            throw ProblemFactory.invalid("Invalid user", result.errors());
        }
        UserResponse user = user(service.requireUser(id));
        return Response.status(result.change() == Directory.Change.CREATED ? Response.Status.CREATED : Response.Status.OK)
                .entity(user).build();
    }

    @RolesAllowed({Roles.ADMIN, Roles.READER})
    @GET
    @Path("/users/{id}")
    @Operation(summary = "Read a user")
    public UserResponse getUser(@PathParam("id") String id) {
        return user(service.requireUser(id));
    }

    @RolesAllowed({Roles.ADMIN, Roles.READER})
    @GET
    @Path("/users")
    @Operation(summary = "List users in id order, a page at a time")
    public List<UserResponse> listUsers(@QueryParam("after") String after, @QueryParam("limit") @DefaultValue("100") String limit) {
        return directory.listUsers(after, ProblemFactory.pageSize(limit)).stream().map(this::user).toList();
    }

    @RolesAllowed(Roles.ADMIN)
    @DELETE
    @Path("/users/{id}")
    @APIResponse(responseCode = "204", description = "User deleted")
    @Operation(summary = "Delete a user; their policies are unassigned")
    public Response deleteUser(@PathParam("id") String id) {
        service.deleteUser(id);
        return Response.noContent().build();
    }

    @RolesAllowed({Roles.ADMIN, Roles.READER})
    @GET
    @Path("/users/{id}/assignments")
    @Operation(summary = "List the policies a user receives and the settings on which they conflict")
    public AssignmentService.UserAssignments userAssignments(@PathParam("id") String id) {
        return assignments.userAssignments(id);
    }

    @RolesAllowed(Roles.ADMIN)
    @POST
    @Path("/users/import")
    @Consumes({ MediaType.APPLICATION_JSON, CSV })
    @Operation(summary = "Import users from a JSON array or a CSV file with the header id,userPrincipalName,email,displayName,preferredLanguage")
    public ImportResult importUsers(InputStream body, @jakarta.ws.rs.core.Context HttpHeaders headers) {
        return imports.importUsers(body, format(headers));
    }

    @RolesAllowed(Roles.ADMIN)
    @POST
    @Path("/memberships/import")
    @Consumes({ MediaType.APPLICATION_JSON, CSV })
    @Operation(summary = "Add or remove members from a JSON array or a CSV file with the header groupId,userId,userPrincipalName,action")
    public ImportResult importMemberships(InputStream body, @jakarta.ws.rs.core.Context HttpHeaders headers) {
        return imports.importMemberships(body, format(headers));
    }

    @RolesAllowed(Roles.ADMIN)
    @PUT
    @Path("/groups/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "200", description = "Group updated")
    @APIResponse(responseCode = "201", description = "Group created")
    @Operation(summary = "Create or update a group")
    public Response putGroup(@PathParam("id") String id, GroupRequest request) {
        if (request == null) {
            throw ProblemException.invalidField("body", null, "send the group as JSON");
        }
        Directory.Change change = service.upsertGroup(id, request.displayName(), request.description());
        return Response.status(change == Directory.Change.CREATED ? Response.Status.CREATED : Response.Status.OK)
                .entity(group(service.requireGroup(id))).build();
    }

    @RolesAllowed({Roles.ADMIN, Roles.READER})
    @GET
    @Path("/groups/{id}")
    @Operation(summary = "Read a group")
    public GroupResponse getGroup(@PathParam("id") String id) {
        return group(service.requireGroup(id));
    }

    @RolesAllowed({Roles.ADMIN, Roles.READER})
    @GET
    @Path("/groups")
    @Operation(summary = "List groups in id order, a page at a time")
    public List<GroupResponse> listGroups(@QueryParam("after") String after, @QueryParam("limit") @DefaultValue("100") String limit) {
        return directory.listGroups(after, ProblemFactory.pageSize(limit)).stream().map(DirectoryResource::group).toList();
    }

    @RolesAllowed(Roles.ADMIN)
    @DELETE
    @Path("/groups/{id}")
    @APIResponse(responseCode = "204", description = "Group deleted")
    @Operation(summary = "Delete a group; policies assigned to it are unassigned from its members")
    public Response deleteGroup(@PathParam("id") String id) {
        service.deleteGroup(id);
        return Response.noContent().build();
    }

    @RolesAllowed({Roles.ADMIN, Roles.READER})
    @GET
    @Path("/groups/{id}/members")
    @Operation(summary = "List member ids in order, a page at a time")
    public List<String> members(@PathParam("id") String id, @QueryParam("after") String after,
            @QueryParam("limit") @DefaultValue("1000") String limit) {
        service.requireGroup(id);
        return directory.memberIds(id, after, ProblemFactory.pageSize(limit));
    }

    @RolesAllowed(Roles.ADMIN)
    @PUT
    @Path("/groups/{id}/members/{userId}")
    @APIResponse(responseCode = "200", description = "Already a member")
    @APIResponse(responseCode = "201", description = "Member added")
    @Operation(summary = "Add a member; the group's policies are assigned to the user")
    public Response addMember(@PathParam("id") String id, @PathParam("userId") String userId) {
        boolean added = service.addMember(id, userId);
        return Response.status(added ? Response.Status.CREATED : Response.Status.OK).build();
    }

    @RolesAllowed(Roles.ADMIN)
    @DELETE
    @Path("/groups/{id}/members/{userId}")
    @APIResponse(responseCode = "204", description = "Member removed")
    @Operation(summary = "Remove a member; policies only this group brought are unassigned")
    public Response removeMember(@PathParam("id") String id, @PathParam("userId") String userId) {
        if (!service.removeMember(id, userId)) {
            throw ProblemException.notFound("Member " + userId + " of group", id);
        }
        return Response.noContent().build();
    }

    private UserResponse user(DirectoryUser user) {
        return new UserResponse(user.id, user.userPrincipalName, user.email, user.displayName, user.preferredLanguage,
                directory.groupIdsOf(user.id), user.createdAt, user.updatedAt);
    }

    private static GroupResponse group(DirectoryGroup group) {
        return new GroupResponse(group.id, group.displayName, group.description, group.createdAt);
    }

    private static DirectoryImport.Format format(HttpHeaders headers) {
        MediaType type = headers.getMediaType();
        if (type == null) {
            throw new BadRequestException("Missing Content-Type");
        }
        return type.isCompatible(MediaType.APPLICATION_JSON_TYPE) ? DirectoryImport.Format.JSON : DirectoryImport.Format.CSV;
    }
}
