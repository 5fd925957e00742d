-- Effects of the test consumer, in the order it applied them.
CREATE TABLE applied_event (
    sequence_number BIGSERIAL PRIMARY KEY,
    event_id        TEXT NOT NULL,
    record_key      TEXT NOT NULL,
    policy_name     TEXT NOT NULL
);
