package io.smimedelivery.device.report;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smimedelivery.common.problem.ProblemException;
import io.smimedelivery.events.EventJson;

/** Builds the delivery reports from device-service's tables. Each report reads in its own transaction. */
@ApplicationScoped
public class ReportService {

    /** Rows read per statement while a CSV export streams. */
    static final int EXPORT_BATCH = 1000;

    private static final Logger LOG = Logger.getLogger(ReportService.class);

    private final ReportStore store;

    public ReportService(ReportStore store) {
        this.store = store;
    }

    /**
     * Returns the policy's counts per report state, stored state and reason code.
     *
     * @throws ProblemException 404 when no user has the policy and no status names it
     */
    public PolicyReport policyReport(String policyId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            ReportStore.PolicyInfo info = requireKnown(policyId);
            return ReportStore.summarize(policyId, info, store.countStates(policyId));
        });
    }

    /**
     * Returns one page of the policy's device rows.
     *
     * @throws ProblemException 404 when no user has the policy and no status names it
     */
    public DevicePage devicePage(String policyId, ReportFilter filter, int limit, int offset) {
        return QuarkusTransaction.requiringNew().call(() -> {
            requireKnown(policyId);
            return store.devicePage(policyId, filter, limit, offset);
        });
    }

    /**
     * Checks that the policy exists, so an export can fail with a problem response before any CSV is sent.
     *
     * @throws ProblemException 404 when no user has the policy and no status names it
     */
    public void checkPolicyKnown(String policyId) {
        QuarkusTransaction.requiringNew().run(() -> requireKnown(policyId));
    }

    /**
     * Writes the CSV header and every matching row, reading {@link #EXPORT_BATCH} rows per transaction in
     * device id order. Memory use stays bounded and no connection is held while the client reads.
     *
     * <p>NOTE: the batches are separate snapshots. A device whose status changes during the export
     * appears at most once, with the state of the moment its batch was read, or not at all when it stopped
     * matching the filters.
     */
    public void exportCsv(String policyId, ReportFilter filter, Writer out) throws IOException {
        CsvFormat.writeHeader(out);
        String after = null;
        long written = 0;
        try {
            while (true) {
                String cursor = after;
                List<DeviceReportRow> batch = QuarkusTransaction.requiringNew()
                        .call(() -> store.rowsAfter(policyId, filter, cursor, EXPORT_BATCH));
                for (DeviceReportRow row : batch) {
                    CsvFormat.writeRow(out, row);
                }
                written += batch.size();
                out.flush();
                if (batch.size() < EXPORT_BATCH) {
                    return;
                }
                after = batch.get(batch.size() - 1).deviceId();
            }
        } catch (IOException | RuntimeException e) {
            // The status line is already sent, so the client only sees a truncated body.
            LOG.errorf(e, "CSV export of policy %s failed after %d rows", policyId, written);
            throw e;
        }
    }

    /**
     * Returns the user's devices and policies with the report state of each device.
     *
     * @throws ProblemException 404 when no device, assignment, contact or status names the user
     */
    public UserReport userReport(String userId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Optional<ReportStore.Contact> contact = store.contact(userId);
            List<UserReport.Device> devices = store.userDevices(userId);
            List<ReportStore.UserPolicy> assigned = store.userPolicies(userId);
            List<ReportStore.PolicyRow> rows = store.userRows(userId);
            if (contact.isEmpty() && devices.isEmpty() && assigned.isEmpty() && rows.isEmpty()) {
                throw new ProblemException(Response.Status.NOT_FOUND, "not-found", "Resource not found",
                        "User " + userId + " not found: no device, policy assignment or status names this user id",
                        List.of());
            }
            return new UserReport(userId, contact.map(ReportStore.Contact::userPrincipalName).orElse(null),
                    contact.map(ReportStore.Contact::email).orElse(null), devices, policies(assigned, rows));
        });
    }

    private ReportStore.PolicyInfo requireKnown(String policyId) {
        ReportStore.PolicyInfo info = store.policyInfo(policyId);
        if (info.assignedUsers() == 0 && !info.hasStatus()) {
            throw new ProblemException(Response.Status.NOT_FOUND, "not-found", "Resource not found",
                    "Policy " + policyId + " not found: no user has it assigned and no device has a status for it",
                    List.of());
        }
        return info;
    }

    /** Groups the user's rows by policy, for the policies the user has now and those with a stored status. */
    private static List<UserReport.Policy> policies(List<ReportStore.UserPolicy> assigned, List<ReportStore.PolicyRow> rows) {
        Map<String, JsonNode> settings = new LinkedHashMap<>();
        for (ReportStore.UserPolicy policy : assigned) {
            settings.put(policy.policyId(), parse(policy));
        }
        Map<String, List<DeviceReportRow>> rowsByPolicy = new TreeMap<>();
        for (ReportStore.UserPolicy policy : assigned) {
            rowsByPolicy.put(policy.policyId(), new ArrayList<>());
        }
        for (ReportStore.PolicyRow row : rows) {
            rowsByPolicy.computeIfAbsent(row.policyId(), id -> new ArrayList<>()).add(row.row());
        }

        List<UserReport.Policy> policies = new ArrayList<>();
        rowsByPolicy.keySet().forEach(policyId -> {
            Optional<ReportStore.UserPolicy> policy = assigned.stream().filter(p -> p.policyId().equals(policyId))
                    .findFirst();
            JsonNode own = settings.get(policyId);
            List<String> conflicting = own == null ? List.of()
                    : PolicyConflicts.conflictingSettings(own, settings.entrySet().stream()
                            .filter(entry -> !entry.getKey().equals(policyId)).map(Map.Entry::getValue).toList());
            policies.add(new UserReport.Policy(policyId, policy.isPresent(),
                    policy.map(ReportStore.UserPolicy::policyName).orElse(null),
                    policy.map(ReportStore.UserPolicy::policyVersion).orElse(null),
                    own != null && PolicyConflicts.deploys(own), conflicting, rowsByPolicy.get(policyId)));
        });
        return policies;
    }

    private static JsonNode parse(ReportStore.UserPolicy policy) {
        try {
            return EventJson.mapper().readTree(policy.settingsJson());
        } catch (JsonProcessingException e) {
            // PostgreSQL returned the JSONB column as text, so it is always valid JSON.
            throw new IllegalStateException("Settings of policy " + policy.policyId() + " are not JSON", e);
        }
    }
}
