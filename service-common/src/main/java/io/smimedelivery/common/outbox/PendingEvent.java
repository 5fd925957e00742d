package io.smimedelivery.common.outbox;

import java.time.Instant;
import java.util.UUID;

/** An outbox row that the relay has not published yet. */
record PendingEvent(UUID id, long sequenceNumber, String topic, String key, String type, byte[] payload,
        Instant createdAt) {
}
