package io.smimedelivery.common.audit;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import io.smimedelivery.common.jdbc.Sql;

/** Stores and reads the audit events of this service's database. */
@ApplicationScoped
public class AuditLog {

    /** One administrator action: who, what (method and path), when, and the result. */
    public record AuditEvent(UUID id, Instant occurredAt, String actor, String roles, String method, String path,
            int status, String outcome) {
    }

    private final Sql sql;

    public AuditLog(DataSource dataSource) {
        this.sql = new Sql(dataSource, "Audit log");
    }

    /** Inserts one event; the caller supplies the transaction. */
    public void record(AuditEvent event) {
        sql.update("""
                INSERT INTO audit_event (id, occurred_at, actor, roles, method, path, status, outcome)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, event.id(), Timestamp.from(event.occurredAt()), event.actor(), event.roles(), event.method(),
                event.path(), event.status(), event.outcome());
    }

    /**
     * Returns the newest events first, optionally of one actor and from a time on, at most {@code limit}.
     */
    public List<AuditEvent> find(String actor, Instant from, Instant to, int limit) {
        StringBuilder query = new StringBuilder("SELECT id, occurred_at, actor, roles, method, path, status, outcome"
                + " FROM audit_event WHERE TRUE");
        List<Object> parameters = new ArrayList<>();
        if (actor != null) {
            query.append(" AND actor = ?");
            parameters.add(actor);
        }
        if (from != null) {
            query.append(" AND occurred_at >= ?");
            parameters.add(Timestamp.from(from));
        }
        if (to != null) {
            query.append(" AND occurred_at < ?");
            parameters.add(Timestamp.from(to));
        }
        query.append(" ORDER BY occurred_at DESC, id LIMIT ?");
        parameters.add(limit);
        return sql.query(query.toString(), row -> new AuditEvent(row.getObject(1, UUID.class),
                row.getTimestamp(2).toInstant(), row.getString(3), row.getString(4), row.getString(5), row.getString(6),
                row.getInt(7), row.getString(8)), parameters.toArray());
    }
}
