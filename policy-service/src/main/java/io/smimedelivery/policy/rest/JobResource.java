package io.smimedelivery.policy.rest;

import java.time.Instant;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.smimedelivery.common.problem.ProblemDetail;
import io.smimedelivery.common.security.Roles;
import io.smimedelivery.policy.assignment.AssignmentService;
import io.smimedelivery.policy.entity.AssignmentJob;

/** Progress of fan-out jobs. */
@Path("/api/assignment-jobs")
@Tag(name = "Assignment jobs")
@Produces({ MediaType.APPLICATION_JSON, ProblemDetail.MEDIA_TYPE })
public class JobResource {

    /** A job as the API returns it; {@code total} is known once the job has started. */
    public record JobView(UUID id, UUID policyId, String trigger, String status, int total, int done, int failed,
            int assigned, int unassigned, Instant createdAt, Instant startedAt, Instant finishedAt) {
    }

    private final AssignmentService assignments;

    public JobResource(AssignmentService assignments) {
        this.assignments = assignments;
    }

    @RolesAllowed({Roles.ADMIN, Roles.READER})
    @GET
    @Path("/{id}")
    @Operation(summary = "Read a job's progress")
    public JobView get(@PathParam("id") String id) {
        return view(assignments.job(ProblemFactory.uuid(id, "Assignment job")));
    }

    static JobView view(AssignmentJob job) {
        return new JobView(job.id, job.policyId, job.trigger, job.status.name(), job.total, job.done, job.failed,
                job.assigned, job.unassigned, job.createdAt, job.startedAt, job.finishedAt);
    }
}
