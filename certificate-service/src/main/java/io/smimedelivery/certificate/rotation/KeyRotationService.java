package io.smimedelivery.certificate.rotation;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smimedelivery.certificate.crypto.KekConfig;
import io.smimedelivery.certificate.crypto.KeyEncryption;
import io.smimedelivery.certificate.crypto.KeyEncryptionProvider;
import io.smimedelivery.certificate.rotation.KeyRotationStore.RunnerLock;
import io.smimedelivery.common.problem.ProblemException;

/**
 * Re-encrypts every stored value whose key id is configured but not current under the current key, in a
 * background thread. Each batch locks its rows with FOR UPDATE SKIP LOCKED and commits the new values
 * with the run's counters, so a stopped run loses nothing and the next run selects only what is left.
 * A PostgreSQL advisory lock lets one runner per database work at a time, across instances.
 */
@ApplicationScoped
public class KeyRotationService {

    private static final Logger LOG = Logger.getLogger(KeyRotationService.class);
    private static final Duration PROGRESS_LOG_INTERVAL = Duration.ofSeconds(10);
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(30);

    private final KeyRotationStore store;
    private final KeyEncryptionProvider keyEncryption;
    private final KekConfig.Rotation config;

    private Thread runner;
    private volatile boolean shuttingDown;

    public KeyRotationService(KeyRotationStore store, KeyEncryptionProvider keyEncryption, KekConfig config) {
        this.store = store;
        this.keyEncryption = keyEncryption;
        this.config = config.rotation();
    }

    /**
     * Starts a run, or returns the one that is running already. A run left RUNNING by a stopped process
     * becomes INTERRUPTED, and the new run continues with the values that are still under old key ids.
     *
     * @throws ProblemException 503 when no key-encryption key is configured, 409 when another instance is
     *                          starting a run at the same moment
     */
    public synchronized RotationRun start() {
        KeyEncryption encryption = keyEncryption.require();
        if (shuttingDown) {
            throw new ProblemException(Response.Status.SERVICE_UNAVAILABLE, "shutting-down", "Service stopping",
                    "certificate-service is stopping; start the key rotation again once it runs", List.of());
        }
        Optional<RunnerLock> lock = store.tryLockRunner();
        if (lock.isEmpty()) {
            return QuarkusTransaction.requiringNew().call(store::runningRun)
                    .orElseThrow(() -> new ProblemException(Response.Status.CONFLICT, "rotation-starting",
                            "Key rotation starting", "Another instance is starting a key rotation; read its progress"
                                    + " with GET /api/admin/key-encryption", List.of()));
        }
        try {
            String[] keyIds = otherKeyIds(encryption);
            Instant now = Instant.now();
            UUID id = UUID.randomUUID();
            int total = QuarkusTransaction.requiringNew().call(() -> {
                int interrupted = store.interruptAbandonedRuns(now);
                if (interrupted > 0) {
                    LOG.warnf("Marked %d key rotation run(s) left running by a stopped process as INTERRUPTED",
                            interrupted);
                }
                int remaining = keyIds.length == 0 ? 0 : store.countToRotate(encryption.currentKeyId(), keyIds);
                store.insertRun(id, encryption.currentKeyId(), remaining, now);
                return remaining;
            });
            LOG.infof("Key rotation %s started: %d value(s) under key id(s) %s to re-encrypt under %s, %d per batch",
                    id, total, Arrays.toString(keyIds), encryption.currentKeyId(), config.batchSize());
            RotationRun started = QuarkusTransaction.requiringNew().call(() -> store.run(id)).orElseThrow();
            RunnerLock held = lock.get();
            runner = new Thread(() -> runAndRelease(id, encryption, keyIds, held), "kek-rotation");
            runner.setDaemon(true);
            runner.start();
            return started;
        } catch (RuntimeException e) {
            // Only reached before the runner thread starts, so the lock still belongs to this request.
            lock.get().close();
            throw e;
        }
    }

    /**
     * Asks a running run to stop after its current batch, on whichever instance runs it.
     *
     * @throws ProblemException 404 when the run does not exist, 409 when it is not running
     */
    public RotationRun stop(UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> {
            RotationRun run = store.run(id).orElseThrow(() -> ProblemException.notFound("Key rotation", id.toString()));
            if (!store.requestStop(id)) {
                throw new ProblemException(Response.Status.CONFLICT, "rotation-not-running", "Key rotation not running",
                        "Key rotation " + id + " is " + run.status() + ", so there is nothing to stop", List.of());
            }
            LOG.infof("Stop requested for key rotation %s", id);
            return store.run(id).orElseThrow();
        });
    }

    public Optional<RotationRun> run(UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> store.run(id));
    }

    public Optional<RotationRun> latestRun() {
        return QuarkusTransaction.requiringNew().call(store::latestRun);
    }

    private void runAndRelease(UUID id, KeyEncryption encryption, String[] keyIds, RunnerLock lock) {
        // The run's final status is written before the lock is released, so a new start never finds it RUNNING.
        try (lock) {
            try {
                run(id, encryption, keyIds);
            } catch (RuntimeException e) {
                LOG.errorf(e, "Key rotation %s failed", id);
                finish(id, RotationRun.FAILED, "The run failed: " + e.getMessage());
            }
        }
    }

    private void run(UUID id, KeyEncryption encryption, String[] keyIds) {
        int done = 0;
        int errors = 0;
        Instant lastLog = Instant.now();
        boolean stopped = false;
        for (EncryptedColumn column : EncryptedColumn.values()) {
            Set<String> failedIds = new HashSet<>();
            while (keyIds.length > 0) {
                BatchOutcome batch = QuarkusTransaction.requiringNew()
                        .call(() -> rotateBatch(id, column, encryption, keyIds, failedIds));
                done += batch.done();
                errors += batch.errors();
                if (batch.stopRequested() || shuttingDown) {
                    stopped = true;
                    break;
                }
                if (batch.selected() == 0) {
                    break;
                }
                if (Duration.between(lastLog, Instant.now()).compareTo(PROGRESS_LOG_INTERVAL) >= 0) {
                    LOG.infof("Key rotation %s: %d value(s) re-encrypted, %d failed so far", id, done, errors);
                    lastLog = Instant.now();
                }
                pauseBetweenBatches();
            }
            if (stopped) {
                break;
            }
        }
        String status = RotationRun.COMPLETED;
        if (stopped) {
            status = RotationRun.INTERRUPTED;
        } else if (errors > 0) {
            status = RotationRun.FAILED;
        }
        finish(id, status, null);
        LOG.infof("Key rotation %s ended %s: %d value(s) re-encrypted under %s, %d failed", id, status, done,
                encryption.currentKeyId(), errors);
    }

    private record BatchOutcome(int selected, int done, int errors, boolean stopRequested) {
    }

    /**
     * Re-encrypts one batch of {@code column} and adds its counts to the run, in the caller's transaction,
     * unless a stop was requested.
     * A value that fails to decrypt keeps its old key id, counts as an error and joins {@code failedIds}, so
     * later batches of the run skip it.
     */
    private BatchOutcome rotateBatch(UUID id, EncryptedColumn column, KeyEncryption encryption, String[] keyIds,
            Set<String> failedIds) {
        if (store.stopRequested(id)) {
            return new BatchOutcome(0, 0, 0, true);
        }
        List<KeyRotationStore.StoredValue> values = store.lockBatch(column, encryption.currentKeyId(), keyIds,
                failedIds.toArray(String[]::new), config.batchSize());
        int done = 0;
        List<String> failures = new ArrayList<>();
        for (KeyRotationStore.StoredValue value : values) {
            byte[] plaintext = null;
            try {
                plaintext = encryption.decrypt(value.value());
                store.replace(column, value.id(), encryption.encrypt(plaintext), encryption.currentKeyId());
                done++;
            } catch (IllegalArgumentException e) {
                // KeyEncryption's messages name the key id and the fault, never key material.
                String failure = column.table() + " row " + value.id() + ": " + e.getMessage();
                LOG.errorf("Key rotation %s cannot re-encrypt %s", id, failure);
                failures.add(failure);
                failedIds.add(value.id().toString());
            } finally {
                if (plaintext != null) {
                    Arrays.fill(plaintext, (byte) 0);
                }
            }
        }
        String lastError = failures.isEmpty() ? null : failures.get(failures.size() - 1);
        boolean stopRequested = values.isEmpty() ? false : store.addProgress(id, done, failures.size(), lastError);
        return new BatchOutcome(values.size(), done, failures.size(), stopRequested);
    }

    private void pauseBetweenBatches() {
        long millis = config.batchPause().toMillis();
        if (millis <= 0) {
            return;
        }
        long until = System.currentTimeMillis() + millis;
        while (!shuttingDown && System.currentTimeMillis() < until) {
            try {
                Thread.sleep(Math.min(100, until - System.currentTimeMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void finish(UUID id, String status, String lastError) {
        QuarkusTransaction.requiringNew().run(() -> store.finishRun(id, status, lastError, Instant.now()));
    }

    /** Returns the configured key ids other than the current one, sorted. */
    private static String[] otherKeyIds(KeyEncryption encryption) {
        return encryption.keyIds().stream().filter(keyId -> !keyId.equals(encryption.currentKeyId())).sorted()
                .toArray(String[]::new);
    }

    /** Marks runs left RUNNING by a stopped process as INTERRUPTED, so the status does not show them as running. */
    void onStart(@Observes StartupEvent event) {
        try {
            Optional<RunnerLock> lock = store.tryLockRunner();
            if (lock.isEmpty()) {
                return;
            }
            try (RunnerLock held = lock.get()) {
                int interrupted = QuarkusTransaction.requiringNew().call(() -> store.interruptAbandonedRuns(Instant.now()));
                if (interrupted > 0) {
                    LOG.warnf("Key rotation was running when the service stopped; %d run(s) marked INTERRUPTED. POST"
                            + " /api/admin/key-encryption/rotations re-encrypts the rest", interrupted);
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf("Checking for interrupted key rotation runs failed: %s", e.getMessage());
        }
    }

    /** Ends the running batch loop after its current batch; the run becomes INTERRUPTED. */
    void onStop(@Observes ShutdownEvent event) {
        shuttingDown = true;
        Thread current;
        synchronized (this) {
            current = runner;
        }
        if (current != null && current.isAlive()) {
            try {
                current.join(SHUTDOWN_WAIT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
