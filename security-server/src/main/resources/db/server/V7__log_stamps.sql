-- A record's timestamp batch and Merkle path move out of message_log into a narrow table of their
-- own. Writing them into message_log rewrote every row of a batch (thousands a minute under load,
-- each with its CMS signature), and the one large transaction held up the appends committing beside
-- it for seconds. Now a batch adds small rows and message_log rows are written once.
-- A record is timestamped when it has a row here; records are timestamped in id order, so the
-- waiting ones are those after the newest batch's last_id.
-- Portable SQL: H2 2.x and PostgreSQL 13+.
CREATE TABLE message_log_stamp (
    record_id    BIGINT         PRIMARY KEY,
    batch_id     BIGINT         NOT NULL,
    merkle_path  VARCHAR(4000)  NOT NULL
);
CREATE INDEX message_log_stamp_batch ON message_log_stamp (batch_id);
INSERT INTO message_log_stamp (record_id, batch_id, merkle_path)
    SELECT id, batch_id, merkle_path FROM message_log WHERE batch_id IS NOT NULL;
DROP INDEX message_log_pending;
ALTER TABLE message_log DROP COLUMN batch_id;
ALTER TABLE message_log DROP COLUMN merkle_path;
