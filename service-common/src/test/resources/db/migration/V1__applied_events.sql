-- Effects of the test consumer, in the order it applied them.
CREATE TABLE applied_event (
    sequence_number BIGSERIAL PRIMARY KEY,
    event_id        TEXT NOT NULL,
    record_key      TEXT NOT NULL,
    policy_name     TEXT NOT NULL,
    -- Set by the consumer's after-events hook: one id per call and the number of events it was given.
    completion_id   TEXT,
    completion_size INTEGER
);
