package io.smimedelivery.device.rest;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
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
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.identity.SecurityIdentity;
import io.smimedelivery.common.device.DeviceRequestAuthenticator;
import io.smimedelivery.common.problem.ProblemDetail;
import io.smimedelivery.common.problem.ProblemException;
import io.smimedelivery.common.problem.ProblemOr;
import io.smimedelivery.common.problem.QueryParameters;
import io.smimedelivery.common.security.BearerAuthorization;
import io.smimedelivery.common.security.Roles;
import io.smimedelivery.device.enrollment.DeviceRecord;
import io.smimedelivery.device.enrollment.DeviceStore;
import io.smimedelivery.device.enrollment.EnrollmentConfig;
import io.smimedelivery.device.enrollment.EnrollmentRequest;
import io.smimedelivery.device.enrollment.EnrollmentService;
import io.smimedelivery.device.status.InstallationService;
import io.smimedelivery.device.status.StatusTracker;

/** Device enrollment, as MDM enrollment and Company Portal call it, and the device list. */
@Path("/api/devices")
@Tag(name = "Devices")
@Produces({ MediaType.APPLICATION_JSON, ProblemDetail.MEDIA_TYPE })
public class DeviceResource {

    /** A device without its push token, which stays sealed. */
    public record DeviceView(String deviceId, String userId, String platform, String osVersion, String model,
            String serialNumber, String managementState, boolean pushTokenPresent, Instant enrolledAt, Instant updatedAt,
            Instant retiredAt, String retiredReason, String devicePublicKeyPem) {
    }

    /** A new push token. */
    public record PushTokenRequest(String pushToken) {

        /** Never prints the token. */
        @Override
        public String toString() {
            return "PushTokenRequest[present=" + (pushToken != null) + "]";
        }
    }

    /** The reason for retiring a device. */
    public record RetireRequest(String reason) {
    }

    /** The retrieval status of a device for each policy, and the transitions that led there. */
    public record DeviceStatusView(String deviceId, List<StatusTracker.StoredStatus> policies,
            List<StatusTracker.Transition> transitions) {
    }

    /** A device's report of the certificates it installed from a package. */
    public record InstallationReport(String packageId, List<String> thumbprints) {
    }

    private static final int MAX_PAGE = 500;

    private final EnrollmentService enrollment;
    private final DeviceStore store;
    private final InstallationService installations;
    private final StatusTracker tracker;
    private final DeviceRequestAuthenticator devices;
    private final SecurityIdentity identity;

    public DeviceResource(EnrollmentService enrollment, DeviceStore store, InstallationService installations,
            StatusTracker tracker, EnrollmentConfig config, SecurityIdentity identity) {
        this.tracker = tracker;
        this.identity = identity;
        this.enrollment = enrollment;
        this.store = store;
        this.installations = installations;
        this.devices = new DeviceRequestAuthenticator(config.deviceTokenAudience(),
                deviceId -> store.device(deviceId).filter(device -> device.retiredAt() == null)
                        .map(DeviceRecord::publicKeyPem),
                store::firstNonceUse);
    }

    @RolesAllowed({Roles.ADMIN, Roles.ENROLLER})
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Enroll a device, or enroll it again with new data (201 when new, 200 when updated)")
    public Response enroll(EnrollmentRequest request) {
        EnrollmentService.Enrolled enrolled = enrollment.enroll(request);
        DeviceView view = view(enrolled.device());
        return enrolled.created()
                ? Response.created(URI.create("/api/devices/" + view.deviceId())).entity(view).build()
                : Response.ok(view).build();
    }

    @RolesAllowed({Roles.ADMIN, Roles.READER})
    @GET
    @Operation(summary = "List devices, of one user when userId is given, by device id")
    public List<DeviceView> list(@QueryParam("userId") String userId, @QueryParam("limit") String limitText,
            @QueryParam("offset") String offsetText) {
        int limit = QueryParameters.integer("limit", limitText, 100, 1, MAX_PAGE);
        int offset = QueryParameters.integer("offset", offsetText, 0, 0, Integer.MAX_VALUE);
        return QuarkusTransaction.requiringNew().call(() -> store.devices(blank(userId) ? null : userId, limit, offset))
                .stream().map(DeviceResource::view).toList();
    }

    @RolesAllowed({Roles.ADMIN, Roles.READER})
    @GET
    @Path("/{deviceId}")
    @Operation(summary = "Read a device")
    public DeviceView get(@PathParam("deviceId") String deviceId) {
        return QuarkusTransaction.requiringNew().call(() -> store.device(deviceId)).map(DeviceResource::view)
                .orElseThrow(() -> ProblemException.notFound("Device", deviceId));
    }

    @PermitAll
    @GET
    @Path("/{deviceId}/status")
    @Operation(summary = "Read the device's retrieval status per policy and its transitions, oldest first (at most 1000);"
            + " an administrator token (smime-admin or smime-reader) reads any device, a device token only its own")
    public DeviceStatusView status(@PathParam("deviceId") String deviceId,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        if (BearerAuthorization.isBearer(authorization)) {
            if (!identity.hasRole(Roles.ADMIN) && !identity.hasRole(Roles.READER)) {
                throw new ForbiddenException();
            }
        } else {
            devices.authenticate(authorization, deviceId);
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            store.device(deviceId).orElseThrow(() -> ProblemException.notFound("Device", deviceId));
            return new DeviceStatusView(deviceId, tracker.statusesOf(deviceId), tracker.transitionsOf(deviceId, 1000));
        });
    }

    @PermitAll
    @PUT
    @Path("/{deviceId}/push-token")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace the device's APNs token (device token required)")
    public DeviceView updatePushToken(@PathParam("deviceId") String deviceId, PushTokenRequest request,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        devices.authenticate(authorization, deviceId);
        return view(enrollment.updatePushToken(deviceId, request == null ? null : request.pushToken()));
    }

    @RolesAllowed(Roles.ADMIN)
    @POST
    @Path("/{deviceId}/retire")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Retire a device: nothing more is delivered to it and its packages are revoked")
    public DeviceView retire(@PathParam("deviceId") String deviceId, RetireRequest request) {
        return view(enrollment.retire(deviceId, request == null ? null : request.reason()));
    }

    @PermitAll
    @POST
    @Path("/{deviceId}/installations")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Report the certificates the device installed from a package (device token required)")
    public StatusTracker.StoredStatus confirmInstallation(@PathParam("deviceId") String deviceId,
            InstallationReport report, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        // The token check and the report share one transaction. Problems are returned from it, not thrown, so
        // the transaction commits and the token's nonce stays used.
        return QuarkusTransaction.requiringNew().call(() -> {
            devices.authenticateInTransaction(authorization, deviceId);
            if (report == null) {
                return ProblemOr.<StatusTracker.StoredStatus>problem(ProblemException.invalidField("body", null,
                        "send {\"packageId\": ..., \"thumbprints\": [...]}"));
            }
            return installations.confirm(deviceId, report.packageId(), report.thumbprints());
        }).orThrow();
    }

    private static DeviceView view(DeviceRecord device) {
        return new DeviceView(device.deviceId(), device.userId(), device.platform(), device.osVersion(), device.model(),
                device.serialNumber(), device.managementState(), device.pushToken() != null, device.enrolledAt(),
                device.updatedAt(), device.retiredAt(), device.retiredReason(), device.publicKeyPem());
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }
}
