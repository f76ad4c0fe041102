-- Document exchange: the subsystem of a member that receives its official documents, and the
-- certificates documents to a member are encrypted to. Portable SQL: runs on H2 2.x and PostgreSQL 13+.

-- Null: the member takes no part in document exchange. The key makes sure it is one of the
-- member's own subsystems.
ALTER TABLE member ADD COLUMN document_subsystem VARCHAR(64);
ALTER TABLE member ADD CONSTRAINT member_document_subsystem
    FOREIGN KEY (id, document_subsystem) REFERENCES subsystem (member_id, code);

-- The owner member's document-encryption certificate, as the request carried it; null in
-- requests from versions that sent none.
ALTER TABLE registration_request ADD COLUMN encryption_cert_pem VARCHAR(8000);

-- The encryption certificate of the server's last approved registration: what the global
-- configuration publishes for the owner member.
ALTER TABLE security_server ADD COLUMN encryption_cert_pem VARCHAR(8000);
