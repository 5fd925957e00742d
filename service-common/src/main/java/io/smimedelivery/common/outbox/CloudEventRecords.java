package io.smimedelivery.common.outbox;

import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import io.smimedelivery.events.CloudEventHeaders;

/** Builds Kafka records in the CloudEvents 1.0 Kafka binding, binary mode. */
final class CloudEventRecords {

    private CloudEventRecords() {
    }

    static ProducerRecord<String, byte[]> toRecord(PendingEvent event, String source) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(CloudEventHeaders.ID, utf8(event.id().toString()));
        headers.add(CloudEventHeaders.TYPE, utf8(event.type()));
        headers.add(CloudEventHeaders.SOURCE, utf8(source));
        headers.add(CloudEventHeaders.SUBJECT, utf8(event.key()));
        headers.add(CloudEventHeaders.TIME, utf8(DateTimeFormatter.ISO_INSTANT.format(event.createdAt())));
        headers.add(CloudEventHeaders.SPEC_VERSION, utf8(CloudEventHeaders.SPEC_VERSION_1_0));
        headers.add(CloudEventHeaders.CONTENT_TYPE, utf8(CloudEventHeaders.JSON));
        return new ProducerRecord<>(event.topic(), null, event.createdAt().toEpochMilli(), event.key(),
                event.payload(), headers);
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
