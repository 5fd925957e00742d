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
            List<DevicePackage> packages, List<Device> devices, Device device) {

        SendContext withDelivery(Delivery replacement) {
            return new SendContext(replacement, notification, recipient, policy, packages, devices, device);
        }
    }

    /** Returns EMAIL or PUSH. */
    String channel();

    /**
     * Sends the delivery and describes a failure of the server or network in the outcome. An exception
     * still thrown is recorded by the worker as a temporary failure.
     */
    DeliveryOutcome send(SendContext context);
}
