package io.smimedelivery.device.status;

import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smimedelivery.common.inbox.EventInbox;
import io.smimedelivery.events.DeviceEnrolled;
import io.smimedelivery.events.DeviceRetired;
import io.smimedelivery.events.NotificationFailed;
import io.smimedelivery.events.NotificationSent;
import io.smimedelivery.events.PackageFailed;
import io.smimedelivery.events.PackageReady;
import io.smimedelivery.events.SigningCertificateFailed;
import io.smimedelivery.events.SigningCertificateIssued;
import io.smimedelivery.events.PackageRetrieved;
import io.smimedelivery.events.PackageRevoked;
import io.smimedelivery.events.PolicyAssigned;
import io.smimedelivery.events.PolicyUnassigned;

/**
 * Feeds the retrieval status of every device and policy from all topics. User-keyed events apply to each
 * of the user's managed iPhones and iPads; notification events to each device they name. Each event is
 * applied once, in the transaction that records its id.
 */
@ApplicationScoped
public class StatusConsumers {

    private final EventInbox inbox;
    private final StatusTracker tracker;
    private final UserPolicies users;

    public StatusConsumers(EventInbox inbox, StatusTracker tracker, UserPolicies users) {
        this.inbox = inbox;
        this.tracker = tracker;
        this.users = users;
    }

    @Incoming("assignments")
    @Blocking
    public CompletionStage<Void> assignments(KafkaRecordBatch<String, byte[]> batch) {
        return inbox.processBatch("status-assignments", batch, users::lockUsers, event -> {
            if (event.payload() instanceof PolicyAssigned assigned) {
                users.assign(assigned);
                RetrievalEvent change = RetrievalEvent.of(assigned);
                for (UserPolicies.UserDevice device : users.devicesOf(assigned.userId())) {
                    if (device.retiredAt() == null && StatusTracker.receivesPackages(device.platform(), device.managed())) {
                        tracker.apply(device.deviceId(), assigned.policyId(), assigned.userId(), change);
                    }
                }
            } else if (event.payload() instanceof PolicyUnassigned unassigned) {
                users.unassign(unassigned.userId(), unassigned.policyId(), unassigned.policyVersion());
                RetrievalEvent change = RetrievalEvent.of(unassigned);
                for (String deviceId : tracker.devicesOf(unassigned.userId(), unassigned.policyId())) {
                    tracker.apply(deviceId, unassigned.policyId(), unassigned.userId(), change);
                }
            }
        });
    }

    @Incoming("enrollments")
    @Blocking
    public CompletionStage<Void> enrollments(KafkaRecordBatch<String, byte[]> batch) {
        return inbox.processBatch("status-enrollments", batch, users::lockUsers, event -> {
            if (event.payload() instanceof DeviceEnrolled enrolled) {
                RetrievalEvent change = RetrievalEvent.of(enrolled);
                for (String policyId : tracker.policiesOf(enrolled.deviceId())) {
                    tracker.apply(enrolled.deviceId(), policyId, enrolled.userId(), change);
                }
                if (StatusTracker.receivesPackages(enrolled.platform(), enrolled.managed())) {
                    for (UserPolicies.Assignment assignment : users.assignmentsOf(enrolled.userId())) {
                        tracker.apply(enrolled.deviceId(), assignment.policyId(), enrolled.userId(),
                                new RetrievalEvent.Assigned(assignment.policyVersion(), assignment.assignedAt()));
                        tracker.apply(enrolled.deviceId(), assignment.policyId(), enrolled.userId(), change);
                    }
                }
            } else if (event.payload() instanceof DeviceRetired retired) {
                RetrievalEvent change = RetrievalEvent.of(retired);
                for (String policyId : tracker.policiesOf(retired.deviceId())) {
                    tracker.apply(retired.deviceId(), policyId, retired.userId(), change);
                }
            }
        });
    }

    @Incoming("packages")
    @Blocking
    public CompletionStage<Void> packages(KafkaRecordBatch<String, byte[]> batch) {
        return inbox.processBatch("status-packages", batch, users::lockUsers, event -> {
            Object payload = event.payload();
            if (payload instanceof PackageReady ready) {
                tracker.recordPackage(ready);
                tracker.apply(ready.deviceId(), ready.policyId(), ready.userId(), RetrievalEvent.of(ready));
            } else if (payload instanceof PackageFailed failed) {
                tracker.apply(failed.deviceId(), failed.policyId(), failed.userId(), RetrievalEvent.of(failed));
            } else if (payload instanceof PackageRetrieved retrieved) {
                tracker.apply(retrieved.deviceId(), retrieved.policyId(), retrieved.userId(), RetrievalEvent.of(retrieved));
            } else if (payload instanceof PackageRevoked revoked) {
                tracker.apply(revoked.deviceId(), revoked.policyId(), revoked.userId(), RetrievalEvent.of(revoked));
            } else if (payload instanceof SigningCertificateIssued issued) {
                tracker.apply(issued.deviceId(), issued.policyId(), issued.userId(), RetrievalEvent.of(issued));
            } else if (payload instanceof SigningCertificateFailed signingFailed) {
                tracker.apply(signingFailed.deviceId(), signingFailed.policyId(), signingFailed.userId(),
                        RetrievalEvent.of(signingFailed));
            }
        });
    }

    @Incoming("notifications")
    @Blocking
    public CompletionStage<Void> notifications(KafkaRecordBatch<String, byte[]> batch) {
        return inbox.processBatch("status-notifications", batch, users::lockUsers, event -> {
            if (event.payload() instanceof NotificationSent sent) {
                RetrievalEvent change = RetrievalEvent.of(sent);
                sent.deviceIds().forEach(deviceId -> tracker.apply(deviceId, sent.policyId(), sent.userId(), change));
            } else if (event.payload() instanceof NotificationFailed failed) {
                RetrievalEvent change = RetrievalEvent.of(failed);
                failed.deviceIds().forEach(deviceId -> tracker.apply(deviceId, failed.policyId(), failed.userId(), change));
            }
        });
    }
}
