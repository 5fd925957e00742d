package io.smimedelivery.common.inbox;

import java.util.List;

/**
 * Work that runs once per transaction of the inbox, after the handler applied that transaction's events:
 * for example planning each user's notifications once for all events of a batch about that user.
 */
@FunctionalInterface
public interface EventsApplied {

    /** Runs in the transaction of {@code applied}, the events the handler applied in it, in order. */
    void afterEvents(List<ReceivedEvent> applied) throws Exception;
}
