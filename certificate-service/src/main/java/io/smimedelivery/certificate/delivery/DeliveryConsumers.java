package io.smimedelivery.certificate.delivery;

import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smimedelivery.common.inbox.EventInbox;
import io.smimedelivery.events.DeviceEnrolled;
import io.smimedelivery.events.DeviceRetired;
import io.smimedelivery.events.PolicyAssigned;
import io.smimedelivery.events.PolicyUnassigned;

/**
 * Keeps certificate-service's view of assignments and devices, and queues every affected user for the
 * package worker. Each event is applied once, in the transaction that
 * records its id, so a redelivered event changes nothing.
 */
@ApplicationScoped
public class DeliveryConsumers {

    static final String ASSIGNMENTS_CONSUMER = "certificate-assignments";
    static final String ENROLLMENTS_CONSUMER = "certificate-enrollments";
    private static final Logger LOG = Logger.getLogger(DeliveryConsumers.class);

    private final EventInbox inbox;
    private final DeliveryStore store;
    private final PackageWorker worker;

    public DeliveryConsumers(EventInbox inbox, DeliveryStore store, PackageWorker worker) {
        this.inbox = inbox;
        this.store = store;
        this.worker = worker;
    }

    @Incoming("assignments")
    @Blocking
    public CompletionStage<Void> assignments(KafkaRecordBatch<String, byte[]> batch) {
        return inbox.processBatch(ASSIGNMENTS_CONSUMER, batch, null, event -> {
            if (event.payload() instanceof PolicyAssigned assigned) {
                store.assign(assigned);
                store.requestPackages(assigned.userId());
                LOG.debugf("Policy %s v%d applies to user %s", assigned.policyId(), assigned.policyVersion(), assigned.userId());
            } else if (event.payload() instanceof PolicyUnassigned unassigned) {
                store.unassign(unassigned.userId(), unassigned.policyId(), unassigned.policyVersion());
                store.requestPackages(unassigned.userId());
                LOG.debugf("Policy %s no longer applies to user %s (%s)", unassigned.policyId(), unassigned.userId(),
                        unassigned.reason());
            }
            worker.wakeAfterCommit();
        });
    }

    @Incoming("enrollments")
    @Blocking
    public CompletionStage<Void> enrollments(KafkaRecordBatch<String, byte[]> batch) {
        return inbox.processBatch(ENROLLMENTS_CONSUMER, batch, null, event -> {
            if (event.payload() instanceof DeviceEnrolled enrolled) {
                store.enroll(enrolled).ifPresent(store::requestPackages);
                store.requestPackages(enrolled.userId());
                LOG.debugf("Device %s (%s %s) enrolled for user %s", enrolled.deviceId(), enrolled.platform(),
                        enrolled.osVersion(), enrolled.userId());
            } else if (event.payload() instanceof DeviceRetired retired) {
                if (store.retire(retired)) {
                    store.device(retired.deviceId()).ifPresent(device -> store.requestPackages(device.userId()));
                }
                LOG.debugf("Device %s retired (%s)", retired.deviceId(), retired.reason());
            }
            worker.wakeAfterCommit();
        });
    }
}
