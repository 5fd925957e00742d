-- Runs once, when the PostgreSQL container initialises an empty data volume.
-- One database per service; no service reads another's tables.
CREATE DATABASE smime_policy;
CREATE DATABASE smime_certificate;
CREATE DATABASE smime_notification;
CREATE DATABASE smime_device;
