-- Message content logging, per subsystem (X-Road's "message body logging"): a subsystem whose
-- log_content is true has the content of its messages kept beside the log, sealed for the
-- operator's content certificate; each record says whether its content was kept, and that flag is
-- part of the record's hash (vn.truc.core.audit.AuditRecord "content").
-- Portable SQL: H2 2.x and PostgreSQL 13+.
ALTER TABLE client_subsystem ADD COLUMN log_content BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE message_log ADD COLUMN content_logged BOOLEAN DEFAULT FALSE NOT NULL;
