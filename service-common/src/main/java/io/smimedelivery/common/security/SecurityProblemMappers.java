package io.smimedelivery.common.security;

import java.util.List;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.smimedelivery.common.problem.ProblemException;
import io.smimedelivery.common.problem.ProblemResponses;

/**
 * Maps refused administrator requests to RFC 9457 problems: 401 with a Bearer challenge when the token
 * is missing or fails verification, and 403 when its roles do not allow the endpoint. The detail states
 * what to fix and never repeats the token.
 */
public class SecurityProblemMappers {

    private static final Logger LOG = Logger.getLogger(SecurityProblemMappers.class);
    private static final String CHALLENGE = "Bearer realm=\"smime-delivery\"";
    private static final int MAX_REASON = 200;

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, UriInfo uri) {
        return ProblemResponses.fromProblemException(new ProblemException(Response.Status.UNAUTHORIZED,
                "unauthorized", "Administrator token required",
                "Send 'Authorization: Bearer <token>' with a JWT from the configured identity provider that carries the"
                        + " role " + Roles.ADMIN + " or, for reads, " + Roles.READER,
                List.of()).withHeader("WWW-Authenticate", CHALLENGE), uri.getPath());
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e, UriInfo uri) {
        LOG.infof("Bearer token rejected on %s: %s", uri.getPath(), reason(e));
        return ProblemResponses.fromProblemException(new ProblemException(Response.Status.UNAUTHORIZED,
                "invalid-token", "Administrator token rejected",
                "The bearer token is expired, not yet valid, for another issuer or audience, or not signed by the"
                        + " configured key; get a new token from the identity provider",
                List.of()).withHeader("WWW-Authenticate", CHALLENGE + ", error=\"invalid_token\""), uri.getPath());
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return ProblemResponses.fromProblemException(new ProblemException(Response.Status.FORBIDDEN,
                "forbidden", "Role not allowed",
                "The token's roles do not allow this request; changes need the role " + Roles.ADMIN
                        + ", reads the role " + Roles.ADMIN + " or " + Roles.READER,
                List.of()), uri.getPath());
    }

    /** Returns the causes' class names and messages, cut short. Verification messages name claims, never the token. */
    private static String reason(Throwable e) {
        StringBuilder reason = new StringBuilder();
        for (Throwable cause = e; cause != null && reason.length() < MAX_REASON; cause = cause.getCause()) {
            if (reason.length() > 0) {
                reason.append(" <- ");
            }
            reason.append(cause.getClass().getSimpleName());
            if (cause.getMessage() != null) {
                reason.append(": ").append(cause.getMessage());
            }
        }
        return reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) + "..." : reason.toString();
    }
}
