package io.smimedelivery.common.limits;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.configuration.MemorySize;
import io.smimedelivery.common.problem.FieldError;
import io.smimedelivery.common.problem.ProblemDetail;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Rejects a request whose Content-Length exceeds {@code quarkus.http.limits.max-body-size} with a 413
 * problem document that names the limit and its setting. Quarkus 3.33 checks the same header in a
 * route of order -2 and responds with an empty 413, so this route runs first, at order -3, and reads
 * no byte of the body.
 *
 * <p>NOTE: a body sent without Content-Length (chunked transfer encoding) is counted by Quarkus REST
 * while the resource reads it. When it passes the limit, Quarkus REST responds with status 413, an
 * empty body and {@code Connection: close}, because no hook runs between its check and the response.
 */
@ApplicationScoped
public class BodySizeLimit {

    /** Name of the setting, as the problem document and the log name it. */
    public static final String SETTING = "quarkus.http.limits.max-body-size";
    /** Route order of Quarkus's own Content-Length check, in HttpServerCommonHandlers (Quarkus 3.33). */
    static final int QUARKUS_CHECK_ORDER = -2;

    private static final Logger LOG = Logger.getLogger(BodySizeLimit.class);

    private final Optional<MemorySize> maxBodySize;
    private final ObjectMapper mapper;

    public BodySizeLimit(@ConfigProperty(name = SETTING) Optional<MemorySize> maxBodySize, ObjectMapper mapper) {
        this.maxBodySize = maxBodySize;
        this.mapper = mapper;
    }

    void installRoute(@Observes Router router) {
        if (maxBodySize.isEmpty()) {
            return;
        }
        long limit = maxBodySize.get().asLongValue();
        router.route().order(QUARKUS_CHECK_ORDER - 1).handler(context -> check(context, limit));
    }

    private void check(RoutingContext context, long limit) {
        String header = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        long length;
        try {
            length = header == null ? -1 : Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            // Vert.x rejects such a request before routing; Quarkus's check handles whatever remains.
            context.next();
            return;
        }
        if (length <= limit) {
            context.next();
            return;
        }
        LOG.infof("Rejected %s %s: body of %d bytes exceeds %s=%d", context.request().method(),
                context.request().path(), length, SETTING, limit);
        byte[] body = problemBody(context.request().path(), length, limit);
        // The connection is closed after the response, as Quarkus's own check does, because the unread
        // body would otherwise be taken as the next request on it.
        context.response().endHandler(ignored -> context.request().connection().close());
        context.response().putHeader(HttpHeaders.CONNECTION, "close")
                .putHeader(HttpHeaders.CONTENT_TYPE, ProblemDetail.MEDIA_TYPE)
                .setStatusCode(413)
                .end(Buffer.buffer(body));
    }

    private byte[] problemBody(String path, long length, long limit) {
        String message = "the body has " + length + " bytes, more than the maximum of " + limit + " bytes set by "
                + SETTING + "; send a smaller body, split the request, or ask the operator to raise " + SETTING;
        ProblemDetail problem = new ProblemDetail(ProblemDetail.PROBLEM_TYPE_PREFIX + "body-too-large",
                "Request body too large", 413, "Invalid value for body: " + message, path,
                List.of(new FieldError("body", length + " bytes", message)));
        try {
            return mapper.writeValueAsBytes(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Serializing a problem document failed", e);
        }
    }
}
