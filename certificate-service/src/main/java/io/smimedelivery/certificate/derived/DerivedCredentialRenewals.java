package io.smimedelivery.certificate.derived;

import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.smimedelivery.certificate.delivery.DeliveryRecords.UserPolicy;
import io.smimedelivery.certificate.delivery.DeliveryStore;
import io.smimedelivery.certificate.derived.DerivedCredentialStore.DerivedCredential;
import io.smimedelivery.common.outbox.Outbox;
import io.smimedelivery.events.DerivedCredentialRenewalDue;
import io.smimedelivery.events.EncryptionProfileType;
import io.smimedelivery.events.SigningProfileType;

/**
 * Announces derived credentials that have passed 80 percent of their validity, once each, so that
 * notification-service sends the user a renewal notification for each with the provider's app.
 */
@ApplicationScoped
public class DerivedCredentialRenewals {

    private static final Logger LOG = Logger.getLogger(DerivedCredentialRenewals.class);

    private final DerivedCredentialStore credentials;
    private final DeliveryStore deliveries;
    private final Outbox outbox;

    public DerivedCredentialRenewals(DerivedCredentialStore credentials, DeliveryStore deliveries, Outbox outbox) {
        this.credentials = credentials;
        this.deliveries = deliveries;
        this.outbox = outbox;
    }

    /**
     * Publishes DerivedCredentialRenewalDue for each due credential of a device that is still active and
     * whose user still has a policy that uses it, and marks every due credential as handled. Runs in the
     * caller's transaction; returns the number of events.
     */
    public int announceDue(Instant now) {
        int announced = 0;
        for (DerivedCredential credential : credentials.renewalsDue(now)) {
            boolean active = deliveries.device(credential.deviceId()).filter(device -> device.retiredAt() == null).isPresent();
            Optional<UserPolicy> policy = active ? policyUsing(credential) : Optional.empty();
            if (policy.isPresent()) {
                outbox.add(new DerivedCredentialRenewalDue(credential.deviceId(), credential.userId(),
                        policy.get().policyId(), policy.get().policyVersion(), credential.purpose(),
                        credential.thumbprintSha256(), credential.notAfter(), credential.renewalDueAt()));
                announced++;
                LOG.infof("Derived %s credential %s of device %s is due for renewal; it ends at %s", credential.purpose(),
                        credential.serialNumber(), credential.deviceId(), credential.notAfter());
            }
            credentials.markRenewalNotified(credential.id(), now);
        }
        return announced;
    }

    private Optional<UserPolicy> policyUsing(DerivedCredential credential) {
        boolean signing = credential.purpose().equals("SIGNING");
        return deliveries.policies(credential.userId()).stream()
                .filter(policy -> signing
                        ? policy.settings().signingProfileType() == SigningProfileType.DERIVED_CREDENTIAL
                        : policy.settings().encryptionProfileType() == EncryptionProfileType.DERIVED_CREDENTIAL)
                .findFirst();
    }
}
