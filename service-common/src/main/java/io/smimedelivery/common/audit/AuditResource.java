package io.smimedelivery.common.audit;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smimedelivery.common.audit.AuditLog.AuditEvent;
import io.smimedelivery.common.problem.ProblemException;
import io.smimedelivery.common.problem.QueryParameters;
import io.smimedelivery.common.security.Roles;

/** The audit log of this service's administrator actions, for smime-admin only. */
@Path("/api/audit")
@Tag(name = "Audit log")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1000;

    private final AuditLog auditLog;

    public AuditResource(AuditLog auditLog) {
        this.auditLog = auditLog;
    }

    @RolesAllowed(Roles.ADMIN)
    @GET
    @Operation(summary = "List administrator actions, newest first: who, method and path, when, status and outcome"
            + " (SUCCEEDED, FAILED or DENIED); filter by actor and by time (ISO-8601, from inclusive, to exclusive)")
    public List<AuditEvent> list(@QueryParam("actor") String actor, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("limit") String limitText) {
        int limit = QueryParameters.integer("limit", limitText, DEFAULT_LIMIT, 1, MAX_LIMIT);
        Instant fromTime = instant("from", from);
        Instant toTime = instant("to", to);
        String actorFilter = actor == null || actor.isBlank() ? null : actor.strip();
        return QuarkusTransaction.requiringNew().call(() -> auditLog.find(actorFilter, fromTime, toTime, limit));
    }

    private static Instant instant(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw ProblemException.invalidField(field, value, "use an ISO-8601 instant such as 2026-12-05T09:00:00Z");
        }
    }
}
