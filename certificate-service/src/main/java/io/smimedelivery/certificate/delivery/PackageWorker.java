package io.smimedelivery.certificate.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.TransactionSynchronizationRegistry;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smimedelivery.common.concurrent.AfterCommit;
import io.smimedelivery.common.concurrent.BackgroundLoop;
import io.smimedelivery.common.concurrent.WorkerThreads;

/**
 * Works through package requests on background threads. A thread locks up to
 * {@link DeliveryConfig#workerBatchSize()} due request rows (FOR UPDATE SKIP LOCKED), brings each user's
 * packages up to date and deletes the rows, all in one transaction. A crash therefore leaves the requests
 * in place, and two workers never handle one user at once. When one user of a batch fails, the batch rolls
 * back and its users are handled again one per transaction, so the others still get their packages. A
 * failed user is retried with growing delays, and the request is never dropped.
 */
@ApplicationScoped
public class PackageWorker {

    private static final Logger LOG = Logger.getLogger(PackageWorker.class);
    private static final Duration NONCE_PRUNE_INTERVAL = Duration.ofMinutes(5);

    private final DeliveryStore store;
    private final PackageReconciler reconciler;
    private final DeliveryConfig config;
    private final TransactionSynchronizationRegistry transactions;
    private final WorkerThreads threads = new WorkerThreads("package-worker");
    private volatile Instant lastNoncePrune = Instant.EPOCH;
    /** End of the last validity check; the first check after a start looks one day back. */
    private volatile Instant validityCheckedUntil = Instant.now().minus(Duration.ofDays(1));
    private volatile Instant lastValidityCheck = Instant.EPOCH;

    private final io.smimedelivery.certificate.derived.DerivedCredentialRenewals renewals;

    public PackageWorker(DeliveryStore store, PackageReconciler reconciler, DeliveryConfig config,
            TransactionSynchronizationRegistry transactions, MeterRegistry registry,
            io.smimedelivery.certificate.derived.DerivedCredentialRenewals renewals) {
        this.renewals = renewals;
        this.store = store;
        this.reconciler = reconciler;
        this.config = config;
        this.transactions = transactions;
        Gauge.builder("smime.package.requests.pending", this, worker -> worker.pendingSafely())
                .description("Users whose packages wait to be brought up to date").register(registry);
    }

    void onStart(@Observes StartupEvent event) {
        if (config.workerEnabled()) {
            start();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    public void start() {
        if (threads.start(config.workerThreads(), this::run)) {
            LOG.infof("Package worker started with %d thread(s)", threads.size());
        }
    }

    public void stop() {
        if (threads.stop(Duration.ofSeconds(30))) {
            LOG.info("Package worker stopped");
        }
    }

    /** Wakes every worker thread. */
    public void wake() {
        threads.wake();
    }

    /** Wakes the workers when the current transaction commits. */
    public void wakeAfterCommit() {
        AfterCommit.run(transactions, PackageWorker.class, this::wake);
    }

    private void run(BackgroundLoop loop) {
        while (loop.running()) {
            boolean worked;
            try {
                worked = processBatch();
                pruneNoncesWhenDue();
                checkValidityWhenDue();
            } catch (RuntimeException e) {
                LOG.errorf(e, "Package worker failed; retrying in %s", config.pollInterval());
                worked = false;
            }
            if (!worked) {
                loop.awaitWake(config.pollInterval());
            }
        }
    }

    /**
     * Handles the oldest due requests, if any, in one transaction. Returns false when no request was due.
     * When a user's packages fail to build, the batch rolls back and {@link #processUser} handles each of
     * its users on its own.
     */
    public boolean processBatch() {
        List<String> locked = new ArrayList<>();
        try {
            return QuarkusTransaction.requiringNew().timeout(300).call(() -> {
                locked.addAll(store.lockNextRequests(config.workerBatchSize()));
                if (locked.isEmpty()) {
                    return false;
                }
                for (String userId : locked) {
                    reconciler.reconcile(userId);
                }
                store.completeRequests(locked);
                return true;
            });
        } catch (RuntimeException e) {
            if (locked.isEmpty()) {
                throw e;
            }
            if (locked.size() == 1) {
                postpone(locked.get(0), e);
                return true;
            }
            LOG.warnf("A batch of %d users failed (%s); handling them one at a time", locked.size(), e.getMessage());
            locked.forEach(this::processUser);
            return true;
        }
    }

    /**
     * Handles one user's request in a transaction of its own, when it is still due and not locked by
     * another worker. A failure postpones the request.
     */
    void processUser(String userId) {
        try {
            QuarkusTransaction.requiringNew().timeout(300).run(() -> {
                if (store.lockRequest(userId)) {
                    reconciler.reconcile(userId);
                    store.completeRequests(List.of(userId));
                }
            });
        } catch (RuntimeException e) {
            postpone(userId, e);
        }
    }

    private void postpone(String userId, RuntimeException failure) {
        QuarkusTransaction.requiringNew().run(() -> {
            int attempts = store.attemptsOf(userId);
            long factor = 1L << Math.min(attempts, 20);
            Duration delay = config.retryBackoff().multipliedBy(factor);
            if (delay.compareTo(config.maxRetryBackoff()) > 0) {
                delay = config.maxRetryBackoff();
            }
            String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
            store.postponeRequest(userId, delay, message);
            LOG.errorf(failure, "Packages of user %s failed to build (attempt %d); retrying in %s", userId, attempts + 1,
                    delay);
        });
    }

    private synchronized void checkValidityWhenDue() {
        Instant now = Instant.now();
        if (Duration.between(lastValidityCheck, now).compareTo(config.validityCheckInterval()) < 0) {
            return;
        }
        lastValidityCheck = now;
        Instant since = validityCheckedUntil;
        int queued = QuarkusTransaction.requiringNew().call(() -> store.requestPackagesForValidityChanges(since, now));
        validityCheckedUntil = now;
        if (queued > 0) {
            LOG.infof("Queued %d user(s) whose certificates became valid or expired since %s", queued, since);
        }
        int announced = QuarkusTransaction.requiringNew().call(() -> renewals.announceDue(now));
        if (announced > 0) {
            LOG.infof("Announced %d derived credential(s) due for renewal", announced);
        }
    }

    private void pruneNoncesWhenDue() {
        Instant now = Instant.now();
        if (Duration.between(lastNoncePrune, now).compareTo(NONCE_PRUNE_INTERVAL) < 0) {
            return;
        }
        lastNoncePrune = now;
        int pruned = QuarkusTransaction.requiringNew().call(() -> store.pruneNonces(now));
        if (pruned > 0) {
            LOG.debugf("Pruned %d expired device token nonces", pruned);
        }
    }

    private double pendingSafely() {
        try {
            return QuarkusTransaction.requiringNew().call(store::pendingRequests);
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }
}
