package io.smimedelivery.common.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;

import org.junit.jupiter.api.Test;

class ProblemResponsesTest {

    @Test
    void unexpectedErrorHidesExceptionDetails() {
        Response response = ProblemResponses.fromUnexpected(
                new IllegalStateException("connection reset in com.example.CertificateDao"), "POST", "/api/things");
        ProblemDetail problem = (ProblemDetail) response.getEntity();

        assertEquals(500, response.getStatus());
        assertEquals(ProblemDetail.MEDIA_TYPE, response.getMediaType().toString());
        assertFalse(problem.detail().contains("connection reset"));
        assertFalse(problem.detail().contains("CertificateDao"));
        assertFalse(problem.detail().contains("IllegalStateException"));
        assertTrue(problem.instance().startsWith("urn:uuid:"));
        assertTrue(problem.detail().contains(problem.instance().substring("urn:uuid:".length())));
    }

    @Test
    void notFoundKeepsStatusAndNamesPath() {
        Response response = ProblemResponses.fromWebApplicationException(new NotFoundException(), "GET", "/nope");
        ProblemDetail problem = (ProblemDetail) response.getEntity();

        assertEquals(404, response.getStatus());
        assertEquals(ProblemDetail.ABOUT_BLANK, problem.type());
        assertEquals("Not Found", problem.title());
        assertTrue(problem.detail().contains("/nope"));
    }

    @Test
    void methodNotAllowedNamesMethod() {
        Response response = ProblemResponses.fromWebApplicationException(
                new NotAllowedException("GET"), "DELETE", "/q/health");
        ProblemDetail problem = (ProblemDetail) response.getEntity();

        assertEquals(405, response.getStatus());
        assertTrue(problem.detail().startsWith("DELETE is not allowed"));
    }

    @Test
    void problemExceptionCarriesFieldError() {
        ProblemException exception = ProblemException.invalidField("keySize", "1024", "use 2048 or 4096");
        Response response = ProblemResponses.fromProblemException(exception, "/scep-profiles");
        ProblemDetail problem = (ProblemDetail) response.getEntity();

        assertEquals(400, response.getStatus());
        assertEquals("urn:smime-delivery:problem:invalid-request", problem.type());
        assertEquals(List.of(new FieldError("keySize", "1024", "use 2048 or 4096")), problem.errors());
        assertEquals("Invalid value for keySize: use 2048 or 4096", problem.detail());
    }

    @Test
    void longRejectedValueIsCut() {
        String echoed = ProblemResponses.echo("x".repeat(5000));

        assertEquals(ProblemResponses.MAX_ECHOED_VALUE_LENGTH + 3, echoed.length());
    }
}
