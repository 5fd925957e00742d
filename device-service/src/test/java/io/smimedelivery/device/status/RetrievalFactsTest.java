package io.smimedelivery.device.status;

import static io.smimedelivery.device.status.RetrievalEvents.applyAll;
import static io.smimedelivery.device.status.RetrievalEvents.assigned;
import static io.smimedelivery.device.status.RetrievalEvents.at;
import static io.smimedelivery.device.status.RetrievalEvents.buildFailed;
import static io.smimedelivery.device.status.RetrievalEvents.confirmed;
import static io.smimedelivery.device.status.RetrievalEvents.enrolled;
import static io.smimedelivery.device.status.RetrievalEvents.notificationFailed;
import static io.smimedelivery.device.status.RetrievalEvents.notified;
import static io.smimedelivery.device.status.RetrievalEvents.ready;
import static io.smimedelivery.device.status.RetrievalEvents.retired;
import static io.smimedelivery.device.status.RetrievalEvents.retrieved;
import static io.smimedelivery.device.status.RetrievalEvents.revoked;
import static io.smimedelivery.device.status.RetrievalEvents.unassigned;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.smimedelivery.events.CertificateRole;
import io.smimedelivery.events.DeliveryChannel;
import io.smimedelivery.events.NotificationFailed;
import io.smimedelivery.events.PackageReady;
import io.smimedelivery.events.PackagedCertificate;
import io.smimedelivery.events.RetrievalState;
import io.smimedelivery.events.RetrievalStatusChanged;
import io.smimedelivery.events.SigningSource;

class RetrievalFactsTest {

    private static final RetrievalFacts SAMPLE = applyAll(enrolled(1), assigned(2, 2), ready("p1", 2, 3),
            ready("p2", 2, 9), revoked("p1", 2, "SUPERSEDED", 9), retrieved("p2", 2, 10),
            confirmed("p2", 2, List.of("aa01"), 11), notified(2, 4), notificationFailed(2, true, 5),
            buildFailed(2, 1), unassigned(1, 1), retired(0));

    @Test
    void jsonRoundTripKeepsFacts() {
        String json = SAMPLE.toJson();

        assertEquals(SAMPLE, RetrievalFacts.fromJson(json));
        assertEquals(RetrievalFacts.EMPTY, RetrievalFacts.fromJson(RetrievalFacts.EMPTY.toJson()));
        assertTrue(json.contains("\"retrievedAt\":\"2025-03-01T08:10:00Z\""), json);
    }

    @Test
    void equalFactsWriteEqualJson() {
        RetrievalFacts reversed = applyAll(List.of(retired(0), unassigned(1, 1), buildFailed(2, 1),
                notificationFailed(2, true, 5), notified(2, 4), confirmed("p2", 2, List.of("aa01"), 11),
                retrieved("p2", 2, 10), revoked("p1", 2, "SUPERSEDED", 9), ready("p2", 2, 9),
                ready("p1", 2, 3), assigned(2, 2), enrolled(1)));

        assertEquals(SAMPLE.toJson(), reversed.toJson());
    }

    @Test
    void fromJsonRejectsInvalidFacts() {
        assertThrows(IllegalArgumentException.class, () -> RetrievalFacts.fromJson("not json"));
        assertThrows(IllegalArgumentException.class,
                () -> RetrievalFacts.fromJson("{\"policyVersion\":0,\"notifiedAt\":\"2025-03-01T08:00:00Z\"}"));
        assertThrows(IllegalArgumentException.class, () -> RetrievalFacts.fromJson(
                "{\"policyVersion\":1,\"packages\":[{\"packageId\":\"p1\"},{\"packageId\":\"p1\"}]}"));
    }

    @Test
    void fromJsonIgnoresUnknownFields() {
        RetrievalFacts facts = RetrievalFacts.fromJson("{\"policyVersion\":3,\"addedLater\":true}");

        assertEquals(3, facts.policyVersion());
        assertEquals(List.of(), facts.packages());
    }

    @Test
    void applyingTwiceChangesNothing() {
        RetrievalFacts once = SAMPLE.apply(ready("p3", 2, 12));

        assertEquals(once, once.apply(ready("p3", 2, 12)));
        assertEquals(SAMPLE, SAMPLE.join(SAMPLE));
    }

    @Test
    void joinWithEmptyChangesNothing() {
        assertEquals(SAMPLE, SAMPLE.join(RetrievalFacts.EMPTY));
        assertEquals(SAMPLE, RetrievalFacts.EMPTY.join(SAMPLE));
    }

    @Test
    void temporaryNotificationFailureKeepsNoFact() {
        RetrievalFacts facts = applyAll(notificationFailed(4, false, 5));

        assertEquals(4, facts.policyVersion());
        assertNull(facts.notificationFailure());
    }

    @Test
    void packageEventsMergeById() {
        RetrievalFacts facts = applyAll(retrieved("p1", 1, 8), retrieved("p1", 1, 6), ready("p1", 1, 5));
        RetrievalFacts.PackageFacts packageFacts = facts.packages().get(0);

        assertEquals(1, facts.packages().size());
        assertEquals(at(6), packageFacts.retrievedAt());
        assertEquals(at(5), packageFacts.built().at());
    }

    @Test
    void readyEventTakesThumbprintsFromCertificates() {
        PackageReady event = new PackageReady("p1", "d1", "u1", "pol1", 4, List.of(
                new PackagedCertificate("ABCD", CertificateRole.ENCRYPTION, "01", at(100_000), true),
                new PackagedCertificate("ef01", CertificateRole.TRUSTED_ROOT, "02", at(100_000), false)),
                SigningSource.IMPORTED_PKCS, at(3));

        RetrievalEvent.Ready ready = RetrievalEvent.of(event);

        assertEquals(List.of("abcd", "ef01"), ready.thumbprints());
        assertEquals(4, ready.policyVersion());
        assertEquals(at(3), ready.readyAt());
    }

    @Test
    void notificationFailedKeepsPermanentFlag() {
        NotificationFailed event = new NotificationFailed("n1", "u1", "pol1", 2, DeliveryChannel.EMAIL,
                List.of("d1"), 3, true, "SMTP_REJECTED", "Mailbox unavailable", at(4));

        RetrievalEvent.NotificationFailure failure = RetrievalEvent.of(event);

        assertTrue(failure.permanent());
        assertEquals("SMTP_REJECTED", failure.reasonCode());
    }

    @Test
    void eventRejectsMissingFields() {
        assertThrows(IllegalArgumentException.class, () -> new RetrievalEvent.Assigned(0, at(1)));
        assertThrows(IllegalArgumentException.class, () -> new RetrievalEvent.Retrieved(" ", 1, at(1)));
        assertThrows(IllegalArgumentException.class,
                () -> new RetrievalEvent.InstallConfirmed("p1", 1, List.of("aa", ""), at(1)));
        assertThrows(IllegalArgumentException.class, () -> RetrievalFacts.EMPTY.apply(null));
    }

    @Test
    void publishOnlyStateReasonOrVersionChange() {
        RetrievalStatus ready = new RetrievalStatus(RetrievalState.READY, null, null, 1, "p1");
        RetrievalStatus readyOtherPackage = new RetrievalStatus(RetrievalState.READY, null, null, 1, "p2");
        RetrievalStatus readyNextVersion = new RetrievalStatus(RetrievalState.READY, null, null, 2, "p3");
        RetrievalStatus failed = new RetrievalStatus(RetrievalState.FAILED, "NO_ENCRYPTION_CERTIFICATE", "a", 2, null);
        RetrievalStatus failedOtherDetail = new RetrievalStatus(RetrievalState.FAILED, "NO_ENCRYPTION_CERTIFICATE",
                "b", 2, null);
        RetrievalStatus failedOtherReason = new RetrievalStatus(RetrievalState.FAILED, "EMAIL_MISMATCH", "b", 2, null);

        assertTrue(RetrievalStatus.shouldPublish(null, ready));
        assertFalse(RetrievalStatus.shouldPublish(ready, null));
        assertFalse(RetrievalStatus.shouldPublish(null, null));
        assertFalse(RetrievalStatus.shouldPublish(ready, ready));
        assertFalse(RetrievalStatus.shouldPublish(ready, readyOtherPackage));
        assertTrue(RetrievalStatus.shouldPublish(ready, readyNextVersion));
        assertTrue(RetrievalStatus.shouldPublish(readyNextVersion, failed));
        assertFalse(RetrievalStatus.shouldPublish(failed, failedOtherDetail));
        assertTrue(RetrievalStatus.shouldPublish(failed, failedOtherReason));
    }

    @Test
    void changedEventCarriesBothStates() {
        RetrievalStatus previous = new RetrievalStatus(RetrievalState.RETRIEVED, null, null, 2, "p1");
        RetrievalStatus current = new RetrievalStatus(RetrievalState.FAILED, RetrievalStatus.INSTALL_MISMATCH,
                "Missing: aa01", 2, "p1");

        RetrievalStatusChanged event = current.toChangedEvent("d1", "u1", "pol1", previous, at(9));
        RetrievalStatusChanged first = previous.toChangedEvent("d1", "u1", "pol1", null, at(8));

        assertEquals(RetrievalState.RETRIEVED, event.from());
        assertEquals(RetrievalState.FAILED, event.to());
        assertEquals(RetrievalStatus.INSTALL_MISMATCH, event.reasonCode());
        assertEquals("Missing: aa01", event.detail());
        assertEquals(2, event.policyVersion());
        assertEquals(at(9), event.changedAt());
        assertNull(first.from());
    }
}
