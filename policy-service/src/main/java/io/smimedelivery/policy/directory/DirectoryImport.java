package io.smimedelivery.policy.directory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smimedelivery.common.problem.FieldError;
import io.smimedelivery.common.problem.ProblemException;
import io.smimedelivery.policy.entity.DirectoryUser;
import io.smimedelivery.policy.limits.InputLimits;

/**
 * Bulk imports of users and memberships, committed in chunks so that each transaction stays short. All
 * rows are read before the first chunk is stored, so an import over {@code smime.limits.import-rows}
 * is rejected whole. Each row is validated on its own: a bad row is reported with its line and the
 * other rows are imported.
 */
@ApplicationScoped
public class DirectoryImport {

    /** Body formats of the imports. */
    public enum Format {
        JSON, CSV
    }

    private static final Logger LOG = Logger.getLogger(DirectoryImport.class);
    private static final int CHUNK_SIZE = 200;

    private final DirectoryService service;
    private final Directory directory;
    private final ObjectMapper mapper;
    private final InputLimits limits;

    public DirectoryImport(DirectoryService service, Directory directory, ObjectMapper mapper, InputLimits limits) {
        this.service = service;
        this.directory = directory;
        this.mapper = mapper;
        this.limits = limits;
    }

    public ImportResult importUsers(InputStream body, Format format) {
        return run(body, format, UserData.class, this::importUser);
    }

    public ImportResult importMemberships(InputStream body, Format format) {
        return run(body, format, MembershipRow.class, this::importMembership);
    }

    private <T> ImportResult run(InputStream body, Format format, Class<T> type, RowHandler<T> handler) {
        Tally tally = new Tally();
        List<RowReader.Item<T>> items = readRows(body, format, type, tally);
        for (int start = 0; start < items.size(); start += CHUNK_SIZE) {
            processChunk(items.subList(start, Math.min(items.size(), start + CHUNK_SIZE)), handler, tally);
        }
        LOG.infof("Imported %d %s rows: %d created, %d updated, %d unchanged, %d rejected%s", tally.rows.size(),
                type == UserData.class ? "user" : "membership", tally.created, tally.updated, tally.unchanged, tally.rejected,
                tally.error == null ? "" : "; stopped: " + tally.error);
        return new ImportResult(tally.rows.size(), tally.created, tally.updated, tally.unchanged, tally.rejected,
                tally.rows, tally.error);
    }

    /**
     * Reads the rows up to a fatal error, which goes to {@code tally.error}. Raises a 400 problem when the
     * body is unreadable from the first row or has more rows than smime.limits.import-rows.
     */
    private <T> List<RowReader.Item<T>> readRows(InputStream body, Format format, Class<T> type, Tally tally) {
        int maxRows = limits.importRows();
        List<RowReader.Item<T>> items = new ArrayList<>();
        try (RowReader<T> reader = format == Format.JSON ? RowReader.json(body, mapper, type) : RowReader.csv(body, type)) {
            while (reader.hasNext()) {
                RowReader.Item<T> item = reader.next();
                if (item.fatal()) {
                    if (items.isEmpty()) {
                        throw ProblemException.invalidField("body", null, item.error());
                    }
                    tally.error = (item.line() > 0 ? "line " + item.line() + ": " : "") + item.error();
                    break;
                }
                if (items.size() == maxRows) {
                    LOG.infof("Rejected an import of more than %d rows", maxRows);
                    throw ProblemException.invalidField("body", "more than " + maxRows + " rows", "an import has at most "
                            + maxRows + " rows (smime.limits.import-rows); split the file and import the parts one"
                            + " after another");
                }
                items.add(item);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read the import body", e);
        }
        return items;
    }

    private <T> void processChunk(List<RowReader.Item<T>> chunk, RowHandler<T> handler, Tally tally) {
        if (chunk.isEmpty()) {
            return;
        }
        List<ImportResult.Row> results = QuarkusTransaction.requiringNew().call(() -> {
            List<ImportResult.Row> rows = new ArrayList<>(chunk.size());
            for (RowReader.Item<T> item : chunk) {
                Integer firstRow = item.value() == null ? null : tally.firstRowOf.putIfAbsent(keyOf(item.value()), item.row());
                if (firstRow != null) {
                    rows.add(new ImportResult.Row(item.row(), item.line(), keyOf(item.value()), "REJECTED",
                            List.of(new FieldError("row", null, "repeats row " + firstRow
                                    + " of this import; each user or membership may appear once"))));
                } else if (item.error() != null) {
                    rows.add(new ImportResult.Row(item.row(), item.line(), null, "REJECTED",
                            List.of(new FieldError("row", null, item.error()))));
                } else {
                    rows.add(handler.handle(item));
                }
            }
            return rows;
        });
        results.forEach(tally::add);
    }

    private ImportResult.Row importUser(RowReader.Item<UserData> item) {
        UserData user = item.value();
        DirectoryService.UpsertResult result = service.upsertUser(user);
        if (!result.errors().isEmpty()) {
            return new ImportResult.Row(item.row(), item.line(), user.id(), "REJECTED", result.errors());
        }
        return new ImportResult.Row(item.row(), item.line(), user.id(), result.change().name(), List.of());
    }

    private ImportResult.Row importMembership(RowReader.Item<MembershipRow> item) {
        MembershipRow membership = item.value();
        String action = membership.action() == null || membership.action().isBlank() ? "ADD"
                : membership.action().trim().toUpperCase(Locale.ROOT);
        List<FieldError> errors = new ArrayList<>();
        if (!action.equals("ADD") && !action.equals("REMOVE")) {
            errors.add(new FieldError("action", membership.action(), "use ADD or REMOVE"));
        }
        if (membership.groupId() == null || membership.groupId().isBlank()) {
            errors.add(new FieldError("groupId", null, "is required"));
        } else if (directory.findGroup(membership.groupId().trim()).isEmpty()) {
            errors.add(new FieldError("groupId", membership.groupId(), "names no group; create the group first"));
        }
        Optional<DirectoryUser> user = findUser(membership, errors);
        String key = membership.groupId() + ":" + user.map(found -> found.id).orElse(String.valueOf(membership.userId()));
        if (!errors.isEmpty()) {
            return new ImportResult.Row(item.row(), item.line(), key, "REJECTED", errors);
        }
        // The group and user were checked above, so these calls do not raise a not-found problem, which
        // would mark the whole chunk's transaction for rollback.
        boolean changed = action.equals("ADD") ? service.addMember(membership.groupId().trim(), user.get().id)
                : service.removeMember(membership.groupId().trim(), user.get().id);
        String status = !changed ? "UNCHANGED" : action.equals("ADD") ? "CREATED" : "UPDATED";
        return new ImportResult.Row(item.row(), item.line(), key, status, List.of());
    }

    private Optional<DirectoryUser> findUser(MembershipRow membership, List<FieldError> errors) {
        if (membership.userId() != null && !membership.userId().isBlank()) {
            Optional<DirectoryUser> user = directory.findUser(membership.userId().trim());
            if (user.isEmpty()) {
                errors.add(new FieldError("userId", membership.userId(), "names no user; import the user first"));
            }
            return user;
        }
        if (membership.userPrincipalName() != null && !membership.userPrincipalName().isBlank()) {
            Optional<DirectoryUser> user = directory.findUserByPrincipalName(membership.userPrincipalName());
            if (user.isEmpty()) {
                errors.add(new FieldError("userPrincipalName", membership.userPrincipalName(),
                        "names no user; import the user first"));
            }
            return user;
        }
        errors.add(new FieldError("userId", null, "is required, or give userPrincipalName instead"));
        return Optional.empty();
    }

    /** Returns what identifies a row within one import: the user id, or group and user of a membership. */
    private static String keyOf(Object row) {
        if (row instanceof UserData user) {
            return "user:" + user.id();
        }
        MembershipRow membership = (MembershipRow) row;
        return "membership:" + membership.groupId() + ":" + membership.userId() + ":" + membership.userPrincipalName();
    }

    @FunctionalInterface
    private interface RowHandler<T> {
        ImportResult.Row handle(RowReader.Item<T> item);
    }

    private static final class Tally {
        final List<ImportResult.Row> rows = new ArrayList<>();
        /** First row of each key, to reject repeats; keys are short, so this stays small per row. */
        final java.util.Map<String, Integer> firstRowOf = new java.util.HashMap<>();
        int created;
        int updated;
        int unchanged;
        int rejected;
        String error;

        void add(ImportResult.Row row) {
            rows.add(row);
            switch (row.status()) {
                case "CREATED" -> created++;
                case "UPDATED" -> updated++;
                case "UNCHANGED" -> unchanged++;
                default -> rejected++;
            }
        }
    }
}
