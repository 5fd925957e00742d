package io.smimedelivery.policy.entity;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A user of the directory. */
@Entity
@Table(name = "directory_user")
public class DirectoryUser extends PanacheEntityBase {

    @Id
    public String id;

    @Column(name = "user_principal_name", nullable = false)
    public String userPrincipalName;

    @Column(nullable = false)
    public String email;

    @Column(name = "display_name", nullable = false)
    public String displayName;

    @Column(name = "preferred_language")
    public String preferredLanguage;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
