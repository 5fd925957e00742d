package io.smimedelivery.simulator;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smimedelivery.deviceauth.DeviceAuthorization;
import io.smimedelivery.deviceauth.DeviceTokenSigner;
import io.smimedelivery.events.EventJson;

/**
 * HTTP calls to one service. Requests to device endpoints carry a new device token for the service's
 * audience, which is the service name. An error response becomes a {@link SimulatorException} whose
 * message contains the title, detail and field errors of the RFC 9457 problem document.
 */
final class ServiceClient {

    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_BODY_IN_MESSAGE = 300;
    static final String ADMIN_TOKEN_VARIABLE = "SMIME_ADMIN_TOKEN";
    static final String ADMIN_TOKEN_FILE_VARIABLE = "SMIME_ADMIN_TOKEN_FILE";

    private final String serviceName;
    private final URI baseUrl;
    private final HttpClient http;
    private final DeviceTokenSigner signer;
    private final ObjectMapper json = EventJson.mapper();

    /**
     * @param serviceName the service's name, which is also the audience of its device tokens
     * @param signer      signs device tokens, or null for a client that sends none
     */
    ServiceClient(String serviceName, URI baseUrl, HttpClient http, DeviceTokenSigner signer) {
        this.serviceName = serviceName;
        this.baseUrl = baseUrl;
        this.http = http;
        this.signer = signer;
    }

    /** Returns a client of the same service that signs each request with the device's token signer. */
    ServiceClient signedBy(DeviceTokenSigner deviceSigner) {
        return new ServiceClient(serviceName, baseUrl, http, deviceSigner);
    }

    URI url(String path) {
        return URI.create(baseUrl + path);
    }

    /** Sends a GET and returns the JSON body. */
    JsonNode getJson(String path) {
        return parse(path, send(request(path).GET().header("Accept", "application/json").build()));
    }

    /** Sends a GET and returns the body bytes. */
    byte[] getBytes(String path, String accept) {
        return send(request(path).GET().header("Accept", accept).build());
    }

    /** Sends a JSON body with the given method and returns the JSON response body. */
    JsonNode sendJson(String method, String path, Object body) {
        byte[] content;
        try {
            content = json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Writing the request body for " + path + " as JSON failed", e);
        }
        HttpRequest request = request(path)
                .method(method, HttpRequest.BodyPublishers.ofByteArray(content))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .build();
        return parse(path, send(request));
    }

    /** Sends a request without a body, such as a PUT that adds a group member, and returns the JSON response body. */
    JsonNode sendEmpty(String method, String path) {
        HttpRequest request = request(path)
                .method(method, HttpRequest.BodyPublishers.noBody())
                .header("Accept", "application/json")
                .build();
        return parse(path, send(request));
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(url(path)).timeout(REQUEST_TIMEOUT);
        if (signer != null) {
            String token = signer.sign(serviceName);
            SecretLedger.record("device-token", token);
            builder.header("Authorization", DeviceAuthorization.header(token));
        } else {
            adminToken().ifPresent(token -> builder.header("Authorization", "Bearer " + token));
        }
        return builder;
    }

    /**
     * Returns the administrator token for requests a device does not sign, from the environment variable
     * SMIME_ADMIN_TOKEN or the file that SMIME_ADMIN_TOKEN_FILE names. The token never comes from a
     * command-line argument, because the process list shows those.
     */
    static java.util.Optional<String> adminToken() {
        String token = System.getenv(ADMIN_TOKEN_VARIABLE);
        if (token != null && !token.isBlank()) {
            return java.util.Optional.of(token.strip());
        }
        String file = System.getenv(ADMIN_TOKEN_FILE_VARIABLE);
        if (file != null && !file.isBlank()) {
            try {
                return java.util.Optional.of(java.nio.file.Files.readString(java.nio.file.Path.of(file)).strip());
            } catch (IOException e) {
                throw new SimulatorException("Cannot read the administrator token from " + file + " ("
                        + ADMIN_TOKEN_FILE_VARIABLE + "): " + e.getMessage(), e);
            }
        }
        return java.util.Optional.empty();
    }

    /** The status code of a response and, for an error, the text of its problem details. */
    record Outcome(int status, String problem) {
    }

    /** Sends a GET and returns the status code instead of failing on an HTTP error. */
    Outcome tryGet(String path, String accept) {
        HttpResponse<byte[]> response = exchange(request(path).header("Accept", accept).GET().build());
        return new Outcome(response.statusCode(), response.statusCode() >= 400 ? problemText(response.body()) : "");
    }

    private byte[] send(HttpRequest request) {
        HttpResponse<byte[]> response = exchange(request);
        if (response.statusCode() >= 400) {
            String hint = response.statusCode() == 401 && signer == null && adminToken().isEmpty()
                    ? " Set " + ADMIN_TOKEN_VARIABLE + " to an administrator token (the local stack writes one to"
                            + " <data folder>/admin-tokens/admin-token)."
                    : "";
            throw new SimulatorException(request.method() + " " + request.uri() + " returned HTTP " + response.statusCode()
                    + ": " + problemText(response.body()) + hint);
        }
        return response.body();
    }

    private HttpResponse<byte[]> exchange(HttpRequest request) {
        String target = request.method() + " " + request.uri();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw new SimulatorException(serviceName + " is not reachable at " + baseUrl + " (" + target + ": "
                    + e.getClass().getSimpleName() + "). Start the local stack with ./local-stack.sh or pass --"
                    + serviceName + " with the service's URL.", e);
        } catch (HttpTimeoutException e) {
            throw new SimulatorException(target + " timed out after " + REQUEST_TIMEOUT.toSeconds() + " seconds.", e);
        } catch (IOException e) {
            throw new SimulatorException(target + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SimulatorException(target + " was interrupted.", e);
        }
        return response;
    }

    private JsonNode parse(String path, byte[] body) {
        try {
            return body.length == 0 ? json.nullNode() : json.readTree(body);
        } catch (IOException e) {
            throw new SimulatorException(serviceName + " returned a response to " + path + " that is not valid JSON: "
                    + e.getMessage());
        }
    }

    /** Returns title, detail and field errors of a problem document, or the start of any other body. */
    private String problemText(byte[] body) {
        JsonNode problem;
        try {
            problem = json.readTree(body);
        } catch (IOException e) {
            problem = null;
        }
        if (problem == null || !problem.isObject() || !(problem.has("title") || problem.has("detail"))) {
            String text = new String(body, StandardCharsets.UTF_8).strip();
            if (text.isEmpty()) {
                return "(empty body)";
            }
            return text.length() > MAX_BODY_IN_MESSAGE ? text.substring(0, MAX_BODY_IN_MESSAGE) + "…" : text;
        }
        StringBuilder text = new StringBuilder(problem.path("title").asText("(no title)"));
        if (problem.hasNonNull("detail")) {
            text.append(": ").append(problem.get("detail").asText());
        }
        for (JsonNode error : problem.path("errors")) {
            text.append(System.lineSeparator()).append("  ").append(error.path("field").asText("?"));
            if (error.hasNonNull("value")) {
                text.append(" = \"").append(error.get("value").asText()).append('"');
            }
            text.append(": ").append(error.path("message").asText(""));
        }
        return text.toString();
    }
}
