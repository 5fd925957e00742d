package io.smimedelivery.certificate.rest;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.smimedelivery.certificate.rotation.KeyEncryptionInventory;
import io.smimedelivery.certificate.rotation.KeyRotationService;
import io.smimedelivery.certificate.rotation.RotationRun;
import io.smimedelivery.common.problem.ProblemDetail;
import io.smimedelivery.common.problem.ProblemException;
import io.smimedelivery.common.security.Roles;

/** Key-encryption keys in use and their rotation, for administrators. Never returns key material. */
@Path("/api/admin/key-encryption")
@Tag(name = "Key encryption")
@Produces({ MediaType.APPLICATION_JSON, ProblemDetail.MEDIA_TYPE })
public class KeyEncryptionResource {

    private static final String ROTATIONS = "/api/admin/key-encryption/rotations/";

    /** Key ids, stored values per key id, and the last rotation run. */
    public record StatusView(String currentKeyId, List<String> configuredKeyIds, Map<String, Long> valuesByKeyId,
            List<KeyEncryptionInventory.StoredValues> storedValues, List<String> missingKeyIds,
            List<String> removableKeyIds, RotationView lastRotation) {
    }

    /** A rotation run; {@code location} is the URL of this view. */
    public record RotationView(UUID id, String location, String targetKeyId, String status, int done, int total,
            int errors, String lastError, boolean stopRequested, Instant startedAt, Instant finishedAt) {
    }

    private final KeyEncryptionInventory inventory;
    private final KeyRotationService rotation;

    public KeyEncryptionResource(KeyEncryptionInventory inventory, KeyRotationService rotation) {
        this.inventory = inventory;
        this.rotation = rotation;
    }

    @GET
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Read the current and configured key ids, the stored values per key id and table, key ids"
            + " that are missing or removable, and the last rotation run")
    public StatusView status() {
        KeyEncryptionInventory.Inventory current = inventory.inventory();
        return new StatusView(current.currentKeyId(), current.configuredKeyIds(), current.valuesByKeyId(),
                current.storedValues(), current.missingKeyIds(), current.removableKeyIds(),
                rotation.latestRun().map(KeyEncryptionResource::view).orElse(null));
    }

    @POST
    @Path("/rotations")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Start re-encrypting every stored value under the current key id in the background, or"
            + " return the run in progress; Location names the run")
    public Response startRotation() {
        RotationView view = view(rotation.start());
        return Response.accepted(view).location(URI.create(view.location())).build();
    }

    @GET
    @Path("/rotations/{id}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Read the progress of a rotation run")
    public RotationView rotation(@PathParam("id") String id) {
        UUID runId = runId(id);
        return rotation.run(runId).map(KeyEncryptionResource::view)
                .orElseThrow(() -> ProblemException.notFound("Key rotation", id));
    }

    @POST
    @Path("/rotations/{id}/stop")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Stop a running rotation after its current batch; a new rotation continues with the rest")
    public Response stopRotation(@PathParam("id") String id) {
        RotationView view = view(rotation.stop(runId(id)));
        return Response.accepted(view).location(URI.create(view.location())).build();
    }

    private static UUID runId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalidField("id", id, "expected the UUID of a rotation run, as in the Location of"
                    + " POST /api/admin/key-encryption/rotations");
        }
    }

    private static RotationView view(RotationRun run) {
        return new RotationView(run.id(), ROTATIONS + run.id(), run.targetKeyId(), run.status(), run.done(), run.total(),
                run.errors(), run.lastError(), run.stopRequested(), run.startedAt(), run.finishedAt());
    }
}
