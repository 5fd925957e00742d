package io.smimedelivery.policy.assignment;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.smimedelivery.policy.entity.AssignmentJob;

/** Creates fan-out jobs. A job that has not started yet covers later changes of its policy too. */
@ApplicationScoped
public class AssignmentJobs {

    private static final Logger LOG = Logger.getLogger(AssignmentJobs.class);

    private final AssignmentJobRunner runner;

    public AssignmentJobs(AssignmentJobRunner runner) {
        this.runner = runner;
    }

    /** Queues a job that reconciles every candidate user of {@code policyId}, in the caller's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public AssignmentJob enqueue(UUID policyId, String trigger) {
        AssignmentJob queued = AssignmentJob.find("policyId = ?1 and status = ?2 order by createdAt", policyId,
                AssignmentJob.Status.QUEUED).firstResult();
        if (queued != null) {
            LOG.debugf("Job %s of policy %s is still queued and also covers %s", queued.id, policyId, trigger);
            return queued;
        }
        AssignmentJob job = new AssignmentJob();
        job.id = UUID.randomUUID();
        job.policyId = policyId;
        job.trigger = trigger;
        job.status = AssignmentJob.Status.QUEUED;
        job.createdAt = Instant.now();
        job.persist();
        runner.wakeAfterCommit();
        LOG.infof("Queued assignment job %s for policy %s (%s)", job.id, policyId, trigger);
        return job;
    }
}
