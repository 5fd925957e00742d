package io.smimedelivery.notification.planning;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smimedelivery.common.inbox.EventInbox;
import io.smimedelivery.common.inbox.ReceivedEvent;
import io.smimedelivery.events.DeviceEnrolled;
import io.smimedelivery.events.DeviceRetired;
import io.smimedelivery.events.PackageFailed;
import io.smimedelivery.events.DerivedCredentialRenewalDue;
import io.smimedelivery.events.PackageReady;
import io.smimedelivery.events.PolicyAssigned;
import io.smimedelivery.events.PolicyUnassigned;
import io.smimedelivery.events.UserEvent;
import io.smimedelivery.notification.delivery.DeliveryWorker;
import io.smimedelivery.notification.planning.NotificationStore.DevicePackage;
import io.smimedelivery.notification.planning.NotificationStore.RenewalDue;

/**
 * Records users, policies, devices and package outcomes from the topics, each event once in the
 * transaction that records its id. At the end of that transaction it plans the notifications of the
 * users the events concern, once per user.
 */
@ApplicationScoped
public class NotificationConsumers {

    private final EventInbox inbox;
    private final NotificationStore store;
    private final NotificationPlanner planner;
    private final DeliveryWorker worker;

    public NotificationConsumers(EventInbox inbox, NotificationStore store, NotificationPlanner planner,
            DeliveryWorker worker) {
        this.inbox = inbox;
        this.store = store;
        this.planner = planner;
        this.worker = worker;
    }

    @Incoming("assignments")
    @Blocking
    public CompletionStage<Void> assignments(KafkaRecordBatch<String, byte[]> batch) {
        return inbox.processBatch("notification-assignments", batch, store::lockUsers, event -> {
            if (event.payload() instanceof PolicyAssigned assigned) {
                store.upsertRecipient(assigned.userId(), assigned.userPrincipalName(), assigned.email(),
                        assigned.preferredLanguage());
                String channel = assigned.settings().endUserNotification() == null ? NotificationPlanner.COMPANY_PORTAL
                        : assigned.settings().endUserNotification().name();
                store.upsertPolicy(assigned.userId(), assigned.policyId(), assigned.policyVersion(), assigned.policyName(),
                        channel);
            } else if (event.payload() instanceof PolicyUnassigned unassigned) {
                store.removePolicy(unassigned.userId(), unassigned.policyId(), unassigned.policyVersion());
            }
        }, this::planUsers);
    }

    @Incoming("enrollments")
    @Blocking
    public CompletionStage<Void> enrollments(KafkaRecordBatch<String, byte[]> batch) {
        return inbox.processBatch("notification-enrollments", batch, store::lockUsers, event -> {
            if (event.payload() instanceof DeviceEnrolled enrolled) {
                store.enroll(enrolled.deviceId(), enrolled.userId(), enrolled.platform(), enrolled.model(),
                        enrolled.devicePublicKeyPem(), enrolled.pushToken(), enrolled.enrolledAt());
            } else if (event.payload() instanceof DeviceRetired retired) {
                store.retire(retired.deviceId(), retired.retiredAt());
            }
        }, this::planUsers);
    }

    @Incoming("packages")
    @Blocking
    public CompletionStage<Void> packages(KafkaRecordBatch<String, byte[]> batch) {
        return inbox.processBatch("notification-packages", batch, store::lockUsers, event -> {
            if (event.payload() instanceof PackageReady ready) {
                store.recordPackage(new DevicePackage(ready.deviceId(), ready.policyId(), ready.userId(),
                        ready.policyVersion(), ready.packageId(), NotificationPlanner.READY, null,
                        NotificationPlanner.certificateKey(ready.certificates())), ready.readyAt());
            } else if (event.payload() instanceof DerivedCredentialRenewalDue due) {
                store.recordRenewalDue(new RenewalDue(due.deviceId(), due.thumbprintSha256().toLowerCase(Locale.ROOT),
                        due.userId(), due.policyId(), due.purpose()), due.notAfter(), due.dueAt());
            } else if (event.payload() instanceof PackageFailed failed) {
                store.recordPackage(new DevicePackage(failed.deviceId(), failed.policyId(), failed.userId(),
                        failed.policyVersion(), null, NotificationPlanner.FAILED, failed.reasonCode(), ""),
                        failed.failedAt());
            }
        }, this::planUsers);
    }

    /**
     * Plans the notifications of the users that {@code applied} concern, once per user, after all of
     * them were recorded. A retirement or an unassignment plans nothing new.
     */
    private void planUsers(List<ReceivedEvent> applied) {
        Set<String> users = new LinkedHashSet<>();
        for (ReceivedEvent event : applied) {
            Object payload = event.payload();
            if (payload instanceof PolicyAssigned || payload instanceof DeviceEnrolled || payload instanceof PackageReady
                    || payload instanceof PackageFailed || payload instanceof DerivedCredentialRenewalDue) {
                users.add(((UserEvent) payload).userId());
            }
        }
        boolean created = false;
        for (String userId : users) {
            created |= planner.plan(userId);
        }
        if (created) {
            worker.wakeAfterCommit();
        }
    }
}
