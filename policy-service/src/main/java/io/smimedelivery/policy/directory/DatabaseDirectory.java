package io.smimedelivery.policy.directory;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import io.smimedelivery.policy.entity.DirectoryGroup;
import io.smimedelivery.policy.entity.DirectoryUser;

/** {@link Directory} in this service's PostgreSQL database. */
@ApplicationScoped
public class DatabaseDirectory implements Directory {

    private final EntityManager entityManager;

    public DatabaseDirectory(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    @Override
    public Change upsertUser(UserData user) {
        String language = DirectoryValidation.normalizeLanguage(user.preferredLanguage());
        DirectoryUser existing = DirectoryUser.findById(user.id());
        Instant now = Instant.now();
        if (existing == null) {
            DirectoryUser created = new DirectoryUser();
            created.id = user.id();
            created.userPrincipalName = user.userPrincipalName().trim();
            created.email = user.email().trim();
            created.displayName = user.displayName().trim();
            created.preferredLanguage = language;
            created.createdAt = now;
            created.updatedAt = now;
            created.persist();
            return Change.CREATED;
        }
        boolean same = existing.userPrincipalName.equals(user.userPrincipalName().trim())
                && existing.email.equals(user.email().trim())
                && existing.displayName.equals(user.displayName().trim())
                && Objects.equals(existing.preferredLanguage, language);
        if (same) {
            return Change.UNCHANGED;
        }
        existing.userPrincipalName = user.userPrincipalName().trim();
        existing.email = user.email().trim();
        existing.displayName = user.displayName().trim();
        existing.preferredLanguage = language;
        existing.updatedAt = now;
        return Change.UPDATED;
    }

    @Override
    public Optional<DirectoryUser> findUser(String id) {
        return DirectoryUser.findByIdOptional(id);
    }

    @Override
    public Optional<DirectoryUser> findUserByPrincipalName(String userPrincipalName) {
        return DirectoryUser.find("lower(userPrincipalName) = lower(?1)", userPrincipalName.trim()).firstResultOptional();
    }

    @Override
    public List<DirectoryUser> listUsers(String afterId, int limit) {
        return DirectoryUser.find("id > ?1 order by id", afterId == null ? "" : afterId).page(0, limit).list();
    }

    @Override
    public boolean deleteUser(String id) {
        return DirectoryUser.deleteById(id);
    }

    @Override
    public Change upsertGroup(String id, String displayName, String description) {
        DirectoryGroup existing = DirectoryGroup.findById(id);
        if (existing == null) {
            DirectoryGroup group = new DirectoryGroup();
            group.id = id;
            group.displayName = displayName.trim();
            group.description = description;
            group.createdAt = Instant.now();
            group.persist();
            return Change.CREATED;
        }
        if (existing.displayName.equals(displayName.trim()) && Objects.equals(existing.description, description)) {
            return Change.UNCHANGED;
        }
        existing.displayName = displayName.trim();
        existing.description = description;
        return Change.UPDATED;
    }

    @Override
    public Optional<DirectoryGroup> findGroup(String id) {
        return DirectoryGroup.findByIdOptional(id);
    }

    @Override
    public List<DirectoryGroup> listGroups(String afterId, int limit) {
        return DirectoryGroup.find("id > ?1 order by id", afterId == null ? "" : afterId).page(0, limit).list();
    }

    @Override
    public boolean deleteGroup(String id) {
        return DirectoryGroup.deleteById(id);
    }

    @Override
    public boolean addMember(String groupId, String userId) {
        entityManager.flush();
        return entityManager.createNativeQuery(
                "INSERT INTO group_member (group_id, user_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING")
                .setParameter(1, groupId).setParameter(2, userId).executeUpdate() == 1;
    }

    @Override
    public boolean removeMember(String groupId, String userId) {
        return entityManager.createNativeQuery("DELETE FROM group_member WHERE group_id = ?1 AND user_id = ?2")
                .setParameter(1, groupId).setParameter(2, userId).executeUpdate() == 1;
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<String> memberIds(String groupId, String afterUserId, int limit) {
        return entityManager.createNativeQuery(
                "SELECT user_id FROM group_member WHERE group_id = ?1 AND user_id > ?2 ORDER BY user_id LIMIT ?3")
                .setParameter(1, groupId).setParameter(2, afterUserId == null ? "" : afterUserId).setParameter(3, limit)
                .getResultList();
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<String> groupIdsOf(String userId) {
        return entityManager.createNativeQuery("SELECT group_id FROM group_member WHERE user_id = ?1 ORDER BY group_id")
                .setParameter(1, userId).getResultList();
    }
}
