package io.smimedelivery.policy.entity;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A fan-out job: reconciles every candidate user of one policy, batch by batch. */
@Entity
@Table(name = "assignment_job")
public class AssignmentJob extends PanacheEntityBase {

    /** Job states. */
    public enum Status {
        QUEUED, RUNNING, COMPLETED, FAILED
    }

    @Id
    public UUID id;

    @Column(name = "policy_id", nullable = false)
    public UUID policyId;

    /** Cause of the job, such as GROUP_INCLUDED, GROUP_UNASSIGNED or POLICY_EDITED. */
    @Column(nullable = false)
    public String trigger;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Status status;

    public int total;
    public int done;
    public int failed;
    public int assigned;
    public int unassigned;

    /** Last user id reconciled; the next batch starts after it. */
    public String cursor;

    public String error;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;
}
