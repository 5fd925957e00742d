-- Tables of the transactional outbox and of the idempotent consumers, the same in every service.
-- Shared migrations use versions 0.x, so each service's own migrations start at version 1.

-- Events written in the same transaction as the state change they describe, published by the relay.
CREATE TABLE outbox_event (
    id              UUID         PRIMARY KEY,
    -- Insertion order: the relay publishes the events of one record key in this order.
    sequence_number BIGSERIAL    NOT NULL UNIQUE,
    topic           TEXT         NOT NULL,
    record_key      TEXT         NOT NULL,
    event_type      TEXT         NOT NULL,
    payload         JSONB        NOT NULL,
    created_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    published_at    TIMESTAMPTZ
);

CREATE INDEX outbox_event_pending ON outbox_event (sequence_number) WHERE published_at IS NULL;
CREATE INDEX outbox_event_published ON outbox_event (published_at) WHERE published_at IS NOT NULL;

-- Event ids a consumer has processed, recorded in the same transaction as the consumer's effects.
CREATE TABLE processed_event (
    consumer     TEXT         NOT NULL,
    event_id     TEXT         NOT NULL,
    processed_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);
