package io.smimedelivery.device.report;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.smimedelivery.common.problem.FieldError;
import io.smimedelivery.common.problem.ProblemDetail;
import io.smimedelivery.common.problem.ProblemException;
import io.smimedelivery.common.problem.QueryParameters;
import io.smimedelivery.common.security.Roles;

/**
 * Delivery reports for administrators: per policy, per device of a policy (as JSON pages or a CSV export)
 * and per user. Unknown query parameters are rejected, so a misspelled filter never returns every row.
 */
@Path("/api/reports")
@Tag(name = "Reports")
@Produces({ MediaType.APPLICATION_JSON, ProblemDetail.MEDIA_TYPE })
public class ReportResource {

    /** Media type of the CSV export. */
    public static final String TEXT_CSV = "text/csv; charset=UTF-8";

    static final int MAX_LIMIT = 500;
    static final int DEFAULT_LIMIT = 100;

    private static final String LIMIT = "limit";
    private static final String OFFSET = "offset";
    private static final Set<String> PAGE_PARAMETERS = Set.of(ReportFilter.INTUNE_STATE, ReportFilter.STATE,
            ReportFilter.REASON_CODE, ReportFilter.USER_ID, LIMIT, OFFSET);
    private static final String INTUNE_STATE_HELP = "Report state: SUCCEEDED, PENDING, ERROR, CONFLICT, NOT_APPLICABLE"
            + " or REMOVED; repeat for several";
    private static final String STATE_HELP = "Stored retrieval state, or NONE for rows without one; repeat for several";

    private final ReportService reports;

    public ReportResource(ReportService reports) {
        this.reports = reports;
    }

    @RolesAllowed({Roles.ADMIN, Roles.READER})
    @GET
    @Path("/policies/{policyId}")
    @Operation(summary = "Count a policy's devices per report state, stored retrieval state and reason code")
    public PolicyReport policy(@PathParam("policyId") String policyId, @Context UriInfo uri) {
        List<FieldError> errors = new ArrayList<>();
        rejectUnknownParameters(uri, Set.of(), errors);
        throwIfInvalid(errors);
        return reports.policyReport(policyId);
    }

    @RolesAllowed({Roles.ADMIN, Roles.READER})
    @GET
    @Path("/policies/{policyId}/devices")
    @Operation(summary = "List a policy's devices with their report state, filtered and paged, by device id")
    public DevicePage devices(@PathParam("policyId") String policyId,
            @QueryParam(ReportFilter.INTUNE_STATE) @Parameter(description = INTUNE_STATE_HELP) List<String> intuneState,
            @QueryParam(ReportFilter.STATE) @Parameter(description = STATE_HELP) List<String> state,
            @QueryParam(ReportFilter.REASON_CODE) @Parameter(description = "Reason code; repeat for several") List<String> reasonCode,
            @QueryParam(ReportFilter.USER_ID) @Parameter(description = "User id; repeat for several") List<String> userId,
            @QueryParam(LIMIT) @Parameter(description = "Rows per page, 1 to 500 (default 100)") String limit,
            @QueryParam(OFFSET) @Parameter(description = "Rows to skip (default 0)") String offset,
            @Context UriInfo uri) {
        List<FieldError> errors = new ArrayList<>();
        rejectUnknownParameters(uri, PAGE_PARAMETERS, errors);
        ReportFilter filter = ReportFilter.parse(intuneState, state, reasonCode, userId, errors);
        int pageSize = QueryParameters.integer(LIMIT, limit, DEFAULT_LIMIT, 1, MAX_LIMIT, errors);
        int skip = QueryParameters.integer(OFFSET, offset, 0, 0, Integer.MAX_VALUE, errors);
        throwIfInvalid(errors);
        return reports.devicePage(policyId, filter, pageSize, skip);
    }

    @RolesAllowed({Roles.ADMIN, Roles.READER})
    @GET
    @Path("/policies/{policyId}/devices.csv")
    @Produces({ TEXT_CSV, ProblemDetail.MEDIA_TYPE })
    @Operation(summary = "Export every device row of a policy that matches the filters as CSV (RFC 4180)")
    public Response devicesCsv(@PathParam("policyId") String policyId,
            @QueryParam(ReportFilter.INTUNE_STATE) @Parameter(description = INTUNE_STATE_HELP) List<String> intuneState,
            @QueryParam(ReportFilter.STATE) @Parameter(description = STATE_HELP) List<String> state,
            @QueryParam(ReportFilter.REASON_CODE) @Parameter(description = "Reason code; repeat for several") List<String> reasonCode,
            @QueryParam(ReportFilter.USER_ID) @Parameter(description = "User id; repeat for several") List<String> userId,
            @Context UriInfo uri) {
        List<FieldError> errors = new ArrayList<>();
        rejectUnknownParameters(uri, ReportFilter.PARAMETERS, errors);
        ReportFilter filter = ReportFilter.parse(intuneState, state, reasonCode, userId, errors);
        throwIfInvalid(errors);
        reports.checkPolicyKnown(policyId);

        StreamingOutput body = output -> {
            Writer writer = new BufferedWriter(new OutputStreamWriter(output, StandardCharsets.UTF_8));
            reports.exportCsv(policyId, filter, writer);
            writer.flush();
        };
        return Response.ok(body, TEXT_CSV)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + csvFileName(policyId) + "\"")
                .build();
    }

    @RolesAllowed({Roles.ADMIN, Roles.READER})
    @GET
    @Path("/users/{userId}")
    @Operation(summary = "Show a user's devices and policies with the report state of each device")
    public UserReport user(@PathParam("userId") String userId, @Context UriInfo uri) {
        List<FieldError> errors = new ArrayList<>();
        rejectUnknownParameters(uri, Set.of(), errors);
        throwIfInvalid(errors);
        return reports.userReport(userId);
    }

    /**
     * Returns the export's file name. Every character of the policy id other than ASCII letters, digits,
     * dots, dashes and underscores becomes an underscore, and the id is cut to 100 characters. The name then
     * needs no escaping in Content-Disposition and is valid on common file systems.
     */
    static String csvFileName(String policyId) {
        String safe = policyId.replaceAll("[^A-Za-z0-9._-]", "_");
        if (safe.length() > 100) {
            safe = safe.substring(0, 100);
        }
        return "policy-" + safe + "-devices.csv";
    }

    private static void rejectUnknownParameters(UriInfo uri, Set<String> accepted, List<FieldError> errors) {
        for (Map.Entry<String, List<String>> parameter : uri.getQueryParameters().entrySet()) {
            if (!accepted.contains(parameter.getKey())) {
                String hint = accepted.isEmpty() ? "remove it, because this report takes no query parameters"
                        : "remove it or use one of " + String.join(", ", new TreeSet<>(accepted))
                                + " (names are case-sensitive)";
                errors.add(new FieldError(parameter.getKey(), String.join(",", parameter.getValue()),
                        "unknown query parameter; " + hint));
            }
        }
    }

    private static void throwIfInvalid(List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw ProblemException.invalidFields("invalid-report-query", "Invalid report query", errors);
        }
    }
}
