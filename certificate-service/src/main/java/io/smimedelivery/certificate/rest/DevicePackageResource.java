package io.smimedelivery.certificate.rest;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smimedelivery.certificate.delivery.DeliveryRecords.LivePackage;
import io.smimedelivery.certificate.delivery.DeliveryRecords.PackageStatus;
import io.smimedelivery.certificate.delivery.DeliveryRecords.StoredPackage;
import io.smimedelivery.certificate.delivery.DeliveryStore;
import io.smimedelivery.certificate.delivery.DeviceAuthenticator;
import io.smimedelivery.certificate.scep.ScepStore;
import io.smimedelivery.common.outbox.Outbox;
import io.smimedelivery.common.problem.ProblemDetail;
import io.smimedelivery.common.problem.ProblemException;
import io.smimedelivery.common.problem.ProblemOr;
import io.smimedelivery.events.PackageRetrieved;
import io.smimedelivery.events.PackagedCertificate;
import io.smimedelivery.events.SigningSource;

/**
 * Device downloads: the list of a device's packages and each package body, a CMS EnvelopedData that
 * only the device's enrollment key opens. Every request carries a token signed by that key.
 */
@Path("/api/devices/{deviceId}/packages")
@Tag(name = "Device packages")
public class DevicePackageResource {

    /** Media type of a package body: CMS EnvelopedData in DER, as S/MIME names it. */
    public static final String PACKAGE_MEDIA_TYPE = "application/pkcs7-mime; smime-type=enveloped-data";

    private static final Logger LOG = Logger.getLogger(DevicePackageResource.class);

    /** A package of the device; the body is downloaded separately. */
    public record PackageView(String packageId, String policyId, int policyVersion, String status, String reasonCode,
            String detail, SigningSource signingSource, List<PackagedCertificate> certificates, Instant createdAt,
            Instant retrievedAt, String downloadPath) {
    }

    private final DeviceAuthenticator authenticator;
    private final DeliveryStore store;
    private final Outbox outbox;
    private final ScepStore scepStore;

    public DevicePackageResource(DeviceAuthenticator authenticator, DeliveryStore store, Outbox outbox, ScepStore scepStore) {
        this.authenticator = authenticator;
        this.store = store;
        this.outbox = outbox;
        this.scepStore = scepStore;
    }

    @PermitAll
    @GET
    @Produces({ MediaType.APPLICATION_JSON, ProblemDetail.MEDIA_TYPE })
    @Operation(summary = "List the device's current packages, ready or failed (device token required)")
    public List<PackageView> list(@PathParam("deviceId") String deviceId,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return QuarkusTransaction.requiringNew().call(() -> {
            authenticator.authenticateInTransaction(authorization, deviceId);
            return store.livePackagesOfDevice(deviceId);
        }).stream().map(pkg -> view(deviceId, pkg)).toList();
    }

    @PermitAll
    @GET
    @Path("/{packageId}")
    @Produces({ PACKAGE_MEDIA_TYPE, ProblemDetail.MEDIA_TYPE })
    @Operation(summary = "Download a package: CMS EnvelopedData to the device's enrollment key (device token required)")
    public Response download(@PathParam("deviceId") String deviceId, @PathParam("packageId") String packageId,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        // The token check and the download share one transaction. Problems are returned from it, not thrown,
        // so the transaction commits and the token's nonce stays used.
        byte[] body = QuarkusTransaction.requiringNew().call(() -> {
            authenticator.authenticateInTransaction(authorization, deviceId);
            return read(deviceId, packageId);
        }).orThrow();
        LOG.infof("Device %s downloaded package %s (%d bytes)", deviceId, packageId, body.length);
        return Response.ok(body, PACKAGE_MEDIA_TYPE)
                .header("Content-Disposition", "attachment; filename=\"" + packageId + ".p7m\"")
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .build();
    }

    /** Reads a package of the device and records its first download, in the caller's transaction. */
    private ProblemOr<byte[]> read(String deviceId, String packageId) {
        UUID id;
        try {
            id = UUID.fromString(packageId);
        } catch (IllegalArgumentException e) {
            return ProblemOr.problem(ProblemException.invalidField("packageId", packageId,
                    "use a package id from the device's package list"));
        }
        StoredPackage stored = store.packageForDownload(deviceId, id).orElse(null);
        if (stored == null) {
            return ProblemOr.problem(ProblemException.notFound("Package", packageId));
        }
        LivePackage pkg = stored.pkg();
        if (pkg.status() == PackageStatus.REVOKED) {
            String reason = stored.revokedReason() == null ? "REVOKED" : stored.revokedReason();
            return ProblemOr.problem(new ProblemException(Response.Status.GONE, "package-revoked", "Package revoked",
                    "Package " + packageId + " was revoked (" + reason + "); list the device's packages for the current one",
                    List.of()));
        }
        if (pkg.status() == PackageStatus.FAILED) {
            return ProblemOr.problem(new ProblemException(Response.Status.CONFLICT, "package-failed", "Package not built",
                    "No package could be built (" + pkg.reasonCode() + "): " + pkg.detail(), List.of()));
        }
        if (stored.envelope() == null) {
            return ProblemOr.problem(ProblemException.notFound("Package", packageId));
        }
        Instant now = Instant.now();
        if (store.markRetrieved(id, now)) {
            outbox.add(new PackageRetrieved(pkg.id().toString(), deviceId, pkg.userId(), pkg.policyId(),
                    pkg.policyVersion(), now));
            // The SCEP challenge inside the package is valid for its lifetime from this first download.
            scepStore.startClock(id, now);
        }
        return ProblemOr.of(stored.envelope());
    }

    private static PackageView view(String deviceId, LivePackage pkg) {
        boolean ready = pkg.status() == PackageStatus.READY;
        return new PackageView(pkg.id().toString(), pkg.policyId(), pkg.policyVersion(), pkg.status().name(),
                pkg.reasonCode(), pkg.detail(), pkg.signingSource(), pkg.certificates(), pkg.createdAt(), pkg.retrievedAt(),
                ready ? "/api/devices/" + deviceId + "/packages/" + pkg.id() : null);
    }
}
