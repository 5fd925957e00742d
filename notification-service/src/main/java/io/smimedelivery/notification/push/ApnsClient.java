package io.smimedelivery.notification.push;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.smimedelivery.notification.delivery.DeliveryOutcome;

/**
 * Sends alert pushes through the APNs provider API: one HTTP/2 POST to {@code /3/device/<token>} per push,
 * authenticated with a provider token from {@link ApnsTokenSigner}. Instances are thread-safe, and the JDK
 * HTTP client reuses its HTTP/2 connection to the gateway across sends.
 *
 * <p>The client never retries. It classifies each attempt as a {@link DeliveryOutcome}, and the caller
 * decides about another attempt. Device tokens appear in logs and outcome details only as their first
 * eight characters.
 */
@ApplicationScoped
public class ApnsClient {

    /** Maximum payload size of an alert push, set by APNs. */
    public static final int MAX_PAYLOAD_BYTES = 4096;

    /** How long APNs stores a push for a device that is offline, counted from the send. */
    public static final Duration EXPIRATION = Duration.ofDays(1);

    private static final Logger LOG = Logger.getLogger(ApnsClient.class);
    private static final Pattern DEVICE_TOKEN = Pattern.compile("[0-9A-Fa-f]{64,200}");
    private static final Pattern APNS_ID = Pattern.compile(
            "[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}");

    private final PushConfig config;
    private final Clock clock;
    private final ApnsSetup setup;
    private final String unavailableDetail;

    /** Creates the client with the system clock. */
    @Inject
    public ApnsClient(PushConfig config) {
        this(config, Clock.systemUTC());
    }

    /**
     * Creates the client with the given clock, which sets the iat of provider tokens and apns-expiration.
     * Missing or invalid settings do not throw. The constructor logs them in one warning, and every send
     * then returns a temporary failure that names them.
     */
    public ApnsClient(PushConfig config, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (!config.enabled()) {
            this.setup = null;
            this.unavailableDetail = "Push not sent because smime.push.enabled is false.";
            LOG.info("APNs client is disabled by smime.push.enabled=false, so pushes fail temporarily");
            return;
        }

        this.setup = ApnsSetup.resolve(config, clock);
        if (setup.ready()) {
            this.unavailableDetail = null;
            LOG.infof("APNs client sends to %s for topic %s with key id %s of team %s", setup.gatewayUrl(),
                    config.topic(), config.keyId().orElseThrow().strip(), config.teamId().orElseThrow().strip());
        } else {
            this.unavailableDetail = "Push not sent because APNs settings are missing or invalid. "
                    + String.join(" ", setup.problems());
            LOG.warnf("APNs client cannot send until its settings are fixed, so every push fails temporarily. %s",
                    String.join(" ", setup.problems()));
        }
    }

    /**
     * Sends an alert push to one device and classifies the result. Returns without a request when the
     * device token is not 64 to 200 hexadecimal characters, the payload is too large, or the client is
     * disabled or not configured.
     *
     * @param deviceToken  the device token in hexadecimal
     * @param notification the alert and its data
     * @param apnsId       the apns-id request header: a UUID that the caller keeps for all attempts of one
     *                     push, so that the gateway and logs can recognise a repeat
     * @throws IllegalArgumentException if apnsId is not a UUID in 8-4-4-4-12 form
     */
    public DeliveryOutcome send(String deviceToken, ApnsNotification notification, String apnsId) {
        Objects.requireNonNull(notification, "notification");
        Objects.requireNonNull(apnsId, "apnsId");
        if (!APNS_ID.matcher(apnsId).matches()) {
            throw new IllegalArgumentException("apnsId must be a UUID in 8-4-4-4-12 form, got '" + apnsId + "'");
        }
        String requestId = apnsId.toLowerCase(Locale.ROOT);

        if (deviceToken == null || !DEVICE_TOKEN.matcher(deviceToken).matches()) {
            int length = deviceToken == null ? 0 : deviceToken.length();
            return DeliveryOutcome.permanent("Push not sent because the device token is not 64 to 200 "
                    + "hexadecimal characters (length " + length + "), apns-id " + requestId);
        }
        if (unavailableDetail != null) {
            return DeliveryOutcome.temporary(unavailableDetail);
        }

        byte[] payload = notification.toPayloadJson().getBytes(StandardCharsets.UTF_8);
        if (payload.length > MAX_PAYLOAD_BYTES) {
            return DeliveryOutcome.permanent("Push not sent because its payload is " + payload.length
                    + " bytes, more than the APNs maximum of " + MAX_PAYLOAD_BYTES + ", apns-id " + requestId);
        }

        String providerToken;
        try {
            providerToken = setup.signer().token();
        } catch (IllegalStateException e) {
            LOG.warnf("APNs push %s to device %s not sent: %s", requestId, abbreviate(deviceToken), e.getMessage());
            return DeliveryOutcome.temporary("Push not sent because signing the provider token failed, apns-id "
                    + requestId);
        }

        DeliveryOutcome outcome = post(deviceToken, notification, requestId, payload, providerToken);
        logOutcome(deviceToken, requestId, outcome);
        return outcome;
    }

    private DeliveryOutcome post(String deviceToken, ApnsNotification notification, String requestId,
            byte[] payload, String providerToken) {
        WriteTrackingPublisher body = new WriteTrackingPublisher(HttpRequest.BodyPublishers.ofByteArray(payload));
        HttpRequest request = buildRequest(deviceToken, notification, requestId, providerToken, body);
        try {
            HttpResponse<String> response = setup.httpClient().send(request, HttpResponse.BodyHandlers.ofString());
            ApnsResponse parsed = ApnsResponse.of(response, requestId, clock.instant());
            if (parsed.rejectsProviderToken()) {
                setup.signer().invalidate(providerToken);
            }
            return parsed.toOutcome();
        } catch (HttpConnectTimeoutException e) {
            return DeliveryOutcome.temporary("Connecting to the APNs gateway timed out after "
                    + config.connectTimeout().toMillis() + " ms, apns-id " + requestId);
        } catch (ConnectException e) {
            return DeliveryOutcome.temporary("Connecting to the APNs gateway failed: " + describe(e, deviceToken)
                    + ", apns-id " + requestId);
        } catch (HttpTimeoutException e) {
            return classifyTransportError(body, "timed out after " + config.requestTimeout().toMillis() + " ms", requestId);
        } catch (IOException e) {
            return classifyTransportError(body, "failed (" + describe(e, deviceToken) + ")", requestId);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return classifyTransportError(body, "was interrupted", requestId);
        }
    }

    private HttpRequest buildRequest(String deviceToken, ApnsNotification notification, String requestId,
            String providerToken, HttpRequest.BodyPublisher body) {
        long expiration = clock.instant().plus(EXPIRATION).getEpochSecond();
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(setup.gatewayUrl() + "/3/device/" + deviceToken))
                .version(HttpClient.Version.HTTP_2)
                .timeout(config.requestTimeout())
                .header("authorization", "bearer " + providerToken)
                .header("apns-topic", config.topic().strip())
                .header("apns-push-type", "alert")
                .header("apns-priority", "10")
                .header("apns-id", requestId)
                .header("apns-expiration", Long.toString(expiration))
                .header("content-type", "application/json")
                .POST(body);
        if (notification.collapseId() != null) {
            builder.header("apns-collapse-id", notification.collapseId());
        }
        return builder.build();
    }

    /**
     * Classifies a timeout or I/O error of a request that reached the transport. If the body was handed to
     * the HTTP/2 stream, the gateway may have received the whole request and delivered the push before the
     * response was lost, so the outcome is UNCERTAIN and a resend could show the alert twice. Otherwise
     * the gateway cannot have received the whole request, so the failure is temporary.
     */
    private static DeliveryOutcome classifyTransportError(WriteTrackingPublisher body, String failure, String requestId) {
        if (body.written()) {
            return DeliveryOutcome.uncertain("The APNs request " + failure + " after its body was sent, so the "
                    + "gateway may have delivered the push, apns-id " + requestId);
        }
        return DeliveryOutcome.temporary("The APNs request " + failure + " before its body was sent, apns-id "
                + requestId);
    }

    private static void logOutcome(String deviceToken, String requestId, DeliveryOutcome outcome) {
        String device = abbreviate(deviceToken);
        switch (outcome.status()) {
            case SENT -> LOG.debugf("APNs push %s to device %s: %s", requestId, device, outcome.detail());
            case PERMANENT_FAILURE -> LOG.infof("APNs push %s to device %s failed permanently: %s", requestId,
                    device, outcome.detail());
            case TEMPORARY_FAILURE -> LOG.warnf("APNs push %s to device %s failed temporarily: %s", requestId,
                    device, outcome.detail());
            case UNCERTAIN -> LOG.warnf("APNs push %s to device %s has an uncertain outcome: %s", requestId,
                    device, outcome.detail());
        }
    }

    /** Returns the exception's class and message with the device token shortened, if the message contains it. */
    private static String describe(Exception e, String deviceToken) {
        if (e.getMessage() == null) {
            return e.getClass().getSimpleName();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage().replace(deviceToken, abbreviate(deviceToken));
    }

    /** Returns the first eight characters of a device token followed by an ellipsis. */
    static String abbreviate(String deviceToken) {
        return deviceToken.substring(0, Math.min(8, deviceToken.length())) + "…";
    }

    /**
     * Body publisher that records whether the JDK HTTP client has taken any part of the body. The client
     * takes the body only on an open connection, so a failed connect or TLS handshake leaves the flag false.
     */
    private static final class WriteTrackingPublisher implements HttpRequest.BodyPublisher {

        private final HttpRequest.BodyPublisher delegate;
        private final AtomicBoolean written = new AtomicBoolean();

        WriteTrackingPublisher(HttpRequest.BodyPublisher delegate) {
            this.delegate = delegate;
        }

        boolean written() {
            return written.get();
        }

        @Override
        public long contentLength() {
            return delegate.contentLength();
        }

        @Override
        public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
            delegate.subscribe(new Flow.Subscriber<ByteBuffer>() {
                @Override
                public void onSubscribe(Flow.Subscription subscription) {
                    subscriber.onSubscribe(subscription);
                }

                @Override
                public void onNext(ByteBuffer item) {
                    written.set(true);
                    subscriber.onNext(item);
                }

                @Override
                public void onError(Throwable throwable) {
                    subscriber.onError(throwable);
                }

                @Override
                public void onComplete() {
                    subscriber.onComplete();
                }
            });
        }
    }
}
