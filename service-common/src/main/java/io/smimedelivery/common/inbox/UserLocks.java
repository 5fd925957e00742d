package io.smimedelivery.common.inbox;

import java.util.Collection;

/**
 * Takes a service's per-user locks for a batch of events until its transaction ends. An implementation
 * takes the locks in one fixed order whatever the order of {@code userIds}, so that two transactions
 * locking overlapping sets of users cannot wait for each other in a cycle.
 */
@FunctionalInterface
public interface UserLocks {

    void lockAll(Collection<String> userIds);
}
