package io.smimedelivery.notification.delivery;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.mailer.Mail;
import io.smimedelivery.notification.mail.DeviceLink;
import io.smimedelivery.notification.mail.EmailContent;
import io.smimedelivery.notification.mail.MailComposer;
import io.smimedelivery.notification.mail.MailDelivery;
import io.smimedelivery.notification.planning.NotificationPlanner;
import io.smimedelivery.notification.planning.NotificationStore.Device;
import io.smimedelivery.notification.planning.NotificationStore.DevicePackage;

/**
 * Sends the one e-mail of a notification, listing every device of the user whose package of this
 * policy version has the notification's outcome when the e-mail goes out. The Message-ID derives from
 * the notification id, so a retried send carries the same id.
 */
@ApplicationScoped
public class EmailChannelSender implements ChannelSender {

    private final MailComposer composer;
    private final MailDelivery mail;
    private final NotificationPlanner planner;

    public EmailChannelSender(MailComposer composer, MailDelivery mail, NotificationPlanner planner) {
        this.composer = composer;
        this.mail = mail;
        this.planner = planner;
    }

    @Override
    public String channel() {
        return "EMAIL";
    }

    @Override
    public DeliveryOutcome send(SendContext context) {
        List<DeviceLink> links = context.devices().stream()
                .map(device -> new DeviceLink(label(device), planner.landingPage(device.deviceId(),
                        context.policy().policyId())))
                .toList();
        String reasonCode = context.packages().stream().map(DevicePackage::reasonCode)
                .filter(code -> code != null).findFirst().orElse(null);
        Mail message;
        try {
            message = composer.compose(new EmailContent(context.recipient().email(), context.notification().language(),
                    EmailContent.Kind.valueOf(context.notification().kind()), context.policy().policyName(), null, links,
                    reasonCode, "<" + context.notification().id() + "@smime-delivery>"));
        } catch (IllegalArgumentException e) {
            return DeliveryOutcome.permanent("The e-mail cannot be built: " + e.getMessage());
        }
        return mail.send(message);
    }

    private static String label(Device device) {
        String platform = device.platform().equalsIgnoreCase("iPadOS") ? "iPad" : "iPhone";
        return device.model() == null || device.model().isBlank() ? platform : platform + " (" + device.model() + ")";
    }
}
