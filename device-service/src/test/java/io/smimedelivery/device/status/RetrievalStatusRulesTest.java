package io.smimedelivery.device.status;

import static io.smimedelivery.device.status.RetrievalEvents.applyAll;
import static io.smimedelivery.device.status.RetrievalEvents.assigned;
import static io.smimedelivery.device.status.RetrievalEvents.buildFailed;
import static io.smimedelivery.device.status.RetrievalEvents.confirmed;
import static io.smimedelivery.device.status.RetrievalEvents.enrolled;
import static io.smimedelivery.device.status.RetrievalEvents.notificationFailed;
import static io.smimedelivery.device.status.RetrievalEvents.notified;
import static io.smimedelivery.device.status.RetrievalEvents.ready;
import static io.smimedelivery.device.status.RetrievalEvents.readyScep;
import static io.smimedelivery.device.status.RetrievalEvents.retired;
import static io.smimedelivery.device.status.RetrievalEvents.retrieved;
import static io.smimedelivery.device.status.RetrievalEvents.signingFailed;
import static io.smimedelivery.device.status.RetrievalEvents.signingIssued;
import static io.smimedelivery.device.status.RetrievalEvents.revoked;
import static io.smimedelivery.device.status.RetrievalEvents.statusOf;
import static io.smimedelivery.device.status.RetrievalEvents.unassigned;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.smimedelivery.events.RetrievalState;

class RetrievalStatusRulesTest {

    @Test
    void noStatusBeforePolicyEvent() {
        assertTrue(RetrievalFacts.EMPTY.status().isEmpty());
        assertTrue(applyAll(enrolled(1)).status().isEmpty());
    }

    @Test
    void assignedWithoutPackageIsPending() {
        RetrievalStatus status = statusOf(enrolled(1), assigned(1, 2));

        assertEquals(RetrievalState.PENDING, status.state());
        assertEquals(1, status.policyVersion());
        assertNull(status.packageId());
        assertNull(status.reasonCode());
    }

    @Test
    void builtPackageIsReady() {
        RetrievalStatus status = statusOf(assigned(1, 2), ready("p1", 1, 3));

        assertEquals(RetrievalState.READY, status.state());
        assertEquals("p1", status.packageId());
    }

    @Test
    void notificationSentIsNotified() {
        RetrievalStatus status = statusOf(assigned(1, 2), ready("p1", 1, 3), notified(1, 4));

        assertEquals(RetrievalState.NOTIFIED, status.state());
        assertEquals("p1", status.packageId());
    }

    @Test
    void downloadIsRetrieved() {
        RetrievalStatus status = statusOf(assigned(1, 2), ready("p1", 1, 3), notified(1, 4), retrieved("p1", 1, 5));

        assertEquals(RetrievalState.RETRIEVED, status.state());
    }

    @Test
    void downloadWithoutNotificationIsRetrieved() {
        RetrievalStatus status = statusOf(assigned(1, 2), ready("p1", 1, 3), retrieved("p1", 1, 5));

        assertEquals(RetrievalState.RETRIEVED, status.state());
    }

    @Test
    void matchingConfirmationIsInstalled() {
        List<String> sameCertificatesOtherForm = List.of("CC03", "aa01", " bb02", "aa01");

        RetrievalStatus status = statusOf(assigned(1, 2), ready("p1", 1, 3), retrieved("p1", 1, 5),
                confirmed("p1", 1, sameCertificatesOtherForm, 6));

        assertEquals(RetrievalState.INSTALLED, status.state());
        assertEquals("p1", status.packageId());
        assertNull(status.reasonCode());
    }

    @Test
    void differentThumbprintsAreInstallMismatch() {
        RetrievalStatus status = statusOf(assigned(1, 2), ready("p1", 1, 3), retrieved("p1", 1, 5),
                confirmed("p1", 1, List.of("aa01", "bb02", "dd04"), 6));

        assertEquals(RetrievalState.FAILED, status.state());
        assertEquals(RetrievalStatus.INSTALL_MISMATCH, status.reasonCode());
        assertEquals("p1", status.packageId());
        assertTrue(status.detail().contains("Missing: cc03"), status.detail());
        assertTrue(status.detail().contains("Not in the package: dd04"), status.detail());
    }

    @Test
    void fewerThumbprintsAreInstallMismatch() {
        RetrievalStatus status = statusOf(assigned(1, 2), ready("p1", 1, 3),
                confirmed("p1", 1, List.of("aa01", "bb02"), 6));

        assertEquals(RetrievalState.FAILED, status.state());
        assertEquals(RetrievalStatus.INSTALL_MISMATCH, status.reasonCode());
    }

    @Test
    void latestConfirmationDecidesInstall() {
        RetrievalEvent mismatch = confirmed("p1", 1, List.of("aa01"), 6);
        RetrievalEvent match = confirmed("p1", 1, 7);

        RetrievalStatus fixedLater = statusOf(assigned(1, 2), ready("p1", 1, 3), match, mismatch);
        RetrievalStatus brokenLater = statusOf(assigned(1, 2), ready("p1", 1, 3),
                confirmed("p1", 1, 6), confirmed("p1", 1, List.of("aa01"), 7));

        assertEquals(RetrievalState.INSTALLED, fixedLater.state());
        assertEquals(RetrievalState.FAILED, brokenLater.state());
        assertEquals(RetrievalStatus.INSTALL_MISMATCH, brokenLater.reasonCode());
    }

    @Test
    void confirmationBeforePackageReadyCounts() {
        RetrievalStatus status = statusOf(confirmed("p1", 1, 6), assigned(1, 2), ready("p1", 1, 3));

        assertEquals(RetrievalState.INSTALLED, status.state());
    }

    @Test
    void buildFailureIsFailedWithReason() {
        RetrievalStatus status = statusOf(assigned(1, 2), buildFailed(1, 3));

        assertEquals(RetrievalState.FAILED, status.state());
        assertEquals("NO_ENCRYPTION_CERTIFICATE", status.reasonCode());
        assertEquals("Import an encryption certificate for the user.", status.detail());
        assertNull(status.packageId());
    }

    @Test
    void buildAfterFailureIsReady() {
        RetrievalStatus status = statusOf(ready("p1", 1, 5), assigned(1, 2), buildFailed(1, 3));

        assertEquals(RetrievalState.READY, status.state());
        assertEquals("p1", status.packageId());
    }

    @Test
    void failureAfterBuildIsFailed() {
        RetrievalStatus status = statusOf(buildFailed(1, 5), assigned(1, 2), ready("p1", 1, 3), retrieved("p1", 1, 4),
                revoked("p1", 1, "SUPERSEDED", 5));

        assertEquals(RetrievalState.FAILED, status.state());
        assertEquals("NO_ENCRYPTION_CERTIFICATE", status.reasonCode());
    }

    @Test
    void permanentNotificationFailureIsFailed() {
        RetrievalStatus status = statusOf(assigned(1, 2), ready("p1", 1, 3), notificationFailed(1, true, 4));

        assertEquals(RetrievalState.FAILED, status.state());
        assertEquals(RetrievalStatus.NOTIFICATION_FAILED, status.reasonCode());
        assertTrue(status.detail().contains("PUSH_TOKEN_INVALID"), status.detail());
        assertEquals("p1", status.packageId());
    }

    @Test
    void temporaryNotificationFailureStaysReady() {
        RetrievalStatus status = statusOf(assigned(1, 2), ready("p1", 1, 3), notificationFailed(1, false, 4));

        assertEquals(RetrievalState.READY, status.state());
    }

    @Test
    void otherChannelSuccessBeatsNotificationFailure() {
        RetrievalStatus status = statusOf(assigned(1, 2), ready("p1", 1, 3), notified(1, 5),
                notificationFailed(1, true, 4));

        assertEquals(RetrievalState.NOTIFIED, status.state());
    }

    @Test
    void downloadBeatsNotificationFailure() {
        RetrievalStatus status = statusOf(assigned(1, 2), ready("p1", 1, 3), notificationFailed(1, true, 4),
                retrieved("p1", 1, 5));

        assertEquals(RetrievalState.RETRIEVED, status.state());
    }

    @Test
    void lateNotificationKeepsInstalled() {
        RetrievalStatus status = statusOf(assigned(1, 2), ready("p1", 1, 3), retrieved("p1", 1, 5),
                confirmed("p1", 1, 6), notified(1, 4), notificationFailed(1, true, 4));

        assertEquals(RetrievalState.INSTALLED, status.state());
    }

    @Test
    void supersededPackageEventsIgnored() {
        RetrievalStatus status = statusOf(assigned(1, 2), ready("p1", 1, 3), ready("p2", 1, 10),
                retrieved("p1", 1, 4), confirmed("p1", 1, 5), revoked("p1", 1, "SUPERSEDED", 10));

        assertEquals(RetrievalState.READY, status.state());
        assertEquals("p2", status.packageId());
    }

    @Test
    void revokedLatestPackageIsPending() {
        RetrievalStatus status = statusOf(assigned(1, 2), ready("p1", 1, 3), confirmed("p1", 1, 5),
                revoked("p1", 1, "SUPERSEDED", 10));

        assertEquals(RetrievalState.PENDING, status.state());
        assertNull(status.packageId());
        assertTrue(status.detail().contains("SUPERSEDED"), status.detail());
    }

    @Test
    void newerVersionIgnoresOlderEvents() {
        RetrievalFacts facts = applyAll(assigned(2, 20), ready("p1", 1, 3), retrieved("p1", 1, 4),
                confirmed("p1", 1, 5), buildFailed(1, 6), notified(1, 7), assigned(1, 2));
        RetrievalStatus status = facts.status().orElseThrow();

        assertEquals(RetrievalState.PENDING, status.state());
        assertEquals(2, status.policyVersion());
        assertEquals(List.of(), facts.packages());
        assertNull(facts.buildFailure());
        assertNull(facts.notifiedAt());
    }

    @Test
    void newerVersionPackageImpliesAssignment() {
        RetrievalStatus status = statusOf(assigned(1, 2), ready("p2", 2, 21));

        assertEquals(RetrievalState.READY, status.state());
        assertEquals(2, status.policyVersion());
        assertEquals("p2", status.packageId());
    }

    @Test
    void unassignedIsRemoved() {
        RetrievalStatus status = statusOf(assigned(1, 2), ready("p1", 1, 3), confirmed("p1", 1, 5),
                unassigned(1, 30));

        assertEquals(RetrievalState.REMOVED, status.state());
        assertEquals("USER_LEFT_GROUP", status.reasonCode());
        assertEquals(1, status.policyVersion());
        assertNull(status.packageId());
    }

    @Test
    void unassignedBeatsEarlierAssignmentArrivingLate() {
        RetrievalStatus status = statusOf(unassigned(1, 30), ready("p1", 1, 3), assigned(1, 2));

        assertEquals(RetrievalState.REMOVED, status.state());
    }

    @Test
    void unassignedBeatsAssignmentAtSameInstant() {
        RetrievalStatus status = statusOf(assigned(1, 30), unassigned(1, 30));

        assertEquals(RetrievalState.REMOVED, status.state());
    }

    @Test
    void reassignedHigherVersionIsPending() {
        RetrievalStatus status = statusOf(assigned(1, 2), ready("p1", 1, 3), unassigned(1, 30),
                revoked("p1", 1, "POLICY_UNASSIGNED", 31), assigned(2, 40));

        assertEquals(RetrievalState.PENDING, status.state());
        assertEquals(2, status.policyVersion());
    }

    @Test
    void reassignedHigherVersionArrivingFirst() {
        RetrievalStatus status = statusOf(assigned(2, 40), ready("p2", 2, 41), unassigned(1, 30),
                assigned(1, 2), ready("p1", 1, 3));

        assertEquals(RetrievalState.READY, status.state());
        assertEquals("p2", status.packageId());
    }

    @Test
    void reassignedSameVersionLaterIsActive() {
        RetrievalStatus status = statusOf(assigned(1, 2), ready("p1", 1, 3), unassigned(1, 30),
                revoked("p1", 1, "POLICY_UNASSIGNED", 31), assigned(1, 40), ready("p2", 1, 41));

        assertEquals(RetrievalState.READY, status.state());
        assertEquals("p2", status.packageId());
    }

    @Test
    void retiredIsRemoved() {
        RetrievalStatus status = statusOf(enrolled(1), assigned(1, 2), ready("p1", 1, 3), confirmed("p1", 1, 5),
                retired(50));

        assertEquals(RetrievalState.REMOVED, status.state());
        assertEquals(RetrievalStatus.DEVICE_RETIRED, status.reasonCode());
        assertTrue(status.detail().contains("Lost device"), status.detail());
    }

    @Test
    void retiredBeatsUnassigned() {
        RetrievalStatus status = statusOf(assigned(1, 2), unassigned(1, 30), retired(50));

        assertEquals(RetrievalStatus.DEVICE_RETIRED, status.reasonCode());
    }

    @Test
    void reenrolledAfterRetirementIsActive() {
        RetrievalStatus waiting = statusOf(enrolled(1), assigned(1, 2), ready("p1", 1, 3), confirmed("p1", 1, 5),
                retired(50), revoked("p1", 1, "DEVICE_RETIRED", 51), enrolled(60));
        RetrievalStatus rebuilt = statusOf(enrolled(1), assigned(1, 2), ready("p1", 1, 3), confirmed("p1", 1, 5),
                retired(50), revoked("p1", 1, "DEVICE_RETIRED", 51), enrolled(60), ready("p2", 1, 61));

        assertEquals(RetrievalState.PENDING, waiting.state());
        assertEquals(RetrievalState.READY, rebuilt.state());
        assertEquals("p2", rebuilt.packageId());
    }

    @Test
    void earlierEnrollmentArrivingLateStaysRetired() {
        RetrievalStatus status = statusOf(assigned(1, 2), retired(50), enrolled(1));

        assertEquals(RetrievalState.REMOVED, status.state());
    }

    @Test
    void enrollmentAtRetirementInstantStaysRetired() {
        RetrievalStatus status = statusOf(assigned(1, 2), retired(50), enrolled(50));

        assertEquals(RetrievalState.REMOVED, status.state());
    }

    @Test
    void scepInstallWaitsForSigningCertificate() {
        RetrievalStatus installedOnly = statusOf(assigned(1, 2), readyScep("p1", 1, 3), retrieved("p1", 1, 4),
                confirmed("p1", 1, 5));
        RetrievalStatus withCertificate = statusOf(assigned(1, 2), readyScep("p1", 1, 3), retrieved("p1", 1, 4),
                confirmed("p1", 1, 5), signingIssued(1, 6));
        RetrievalStatus certificateFirst = statusOf(assigned(1, 2), readyScep("p1", 1, 3), retrieved("p1", 1, 4),
                signingIssued(1, 5), confirmed("p1", 1, 6));

        assertEquals(RetrievalState.RETRIEVED, installedOnly.state());
        assertEquals(RetrievalState.INSTALLED, withCertificate.state());
        assertEquals(RetrievalState.INSTALLED, certificateFirst.state());
    }

    @Test
    void scepFailureFailsUntilNewerPackage() {
        RetrievalStatus failed = statusOf(assigned(1, 2), readyScep("p1", 1, 3), retrieved("p1", 1, 4),
                signingFailed(1, 80));
        RetrievalStatus rebuilt = statusOf(assigned(1, 2), readyScep("p1", 1, 3), retrieved("p1", 1, 4),
                signingFailed(1, 80), revoked("p1", 1, "SUPERSEDED", 81), readyScep("p2", 1, 81));
        RetrievalStatus retried = statusOf(assigned(1, 2), readyScep("p1", 1, 3), retrieved("p1", 1, 4),
                signingFailed(1, 80), signingIssued(1, 82), confirmed("p1", 1, 83));

        assertEquals(RetrievalState.FAILED, failed.state());
        assertEquals("CHALLENGE_EXPIRED", failed.reasonCode());
        assertEquals(RetrievalState.READY, rebuilt.state());
        assertEquals(RetrievalState.INSTALLED, retried.state());
    }

    @Test
    void importedSigningIgnoresScepEvents() {
        RetrievalStatus status = statusOf(assigned(1, 2), ready("p1", 1, 3), confirmed("p1", 1, 5), signingFailed(1, 6));

        assertEquals(RetrievalState.INSTALLED, status.state());
    }
}
