package io.smimedelivery.device.landing;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The landing page that pushes and e-mails link to. It needs no login, because device ids are not
 * secret, so it shows only what {@link LandingPages} allows.
 */
@Path("/landing")
@Tag(name = "Landing page")
public class LandingResource {

    static final String HTML_UTF8 = "text/html;charset=UTF-8";

    /**
     * Allows inline styles and nothing else, so the page loads no script and no resource from
     * another address even if a stored text were ever rendered unescaped.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; "
            + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final LandingPages pages;

    public LandingResource(LandingPages pages) {
        this.pages = pages;
    }

    @PermitAll
    @GET
    @Path("/{deviceId}")
    @Produces(HTML_UTF8)
    @Operation(summary = "Show the S/MIME delivery status of a device, for every policy or only the given one, "
            + "as an HTML page in Italian or English (404 for an unknown device or policy)")
    public Response show(@PathParam("deviceId") String deviceId, @QueryParam("policy") String policyId,
            @QueryParam("lang") String language) {
        String policy = policyId == null || policyId.isBlank() ? null : policyId.strip();
        LandingPages.RenderedPage page = QuarkusTransaction.requiringNew()
                .call(() -> pages.render(deviceId, policy, language));
        return Response.status(page.status())
                .type(HTML_UTF8)
                .entity(page.html())
                // The status changes while the user waits, so a reload must always ask the service.
                .header("Cache-Control", "no-store")
                .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .build();
    }
}
