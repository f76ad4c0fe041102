-- Documents travel: statuses are packages too, every package keeps the media type it was sent
-- with and the message id that names it on every delivery attempt, and the signed evidence of
-- both directions is kept (the sender's manifest and signature at the recipient, the recipient's
-- receipt and its signature at the sender). Portable SQL: H2 2.x and PostgreSQL 13+.

-- The business key becomes (sender, DocumentId, dedupe_key): the business type for a document, as
-- before, and 'STATUS:{code}:{timestamp}' for a status, so 01, 03, 05 and 06 about one document are
-- four packages while a repeated 05 with the same timestamp is recognised as a repeat.
ALTER TABLE outbox_document ADD COLUMN kind VARCHAR(8) DEFAULT 'DOCUMENT' NOT NULL;
ALTER TABLE outbox_document ADD COLUMN status_code VARCHAR(2);
ALTER TABLE outbox_document ADD COLUMN dedupe_key VARCHAR(64);
UPDATE outbox_document SET dedupe_key = business_type;
ALTER TABLE outbox_document ALTER COLUMN dedupe_key SET NOT NULL;
ALTER TABLE outbox_document ADD COLUMN content_type VARCHAR(255) DEFAULT 'application/xml' NOT NULL;
ALTER TABLE outbox_document ADD COLUMN message_id VARCHAR(64);
UPDATE outbox_document SET message_id = CONCAT('outbox-', CAST(id AS VARCHAR(20)));
ALTER TABLE outbox_document ALTER COLUMN message_id SET NOT NULL;
ALTER TABLE outbox_document DROP CONSTRAINT outbox_document_key;
ALTER TABLE outbox_document ADD CONSTRAINT outbox_document_key UNIQUE (sender_id, document_id, dedupe_key);
ALTER TABLE outbox_document ADD CONSTRAINT outbox_document_kind CHECK (kind IN ('DOCUMENT', 'STATUS'));
CREATE INDEX outbox_document_sender ON outbox_document (sender_id, id);

ALTER TABLE outbox_delivery ADD COLUMN receipt_signature BYTEA;

ALTER TABLE inbox_document ADD COLUMN kind VARCHAR(8) DEFAULT 'DOCUMENT' NOT NULL;
ALTER TABLE inbox_document ADD COLUMN status_code VARCHAR(2);
ALTER TABLE inbox_document ADD COLUMN dedupe_key VARCHAR(64);
UPDATE inbox_document SET dedupe_key = business_type;
ALTER TABLE inbox_document ALTER COLUMN dedupe_key SET NOT NULL;
ALTER TABLE inbox_document ADD COLUMN content_type VARCHAR(255) DEFAULT 'application/xml' NOT NULL;
-- The sending subsystem (sender_id keeps its member, the de-duplication key): a status goes back to it.
ALTER TABLE inbox_document ADD COLUMN sender_client VARCHAR(255);
UPDATE inbox_document SET sender_client = sender_id;
ALTER TABLE inbox_document ALTER COLUMN sender_client SET NOT NULL;
ALTER TABLE inbox_document ADD COLUMN manifest BYTEA;
ALTER TABLE inbox_document ADD COLUMN signature BYTEA;
ALTER TABLE inbox_document ADD COLUMN receipt BYTEA;
ALTER TABLE inbox_document ADD COLUMN receipt_signature BYTEA;
ALTER TABLE inbox_document DROP CONSTRAINT inbox_document_key;
ALTER TABLE inbox_document ADD CONSTRAINT inbox_document_key
    UNIQUE (recipient_id, sender_id, document_id, dedupe_key);
ALTER TABLE inbox_document ADD CONSTRAINT inbox_document_kind CHECK (kind IN ('DOCUMENT', 'STATUS'));
CREATE INDEX inbox_document_by_document ON inbox_document (recipient_id, document_id);
CREATE INDEX inbox_document_message ON inbox_document (recipient_id, message_id);

-- Documents, statuses and receipts are logged like requests and responses.
ALTER TABLE message_log DROP CONSTRAINT message_log_kind;
ALTER TABLE message_log ADD CONSTRAINT message_log_kind
    CHECK (kind IN ('REQUEST', 'RESPONSE', 'DOCUMENT', 'STATUS', 'RECEIPT'));
