package io.smimedelivery.notification.push;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smimedelivery.notification.delivery.DeliveryOutcome;

/**
 * The parts of a provider API response that decide the outcome of a push.
 *
 * @param status            HTTP status
 * @param apnsId            the apns-id response header, or the request's apns-id if the header is absent
 * @param reason            the reason of an error body such as {"reason":"Unregistered"}, or an empty string
 * @param unregisteredSince the timestamp of a 410 body: when the device token became invalid, or null
 * @param retryAfter        the delay of a Retry-After header, or null if the header is absent or invalid
 */
record ApnsResponse(int status, String apnsId, String reason, Instant unregisteredSince, Duration retryAfter) {

    /** 403 reasons that mean the provider token is stale or wrong, so a new one must be signed. */
    private static final Set<String> PROVIDER_TOKEN_REASONS = Set.of("ExpiredProviderToken", "InvalidProviderToken");

    /** 400 reasons that mean the device token will never work for this app. Every 410 means the same. */
    private static final Set<String> DEVICE_TOKEN_REASONS = Set.of("BadDeviceToken", "DeviceTokenNotForTopic");

    private static final int MAX_REASON_LENGTH = 100;
    private static final Pattern REASON_CHARACTERS = Pattern.compile("[^A-Za-z0-9._ -]");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Extracts the parts from a response, reading the body as JSON if it is. */
    static ApnsResponse of(HttpResponse<String> response, String requestApnsId, Instant now) {
        JsonNode body = parseBody(response.body());
        String reason = sanitize(body.path("reason").asText(""));
        Instant unregisteredSince = body.path("timestamp").canConvertToLong()
                ? Instant.ofEpochMilli(body.path("timestamp").asLong())
                : null;
        String apnsId = response.headers().firstValue("apns-id").map(ApnsResponse::sanitize).orElse(requestApnsId);
        Duration retryAfter = response.headers().firstValue("retry-after")
                .flatMap(value -> parseRetryAfter(value, now))
                .orElse(null);
        return new ApnsResponse(response.statusCode(), apnsId, reason, unregisteredSince, retryAfter);
    }

    /** Returns true if the gateway rejected the provider token, so that the cached token must be dropped. */
    boolean rejectsProviderToken() {
        return status == 403 && PROVIDER_TOKEN_REASONS.contains(reason);
    }

    /** Classifies the response as an outcome whose detail names the status, the reason and the apns-id. */
    DeliveryOutcome toOutcome() {
        String statusAndReason = "HTTP " + status + (reason.isEmpty() ? "" : " " + reason);
        if (status >= 200 && status < 300) {
            return DeliveryOutcome.sent("APNs accepted the push with " + statusAndReason + ", apns-id " + apnsId);
        }
        if (rejectsProviderToken()) {
            return DeliveryOutcome.temporary("APNs rejected the provider token with " + statusAndReason
                    + ", apns-id " + apnsId + ". The next attempt signs a new token.");
        }
        if (status == 410 || (status == 400 && DEVICE_TOKEN_REASONS.contains(reason))) {
            String since = unregisteredSince == null ? "" : ", invalid since " + unregisteredSince;
            return DeliveryOutcome.permanent("APNs rejected the device token with " + statusAndReason + since
                    + ", apns-id " + apnsId);
        }
        if (status == 429 || status >= 500) {
            return DeliveryOutcome.temporary("APNs is unavailable or throttling with " + statusAndReason
                    + ", apns-id " + apnsId, retryAfter);
        }
        if (status >= 400) {
            return DeliveryOutcome.permanent("APNs rejected the request with " + statusAndReason
                    + ", apns-id " + apnsId);
        }
        // 1xx and 3xx: the gateway did not take the push. A redirect points to a wrong gateway URL,
        // which a fix of the configuration can repair, so the push is kept for another attempt.
        return DeliveryOutcome.temporary("APNs gateway returned unexpected " + statusAndReason
                + ", apns-id " + apnsId);
    }

    private static JsonNode parseBody(String body) {
        if (body == null || body.isBlank()) {
            return JSON.missingNode();
        }
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            // Proxies in front of a private gateway may respond with HTML. Only the status counts then.
            return JSON.missingNode();
        }
    }

    /** Parses a Retry-After value: delay-seconds or an HTTP date. A date in the past gives zero. */
    static Optional<Duration> parseRetryAfter(String value, Instant now) {
        String trimmed = value.strip();
        if (trimmed.matches("\\d{1,9}")) {
            return Optional.of(Duration.ofSeconds(Long.parseLong(trimmed)));
        }
        try {
            Instant date = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration delay = Duration.between(now, date);
            return Optional.of(delay.isNegative() ? Duration.ZERO : delay);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Keeps gateway text safe for logs and outcome details: no line breaks, bounded length. */
    private static String sanitize(String text) {
        String cleaned = REASON_CHARACTERS.matcher(text).replaceAll("?");
        return cleaned.length() > MAX_REASON_LENGTH ? cleaned.substring(0, MAX_REASON_LENGTH) + "…" : cleaned;
    }
}
