package io.smimedelivery.policy.assignment;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

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
import io.smimedelivery.policy.entity.AssignmentJob;

/**
 * Runs fan-out jobs on a thread of its own, one batch of users per transaction. The batch transaction
 * locks the job row (FOR UPDATE SKIP LOCKED), reconciles the next users after the job's cursor, and
 * moves the cursor. A restart therefore resumes after the last committed batch, and two instances never
 * work on the same job at once. Jobs of one policy run in the order they were created.
 */
@ApplicationScoped
public class AssignmentJobRunner {

    private static final Logger LOG = Logger.getLogger(AssignmentJobRunner.class);
    private static final String NEXT_JOB = """
            SELECT j.id FROM assignment_job j
            WHERE j.status IN ('QUEUED', 'RUNNING')
              AND NOT EXISTS (SELECT 1 FROM assignment_job o WHERE o.policy_id = j.policy_id
                              AND o.status IN ('QUEUED', 'RUNNING') AND o.created_at < j.created_at)
            ORDER BY j.created_at
            LIMIT 1
            FOR UPDATE SKIP LOCKED
            """;
    /** Users that may need a change: members of an INCLUDE group, and users who were sent the policy. */
    private static final String CANDIDATES = """
            SELECT gm.user_id FROM group_member gm
            JOIN policy_group_assignment a ON a.group_id = gm.group_id
            WHERE a.policy_id = ? AND a.mode = 'INCLUDE'
            UNION
            SELECT user_id FROM user_policy_assignment WHERE policy_id = ?
            """;

    private final DataSource dataSource;
    private final AssignmentReconciler reconciler;
    private final AssignmentConfig config;
    private final TransactionSynchronizationRegistry transactions;
    private final MeterRegistry registry;
    /** The job whose progress the gauges show: the one running, or else the last one that ran. */
    private final AtomicReference<JobProgress> displayedProgress = new AtomicReference<>();

    private final BackgroundLoop loop = new BackgroundLoop("assignment-job-runner");

    public AssignmentJobRunner(DataSource dataSource, AssignmentReconciler reconciler, AssignmentConfig config,
            TransactionSynchronizationRegistry transactions, MeterRegistry registry) {
        this.dataSource = dataSource;
        this.reconciler = reconciler;
        this.config = config;
        this.transactions = transactions;
        this.registry = registry;
        Gauge.builder("smime.assignment.job.total", displayedProgress, ref -> ref.get() == null ? 0 : ref.get().total)
                .description("Candidate users of the current or last assignment job").register(registry);
        Gauge.builder("smime.assignment.job.done", displayedProgress, ref -> ref.get() == null ? 0 : ref.get().done)
                .description("Users reconciled so far by the current or last assignment job").register(registry);
        Gauge.builder("smime.assignment.job.failed", displayedProgress, ref -> ref.get() == null ? 0 : ref.get().failed)
                .description("Users the current or last assignment job failed to reconcile").register(registry);
    }

    void onStart(@Observes StartupEvent event) {
        if (config.runnerEnabled()) {
            start();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    public void start() {
        if (loop.start(this::run)) {
            LOG.info("Assignment job runner started");
        }
    }

    /** Stops the runner after its current batch; the job stays RUNNING and resumes on the next start. */
    public void stop() {
        if (loop.stop(Duration.ofSeconds(60))) {
            LOG.info("Assignment job runner stopped");
        }
    }

    public void wake() {
        loop.wake();
    }

    /** Wakes the runner when the current transaction commits. */
    void wakeAfterCommit() {
        AfterCommit.run(transactions, AssignmentJobRunner.class, this::wake);
    }

    private void run() {
        while (loop.running()) {
            boolean worked;
            try {
                worked = runOneBatch();
            } catch (RuntimeException e) {
                LOG.errorf(e, "Assignment job runner failed; retrying in %s", config.pollInterval());
                worked = false;
            }
            if (!worked) {
                loop.awaitWake(config.pollInterval());
            }
        }
    }

    /** Runs one batch of the oldest open job. Returns false when there was no job to work on. */
    public boolean runOneBatch() {
        UUID jobId = QuarkusTransaction.requiringNew().call(this::lockNextJob);
        if (jobId == null) {
            return false;
        }
        for (int attempt = 1; attempt <= config.maxBatchAttempts(); attempt++) {
            try {
                QuarkusTransaction.requiringNew().timeout(300).run(() -> processBatch(jobId, false));
                return true;
            } catch (RuntimeException e) {
                LOG.warnf("Batch of assignment job %s failed (attempt %d of %d): %s", jobId, attempt,
                        config.maxBatchAttempts(), e.getMessage());
            }
        }
        QuarkusTransaction.requiringNew().run(() -> processBatch(jobId, true));
        return true;
    }

    private UUID lockNextJob() throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement next = connection.prepareStatement(NEXT_JOB);
                ResultSet result = next.executeQuery()) {
            return result.next() ? result.getObject(1, UUID.class) : null;
        }
    }

    /**
     * Reconciles the next batch of the job in the current transaction. With {@code skip}, the batch is
     * not reconciled but counted as failed, so a batch that keeps failing cannot stop the job.
     */
    private void processBatch(UUID jobId, boolean skip) {
        AssignmentJob job = AssignmentJob.getEntityManager().find(AssignmentJob.class, jobId,
                jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        if (job == null || job.status == AssignmentJob.Status.COMPLETED || job.status == AssignmentJob.Status.FAILED) {
            return;
        }
        if (job.status == AssignmentJob.Status.QUEUED) {
            job.status = AssignmentJob.Status.RUNNING;
            job.startedAt = Instant.now();
            job.total = countCandidates(job.policyId);
            LOG.infof("Assignment job %s started: policy %s, %d candidate users (%s)", job.id, job.policyId, job.total,
                    job.trigger);
        }
        List<String> batch = nextCandidates(job.policyId, job.cursor, config.batchSize());
        if (batch.isEmpty()) {
            job.status = AssignmentJob.Status.COMPLETED;
            job.finishedAt = Instant.now();
            job.total = Math.max(job.total, job.done + job.failed);
            LOG.infof("Assignment job %s completed: %d users reconciled, %d assigned, %d unassigned, %d failed",
                    job.id, job.done, job.assigned, job.unassigned, job.failed);
        } else if (skip) {
            job.failed += batch.size();
            job.cursor = batch.get(batch.size() - 1);
            LOG.errorf("Assignment job %s skips %d users from %s to %s after repeated failures", job.id, batch.size(),
                    batch.get(0), job.cursor);
        } else {
            AssignmentReconciler.Outcome outcome = reconciler.reconcile(job.policyId, batch, job.trigger);
            job.done += batch.size();
            job.assigned += outcome.assigned();
            job.unassigned += outcome.unassigned();
            job.cursor = batch.get(batch.size() - 1);
            job.total = Math.max(job.total, job.done + job.failed);
        }
        displayedProgress.set(new JobProgress(job.total, job.done, job.failed));
    }

    private int countCandidates(UUID policyId) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement count = connection.prepareStatement("SELECT count(*) FROM (" + CANDIDATES + ") c")) {
            count.setObject(1, policyId);
            count.setObject(2, policyId);
            try (ResultSet result = count.executeQuery()) {
                result.next();
                return result.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to count the candidate users of policy " + policyId, e);
        }
    }

    private List<String> nextCandidates(UUID policyId, String cursor, int limit) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(
                "SELECT user_id FROM (" + CANDIDATES + ") c WHERE user_id > ? ORDER BY user_id LIMIT ?")) {
            query.setObject(1, policyId);
            query.setObject(2, policyId);
            query.setString(3, cursor == null ? "" : cursor);
            query.setInt(4, limit);
            List<String> ids = new ArrayList<>();
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    ids.add(result.getString(1));
                }
            }
            return ids;
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to read candidate users of policy " + policyId, e);
        }
    }

    private record JobProgress(int total, int done, int failed) {
    }
}
