package io.smimedelivery.common.audit;

import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smimedelivery.common.audit.AuditLog.AuditEvent;
import io.smimedelivery.common.security.BearerAuthorization;

/**
 * Records each administrator action in the audit log once its response is ready. An action is a request
 * with an administrator token that may change state (any method but GET, HEAD and OPTIONS), whatever its
 * result, or any request refused for its role (403). Requests without a valid token (401) and device
 * requests carry no administrator identity, so they are not recorded. Each event is written in a
 * transaction of its own, so a failed action that rolled back still leaves its record.
 */
public class AuditFilter {

    private static final Logger LOG = Logger.getLogger(AuditFilter.class);
    private static final Set<String> READ_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private final AuditLog auditLog;
    private final CurrentIdentityAssociation identities;

    public AuditFilter(AuditLog auditLog, CurrentIdentityAssociation identities) {
        this.auditLog = auditLog;
        this.identities = identities;
    }

    @ServerResponseFilter
    public void record(ContainerRequestContext request, ContainerResponseContext response) {
        String method = request.getMethod();
        int status = response.getStatus();
        if (READ_METHODS.contains(method) && status != 403) {
            return;
        }
        String authorization = request.getHeaderString("Authorization");
        if (!BearerAuthorization.isBearer(authorization) || status == 401) {
            return;
        }
        SecurityIdentity identity = identities.getIdentity();
        if (identity == null || identity.isAnonymous()) {
            return;
        }
        AuditEvent event = new AuditEvent(UUID.randomUUID(), Instant.now(), identity.getPrincipal().getName(),
                String.join(" ", new TreeSet<>(identity.getRoles())), method, request.getUriInfo().getPath(), status,
                outcome(status));
        try {
            QuarkusTransaction.requiringNew().run(() -> auditLog.record(event));
        } catch (RuntimeException e) {
            LOG.errorf(e, "Failed to write the audit event of %s %s by %s (status %d)", method, event.path(), event.actor(),
                    status);
        }
    }

    private static String outcome(int status) {
        if (status == 403) {
            return "DENIED";
        }
        return status < 400 ? "SUCCEEDED" : "FAILED";
    }
}
