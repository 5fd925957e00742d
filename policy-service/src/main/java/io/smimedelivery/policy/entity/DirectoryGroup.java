package io.smimedelivery.policy.entity;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A group of the directory; its members are rows of group_member. */
@Entity
@Table(name = "directory_group")
public class DirectoryGroup extends PanacheEntityBase {

    @Id
    public String id;

    @Column(name = "display_name", nullable = false)
    public String displayName;

    public String description;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
