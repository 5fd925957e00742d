package io.smimedelivery.notification.delivery;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.smimedelivery.notification.planning.NotificationPlanner;
import io.smimedelivery.notification.planning.NotificationStore.Device;
import io.smimedelivery.notification.text.NotificationTexts;
import io.smimedelivery.notification.text.ShortText;
import io.smimedelivery.notification.push.ApnsClient;
import io.smimedelivery.notification.push.ApnsNotification;

/**
 * Sends the Company Portal push of one device. The APNs token is opened from its sealed form only for
 * the send. The delivery id is the apns-id, so the gateway can recognise a retry as the same notification.
 */
@ApplicationScoped
public class PushChannelSender implements ChannelSender {

    /** Detail prefix of a delivery to a device without a usable push token. */
    public static final String NO_TOKEN = "No usable push token";

    private final ApnsClient apns;
    private final PushTokenKeys keys;
    private final NotificationTexts texts;
    private final NotificationPlanner planner;

    public PushChannelSender(ApnsClient apns, PushTokenKeys keys, NotificationTexts texts, NotificationPlanner planner) {
        this.apns = apns;
        this.keys = keys;
        this.texts = texts;
        this.planner = planner;
    }

    @Override
    public String channel() {
        return "PUSH";
    }

    @Override
    public DeliveryOutcome send(SendContext context) {
        Device device = context.device();
        if (device == null || device.retiredAt() != null) {
            return DeliveryOutcome.permanent("The device is retired or unknown");
        }
        if (device.pushToken() == null || !device.pushTokenValid()) {
            return DeliveryOutcome.permanent(NO_TOKEN + ": the device enrolled without one, or APNs rejected it");
        }
        String token;
        try {
            token = keys.open(device.pushToken());
        } catch (IllegalStateException e) {
            return DeliveryOutcome.temporary(e.getMessage());
        } catch (IllegalArgumentException e) {
            return DeliveryOutcome.permanent(NO_TOKEN + ": " + e.getMessage());
        }
        String language = context.notification().language();
        ShortText text = switch (context.notification().kind()) {
            case NotificationPlanner.READY -> texts.readyPush(language);
            case NotificationPlanner.RENEWAL -> texts.renewalPush(language);
            default -> texts.failedPush(language);
        };
        String notificationId = context.notification().id().toString();
        ApnsNotification notification = new ApnsNotification(text.title(), text.body(), "smime-" + notificationId,
                "smime-" + context.policy().policyId(), Map.of(
                        "smimeNotificationId", notificationId,
                        "smimePolicyId", context.policy().policyId(),
                        "landingUrl", planner.landingPage(device.deviceId(), context.policy().policyId())));
        return apns.send(token, notification, context.delivery().id().toString());
    }
}
