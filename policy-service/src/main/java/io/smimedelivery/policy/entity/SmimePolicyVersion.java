package io.smimedelivery.policy.entity;

import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import org.hibernate.annotations.ColumnTransformer;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** One immutable version of a policy's settings, as JSON of {@code PolicyDocument}. */
@Entity
@Table(name = "smime_policy_version")
@IdClass(SmimePolicyVersion.Key.class)
public class SmimePolicyVersion extends PanacheEntityBase {

    @Id
    @Column(name = "policy_id")
    public UUID policyId;

    @Id
    public int version;

    @ColumnTransformer(write = "?::jsonb")
    @Column(nullable = false, columnDefinition = "jsonb")
    public String settings;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** Primary key: policy id and version. */
    public record Key(UUID policyId, int version) implements Serializable {
        public Key() {
            this(null, 0);
        }
    }
}
