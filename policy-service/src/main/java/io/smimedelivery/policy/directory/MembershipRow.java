package io.smimedelivery.policy.directory;

/**
 * One membership change of a bulk import. The user is named by id or, when the id is empty, by user
 * principal name.
 *
 * @param action ADD (the default) or REMOVE
 */
public record MembershipRow(String groupId, String userId, String userPrincipalName, String action) {
}
