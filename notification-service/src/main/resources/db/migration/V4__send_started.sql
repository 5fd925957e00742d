-- When the send of a claimed delivery started, NULL while it waits. A worker claims several deliveries
-- at once and sends them one after another. A delivery whose lease ran out before its send started was
-- not sent, so recovery returns it to PENDING instead of recording it UNCERTAIN.
ALTER TABLE delivery ADD COLUMN send_started_at TIMESTAMPTZ;
-- Deliveries SENDING at the upgrade may be mid-send; they count as started.
UPDATE delivery SET send_started_at = now() WHERE status = 'SENDING';
