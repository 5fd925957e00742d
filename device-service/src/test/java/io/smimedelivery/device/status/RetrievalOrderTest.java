package io.smimedelivery.device.status;

import static io.smimedelivery.device.status.RetrievalEvents.applyAll;
import static io.smimedelivery.device.status.RetrievalEvents.assigned;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.smimedelivery.events.RetrievalState;

/**
 * Applies the same events in many seeded random orders, with random duplicates, and checks that the facts
 * and the status never depend on the order. Plain {@link Random} with fixed seeds keeps every run
 * reproducible: a failure message names the seed.
 */
class RetrievalOrderTest {

    private static final int SHUFFLES = 500;
    private static final int HISTORIES = 50;
    private static final int SHUFFLES_PER_HISTORY = 20;

    /** Thumbprints the generated packages draw from. */
    private static final List<String> CERTIFICATE_POOL = List.of("aa01", "bb02", "cc03", "dd04", "ee05");

    @Test
    void fullLifecycleIgnoresOrder() {
        List<RetrievalEvent> events = List.of(
                enrolled(1), assigned(1, 2), ready("p1", 1, 3), notified(1, 4), retrieved("p1", 1, 5),
                confirmed("p1", 1, 6),
                // A renewed certificate: the same version is built again.
                ready("p2", 1, 10), revoked("p1", 1, "SUPERSEDED", 10), notificationFailed(1, true, 11),
                retrieved("p2", 1, 12), confirmed("p2", 1, List.of("aa01"), 13), confirmed("p2", 1, 14),
                // A policy edit: the first build fails, the second succeeds.
                assigned(2, 20), buildFailed(2, 21), ready("p3", 2, 25), revoked("p2", 1, "SUPERSEDED", 25),
                notificationFailed(2, false, 26), notified(2, 27),
                unassigned(2, 30), revoked("p3", 2, "POLICY_UNASSIGNED", 31),
                assigned(3, 40), ready("p4", 3, 41), notified(3, 42), retrieved("p4", 3, 43),
                retired(50), revoked("p4", 3, "DEVICE_RETIRED", 51),
                // Re-enrolled: a new package, a failed first install, then a good one.
                enrolled(60), ready("p5", 3, 61), notificationFailed(3, true, 62), retrieved("p5", 3, 63),
                confirmed("p5", 3, List.of("aa01", "bb02"), 64), confirmed("p5", 3, 65), notified(3, 66));
        RetrievalFacts expected = applyAll(events);
        RetrievalStatus expectedStatus = expected.status().orElseThrow();

        assertEquals(RetrievalState.INSTALLED, expectedStatus.state());
        assertEquals(3, expectedStatus.policyVersion());
        assertEquals("p5", expectedStatus.packageId());

        long seed = 20250301L;
        Random random = new Random(seed);
        for (int shuffle = 0; shuffle < SHUFFLES; shuffle++) {
            List<RetrievalEvent> order = shuffledWithDuplicates(events, random);
            RetrievalFacts facts = applyAll(order);

            assertEquals(expected, facts, "facts differ for seed " + seed + ", shuffle " + shuffle);
            assertEquals(expectedStatus, facts.status().orElseThrow(),
                    "status differs for seed " + seed + ", shuffle " + shuffle);
        }
    }

    @Test
    void generatedHistoriesIgnoreOrder() {
        Set<RetrievalState> finalStates = EnumSet.noneOf(RetrievalState.class);
        for (long seed = 1; seed <= HISTORIES; seed++) {
            Random random = new Random(seed);
            List<RetrievalEvent> events = history(random);
            RetrievalFacts expected = applyAll(events);
            finalStates.add(expected.status().orElseThrow().state());

            for (int shuffle = 0; shuffle < SHUFFLES_PER_HISTORY; shuffle++) {
                List<RetrievalEvent> order = shuffledWithDuplicates(events, random);
                RetrievalFacts facts = applyAll(order);

                assertEquals(expected, facts, "facts differ for seed " + seed + ", shuffle " + shuffle);
                assertEquals(expected.status(), facts.status(), "status differs for seed " + seed);
            }
        }
        // The generator must reach most states, or the check above proves little.
        assertTrue(finalStates.size() >= 5, "final states reached: " + finalStates);
    }

    @Test
    void joinIsAssociativeAndCommutative() {
        for (long seed = 1; seed <= HISTORIES; seed++) {
            Random random = new Random(seed);
            List<RetrievalEvent> events = history(random);
            RetrievalFacts expected = applyAll(events);

            List<List<RetrievalEvent>> parts = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            for (RetrievalEvent event : events) {
                parts.get(random.nextInt(parts.size())).add(event);
            }
            RetrievalFacts a = applyAll(parts.get(0));
            RetrievalFacts b = applyAll(parts.get(1));
            RetrievalFacts c = applyAll(parts.get(2));

            assertEquals(expected, a.join(b).join(c), "(a+b)+c for seed " + seed);
            assertEquals(expected, a.join(b.join(c)), "a+(b+c) for seed " + seed);
            assertEquals(expected, c.join(a).join(b), "(c+a)+b for seed " + seed);
            assertEquals(a.join(b), b.join(a), "a+b against b+a for seed " + seed);
            assertEquals(a, a.join(a), "a+a for seed " + seed);
        }
    }

    @Test
    void storedFactsResumeInAnyOrder() {
        for (long seed = 1; seed <= HISTORIES; seed++) {
            Random random = new Random(seed);
            List<RetrievalEvent> events = history(random);
            List<RetrievalEvent> order = shuffledWithDuplicates(events, random);

            // Stores the facts as JSON after every event, as a service does between two messages.
            RetrievalFacts facts = RetrievalFacts.EMPTY;
            for (RetrievalEvent event : order) {
                facts = RetrievalFacts.fromJson(facts.apply(event).toJson());
            }

            assertEquals(applyAll(events), facts, "facts differ after storing for seed " + seed);
        }
    }

    private static List<RetrievalEvent> shuffledWithDuplicates(List<RetrievalEvent> events, Random random) {
        List<RetrievalEvent> order = new ArrayList<>(events);
        int duplicates = random.nextInt(events.size() + 1);
        for (int i = 0; i < duplicates; i++) {
            order.add(events.get(random.nextInt(events.size())));
        }
        Collections.shuffle(order, random);
        return order;
    }

    /**
     * Generates the events of one device and policy as the producers would publish them. A history contains
     * policy edits, unassignments and new assignments, rebuilt packages that supersede older ones and failed
     * builds. It also contains notifications that succeed or fail, downloads, matching and mismatching
     * install reports, retirements and re-enrollments. One clock serves all producers, so every event has
     * its own minute.
     */
    private static List<RetrievalEvent> history(Random random) {
        List<RetrievalEvent> events = new ArrayList<>();
        int minute = 0;
        int version = 1;
        boolean assigned = true;
        boolean enrolled = true;
        int packageCount = 0;
        String currentPackage = null;
        int currentVersion = 0;
        List<String> currentCertificates = List.of();
        boolean scep = random.nextBoolean();

        events.add(new RetrievalEvent.Enrolled(RetrievalEvents.at(++minute)));
        events.add(assigned(version, ++minute));

        int steps = 10 + random.nextInt(30);
        for (int step = 0; step < steps; step++) {
            minute++;
            switch (random.nextInt(10)) {
                case 0 -> {
                    if (assigned) {
                        version++;
                        events.add(assigned(version, minute));
                    }
                }
                case 1 -> {
                    if (assigned) {
                        assigned = false;
                        events.add(unassigned(version, minute));
                        if (currentPackage != null) {
                            events.add(revoked(currentPackage, currentVersion, "POLICY_UNASSIGNED", ++minute));
                            currentPackage = null;
                        }
                    }
                }
                case 2 -> {
                    if (!assigned) {
                        assigned = true;
                        if (random.nextBoolean()) {
                            version++;
                        }
                        events.add(assigned(version, minute));
                    }
                }
                case 3, 4 -> {
                    if (assigned && enrolled) {
                        if (currentPackage != null) {
                            events.add(revoked(currentPackage, currentVersion, "SUPERSEDED", minute));
                            currentPackage = null;
                        }
                        if (random.nextInt(4) == 0) {
                            events.add(buildFailed(version, minute));
                        } else {
                            packageCount++;
                            currentPackage = "p" + packageCount;
                            currentVersion = version;
                            currentCertificates = certificates(random);
                            events.add(new RetrievalEvent.Ready(currentPackage, version, currentCertificates,
                                    RetrievalEvents.at(minute), scep));
                        }
                    }
                }
                case 5 -> {
                    if (currentPackage != null) {
                        int outcome = random.nextInt(3);
                        if (outcome == 0) {
                            events.add(notified(currentVersion, minute));
                        } else {
                            events.add(notificationFailed(currentVersion, outcome == 1, minute));
                        }
                    }
                }
                case 6 -> {
                    if (currentPackage != null) {
                        events.add(retrieved(currentPackage, currentVersion, minute));
                        if (scep) {
                            switch (random.nextInt(3)) {
                                case 0 -> events.add(RetrievalEvents.signingIssued(currentVersion, ++minute));
                                case 1 -> events.add(RetrievalEvents.signingFailed(currentVersion, ++minute));
                                default -> {
                                    // The device has not run its SCEP request yet.
                                }
                            }
                        }
                    }
                }
                case 7 -> {
                    if (currentPackage != null) {
                        List<String> incomplete = currentCertificates.subList(1, currentCertificates.size());
                        switch (random.nextInt(4)) {
                            case 0 -> events.add(confirmed(currentPackage, currentVersion, incomplete, minute));
                            case 1 -> {
                                // A failed install that the user repeats.
                                events.add(confirmed(currentPackage, currentVersion, incomplete, minute));
                                events.add(confirmed(currentPackage, currentVersion, currentCertificates, ++minute));
                            }
                            default -> events.add(confirmed(currentPackage, currentVersion, currentCertificates,
                                    minute));
                        }
                    }
                }
                case 8 -> {
                    if (enrolled) {
                        enrolled = false;
                        events.add(retired(minute));
                        if (currentPackage != null) {
                            events.add(revoked(currentPackage, currentVersion, "DEVICE_RETIRED", ++minute));
                            currentPackage = null;
                        }
                    }
                }
                default -> {
                    if (!enrolled) {
                        enrolled = true;
                        events.add(enrolled(minute));
                    }
                }
            }
        }
        return events;
    }

    /** Picks two to five certificates, so that an install report without the first one is a mismatch. */
    private static List<String> certificates(Random random) {
        List<String> pool = new ArrayList<>(CERTIFICATE_POOL);
        Collections.shuffle(pool, random);
        return List.copyOf(pool.subList(0, 2 + random.nextInt(pool.size() - 1)));
    }
}
