package io.smimedelivery.common.concurrent;

import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

/** Runs an action once after the current transaction commits, such as waking a background worker. */
public final class AfterCommit {

    private AfterCommit() {
    }

    /**
     * Registers {@code action} to run after a successful commit of the current transaction. A second
     * registration with the same {@code key} in one transaction is ignored, so a loop may call this freely.
     */
    public static void run(TransactionSynchronizationRegistry transactions, Object key, Runnable action) {
        if (transactions.getResource(key) != null) {
            return;
        }
        transactions.putResource(key, Boolean.TRUE);
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    action.run();
                }
            }
        });
    }
}
