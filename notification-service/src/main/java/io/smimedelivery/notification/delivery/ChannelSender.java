package io.smimedelivery.notification.delivery;

import java.util.List;

import io.smimedelivery.notification.planning.NotificationStore.Delivery;
import io.smimedelivery.notification.planning.NotificationStore.Device;
import io.smimedelivery.notification.planning.NotificationStore.DevicePackage;
import io.smimedelivery.notification.planning.NotificationStore.Notification;
import io.smimedelivery.notification.planning.NotificationStore.Recipient;
import io.smimedelivery.notification.planning.NotificationStore.RecipientPolicy;

/** Sends one delivery through one channel and classifies the attempt. */
public interface ChannelSender {

    /** Everything a sender needs, read before the send so that no transaction stays open during it. */
    record SendContext(Delivery delivery, Notification notification, Recipient recipient, RecipientPolicy policy,
            List<DevicePackage> packages, Device device) {
    }

    /** Returns EMAIL or PUSH. */
    String channel();

    /** Sends the delivery; never throws for a failure of the server or network, which the outcome describes. */
    DeliveryOutcome send(SendContext context);
}
