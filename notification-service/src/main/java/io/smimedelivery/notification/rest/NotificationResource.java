package io.smimedelivery.notification.rest;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
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
import io.smimedelivery.common.device.DeviceRequestAuthenticator;
import io.smimedelivery.common.problem.ProblemDetail;
import io.smimedelivery.common.problem.ProblemException;
import io.smimedelivery.common.security.Roles;
import io.smimedelivery.notification.delivery.NotificationConfig;
import io.smimedelivery.notification.planning.NotificationStore.FeedEntry;
import io.smimedelivery.notification.planning.NotificationStore;

/** Notification history for administrators, and the Company Portal notification list. */
@Path("/api")
@Produces({ MediaType.APPLICATION_JSON, ProblemDetail.MEDIA_TYPE })
public class NotificationResource {

    /** A notification with every delivery and attempt. */
    public record NotificationView(UUID id, String userId, String policyId, int policyVersion, String kind, String channel,
            String language, Instant createdAt, List<DeliveryView> deliveries) {
    }

    /** One delivery of a notification. */
    public record DeliveryView(UUID id, String channel, String deviceId, String status, int attemptCount,
            String reasonCode, String lastDetail, List<String> deviceIds, Instant createdAt, Instant finishedAt,
            List<NotificationStore.Attempt> attempts) {
    }

    /** An entry of the Company Portal notification list. */
    public record FeedEntryView(UUID id, String title, String body, String link, Instant createdAt, boolean read,
            Instant readAt) {
    }

    private final NotificationStore store;
    private final DeviceRequestAuthenticator devices;

    public NotificationResource(NotificationStore store, NotificationConfig config) {
        this.store = store;
        this.devices = new DeviceRequestAuthenticator(config.deviceTokenAudience(),
                deviceId -> store.device(deviceId).filter(device -> device.retiredAt() == null)
                        .map(NotificationStore.Device::publicKeyPem),
                store::firstNonceUse);
    }

    @RolesAllowed({Roles.ADMIN, Roles.READER})
    @GET
    @Path("/notifications")
    @Tag(name = "Notification history")
    @Operation(summary = "List notifications of a user, of a policy, or both, newest first, with every delivery and attempt")
    public List<NotificationView> history(@QueryParam("userId") String userId, @QueryParam("policyId") String policyId) {
        if (blank(userId) && blank(policyId)) {
            throw ProblemException.invalidField("userId", null,
                    "give userId, policyId or both, such as /api/notifications?userId=usr-123");
        }
        return QuarkusTransaction.requiringNew().call(() -> store.notifications(blank(userId) ? null : userId,
                blank(policyId) ? null : policyId).stream().map(notification -> new NotificationView(notification.id(),
                        notification.userId(), notification.policyId(), notification.policyVersion(), notification.kind(),
                        notification.channel(), notification.language(), notification.createdAt(),
                        store.deliveriesOf(notification.id()).stream().map(delivery -> new DeliveryView(delivery.id(),
                                delivery.channel(), delivery.deviceId().isEmpty() ? null : delivery.deviceId(),
                                delivery.status(), delivery.attempts(), delivery.reasonCode(), delivery.lastDetail(),
                                delivery.deviceIds().isBlank() ? List.of() : List.of(delivery.deviceIds().split(",")),
                                delivery.createdAt(), delivery.finishedAt(), store.attemptsOf(delivery.id()))).toList()))
                .toList());
    }

    @RolesAllowed({Roles.ADMIN, Roles.READER})
    @GET
    @Path("/users/{userId}/company-portal/notifications")
    @Tag(name = "Company Portal notification list")
    @Operation(summary = "Read a user's Company Portal notification list, newest first (administrators)")
    public List<FeedEntryView> userFeed(@PathParam("userId") String userId) {
        return feed(userId);
    }

    @PermitAll
    @GET
    @Path("/devices/{deviceId}/company-portal/notifications")
    @Tag(name = "Company Portal notification list")
    @Operation(summary = "Read the notification list of the device's user, newest first (device token required)")
    public List<FeedEntryView> deviceFeed(@PathParam("deviceId") String deviceId,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        devices.authenticate(authorization, deviceId);
        return feed(userOf(deviceId));
    }

    @PermitAll
    @POST
    @Path("/devices/{deviceId}/company-portal/notifications/{entryId}/read")
    @Tag(name = "Company Portal notification list")
    @Operation(summary = "Mark an entry of the user's notification list read (device token required)")
    public Response markRead(@PathParam("deviceId") String deviceId, @PathParam("entryId") String entryId,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        devices.authenticate(authorization, deviceId);
        UUID id;
        try {
            id = UUID.fromString(entryId);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalidField("entryId", entryId, "use an id from the notification list");
        }
        String userId = userOf(deviceId);
        boolean marked = QuarkusTransaction.requiringNew().call(() -> store.markRead(userId, id));
        if (!marked) {
            throw ProblemException.notFound("Notification list entry", entryId);
        }
        return Response.noContent().build();
    }

    private String userOf(String deviceId) {
        return QuarkusTransaction.requiringNew().call(() -> store.device(deviceId))
                .orElseThrow(() -> ProblemException.notFound("Device", deviceId)).userId();
    }

    private List<FeedEntryView> feed(String userId) {
        return QuarkusTransaction.requiringNew().call(() -> store.feedOf(userId)).stream().map(NotificationResource::view)
                .toList();
    }

    private static FeedEntryView view(FeedEntry entry) {
        return new FeedEntryView(entry.id(), entry.title(), entry.body(), entry.link(), entry.createdAt(),
                entry.readAt() != null, entry.readAt());
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }
}
