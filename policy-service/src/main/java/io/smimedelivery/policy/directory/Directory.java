package io.smimedelivery.policy.directory;

import java.util.List;
import java.util.Optional;

import io.smimedelivery.policy.entity.DirectoryGroup;
import io.smimedelivery.policy.entity.DirectoryUser;

/**
 * Storage of directory users, groups and memberships. The administrator's imports write through it
 * today; a sync from an identity provider such as Entra ID would be another writer of the same
 * interface. Methods run in the caller's transaction.
 */
public interface Directory {

    /** Outcome of an upsert. */
    enum Change {
        CREATED, UPDATED, UNCHANGED
    }

    Change upsertUser(UserData user);

    Optional<DirectoryUser> findUser(String id);

    Optional<DirectoryUser> findUserByPrincipalName(String userPrincipalName);

    List<DirectoryUser> listUsers(String afterId, int limit);

    boolean deleteUser(String id);

    Change upsertGroup(String id, String displayName, String description);

    Optional<DirectoryGroup> findGroup(String id);

    List<DirectoryGroup> listGroups(String afterId, int limit);

    boolean deleteGroup(String id);

    /** Adds a member; returns false when the user was a member already. */
    boolean addMember(String groupId, String userId);

    /** Removes a member; returns false when the user was not a member. */
    boolean removeMember(String groupId, String userId);

    List<String> memberIds(String groupId, String afterUserId, int limit);

    List<String> groupIdsOf(String userId);
}
