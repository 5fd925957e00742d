package io.smimedelivery.common.inbox;

/** Applies one event. It runs inside the transaction that also records the event as processed. */
@FunctionalInterface
public interface EventHandler {

    void handle(ReceivedEvent event) throws Exception;
}
