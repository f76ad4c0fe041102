package vn.truc.server.documents;

import static vn.truc.core.db.Database.utc;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import vn.truc.core.db.Database;
import vn.truc.core.edxml.EdxmlPackage.BusinessType;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;
import vn.truc.core.id.ClientId;
import vn.truc.server.documents.Delivery.State;
import vn.truc.server.documents.InboxEntry.PickupState;

/**
 * The records of the store-and-forward document exchange: the outbox of documents this server's
 * clients send, with one delivery per recipient, the inbox of documents they receive, and the
 * status history of both. The packages themselves live on disk; a caller stores the file first and
 * answers no one before the entry that names it is committed here.
 *
 * <p>Each operation is one transaction of its own; none is meant to run inside another one. A
 * repeated send or delivery of the same document (same sender, DocumentId and business type) is
 * recognised, not refused: the first entry comes back marked {@code duplicate}, even when two
 * arrive at once, and the caller deletes the file it stored for the repeat.
 */
public final class DocumentStore {
    private static final String OUTBOX_COLUMNS =
            "id, sender_id, document_id, business_type, content_sha256, content_size, stored_path, created_at,"
                    + " kind, status_code, dedupe_key, content_type, message_id";
    private static final String DELIVERY_COLUMNS =
            "outbox_id, recipient_id, state, attempts, next_attempt_at, last_error, delivered_at";
    private static final String INBOX_COLUMNS = "id, recipient_id, sender_id, document_id, business_type, message_id,"
            + " content_sha256, content_size, stored_path, received_at, picked_up_at, pickup_state,"
            + " kind, status_code, dedupe_key, content_type, sender_client";
    private static final String STATUS_COLUMNS =
            "direction, sender_id, document_id, status_code, description, staff, status_at, from_id, recorded_at";

    private final Database db;
    private final Clock clock;

    public DocumentStore(Database db) {
        this(db, Clock.systemUTC());
    }

    /** A store that stamps entries with {@code clock}'s time. */
    public DocumentStore(Database db, Clock clock) {
        this.db = Objects.requireNonNull(db, "db");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    // ---- Outbox ----

    /**
     * Accepts a document {@code sender} sends to {@code recipients}, stored at {@code storedFile}:
     * the entry and one QUEUED delivery per recipient, due now, in one transaction.
     *
     * @return the new entry, or the first one with {@code duplicate} set when {@code sender}
     *     already sent this DocumentId with this business type (nothing is stored then)
     * @throws TrucException INVALID_REQUEST for a bad value, no recipient or a repeated one
     */
    public OutboxEntry accept(
            ClientId sender,
            String documentId,
            BusinessType type,
            List<ClientId> recipients,
            Path storedFile,
            String sha256,
            long size) {
        PackageInfo info = PackageInfo.document(
                type, "application/xml", java.util.UUID.randomUUID().toString());
        return accept(sender, documentId, type, info, recipients, storedFile, sha256, size);
    }

    /**
     * Accepts a package {@code sender} sends to {@code recipients}, as {@link #accept(ClientId,
     * String, BusinessType, List, Path, String, long)} does, with its kind, key and media type in
     * {@code info}: a repeat is a package with the same sender, DocumentId and {@code info.dedupeKey()}.
     */
    public OutboxEntry accept(
            ClientId sender,
            String documentId,
            BusinessType type,
            PackageInfo info,
            List<ClientId> recipients,
            Path storedFile,
            String sha256,
            long size) {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(info, "info");
        DocumentChecks.text("documentId", documentId, DocumentChecks.MAX_ID);
        DocumentChecks.content(storedFile, sha256, size);
        Set<ClientId> to = distinct(recipients);
        Instant now = now();
        Supplier<Optional<OutboxEntry>> existing = () -> db.queryOne(
                "SELECT " + OUTBOX_COLUMNS + " FROM outbox_document"
                        + " WHERE sender_id = ? AND document_id = ? AND dedupe_key = ?",
                DocumentStore::outboxEntry,
                sender.toString(),
                documentId,
                info.dedupeKey());
        return insertOnce(existing, OutboxEntry::asDuplicate, () -> {
            db.update(
                    "INSERT INTO outbox_document (sender_id, document_id, business_type, content_sha256,"
                            + " content_size, stored_path, created_at, kind, status_code, dedupe_key, content_type,"
                            + " message_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    sender.toString(),
                    documentId,
                    type.name(),
                    sha256,
                    size,
                    storedFile.toString(),
                    utc(now),
                    info.kind().name(),
                    info.statusCode(),
                    info.dedupeKey(),
                    info.contentType(),
                    info.messageId());
            OutboxEntry entry = existing.get().orElseThrow();
            for (ClientId recipient : to) {
                db.update(
                        "INSERT INTO outbox_delivery (outbox_id, recipient_id, state, attempts, next_attempt_at)"
                                + " VALUES (?, ?, 'QUEUED', 0, ?)",
                        entry.id(),
                        recipient.toString(),
                        utc(now));
            }
            return entry;
        });
    }

    /** The outbox entry {@code id}, if there is one. */
    public Optional<OutboxEntry> outboxEntry(long id) {
        return db.queryOne(
                "SELECT " + OUTBOX_COLUMNS + " FROM outbox_document WHERE id = ?", DocumentStore::outboxEntry, id);
    }

    /**
     * The deliveries of outbox entry {@code outboxId}, by recipient.
     *
     * @throws TrucException NOT_FOUND if there is no such entry
     */
    public List<Delivery> deliveries(long outboxId) {
        if (outboxEntry(outboxId).isEmpty()) {
            throw notFound("outbox document " + outboxId);
        }
        return db.query(
                "SELECT " + DELIVERY_COLUMNS + " FROM outbox_delivery WHERE outbox_id = ? ORDER BY recipient_id",
                DocumentStore::delivery,
                outboxId);
    }

    /**
     * Up to {@code limit} deliveries due at {@code now}, the longest due first: QUEUED ones whose
     * back-off is over, and DELIVERING ones whose lease ran out (their worker stopped).
     */
    public List<Delivery> due(Instant now, int limit) {
        DocumentChecks.limit(limit);
        return db.query(
                "SELECT " + DELIVERY_COLUMNS + " FROM outbox_delivery WHERE state IN ('QUEUED', 'DELIVERING')"
                        + " AND next_attempt_at <= ? ORDER BY next_attempt_at, outbox_id, recipient_id LIMIT ?",
                DocumentStore::delivery,
                utc(micros(now)),
                limit);
    }

    /**
     * Claims a delivery that is due at {@code now} for one attempt: DELIVERING, and not due again
     * before {@code leaseUntil}, when another worker may take it over.
     *
     * @return false if it is not due (another worker holds it, or its back-off is not over) or
     *     already DELIVERED
     * @throws TrucException NOT_FOUND for an unknown delivery; INVALID_STATE for a FAILED one
     */
    public boolean markDelivering(long outboxId, ClientId recipient, Instant now, Instant leaseUntil) {
        Objects.requireNonNull(leaseUntil, "leaseUntil");
        return move(
                outboxId,
                recipient,
                "start delivering",
                now,
                "state = 'DELIVERING', next_attempt_at = ?",
                utc(micros(leaseUntil)));
    }

    /**
     * Records the recipient's receipt: the delivery is DELIVERED, for good.
     *
     * @return false if it was already DELIVERED (the first receipt is kept)
     * @throws TrucException NOT_FOUND for an unknown delivery; INVALID_STATE for a FAILED one
     */
    public boolean markDelivered(long outboxId, ClientId recipient, byte[] receipt, Instant at) {
        return markDelivered(outboxId, recipient, new SignedReceipt(receipt, new byte[0]), at);
    }

    /** Records the recipient's receipt and its signature, as {@link #markDelivered(long, ClientId, byte[], Instant)}. */
    public boolean markDelivered(long outboxId, ClientId recipient, SignedReceipt receipt, Instant at) {
        Objects.requireNonNull(receipt, "receipt");
        return move(
                outboxId,
                recipient,
                "mark delivered",
                null,
                "state = 'DELIVERED', receipt = ?, receipt_signature = ?, delivered_at = ?",
                receipt.receipt(),
                receipt.signature(),
                utc(micros(at)));
    }

    /** The receipt of a DELIVERED delivery with its signature, if it is one. */
    public Optional<SignedReceipt> signedReceipt(long outboxId, ClientId recipient) {
        return db.queryOne(
                "SELECT receipt, receipt_signature FROM outbox_delivery WHERE outbox_id = ? AND recipient_id = ?"
                        + " AND state = 'DELIVERED'",
                row -> new SignedReceipt(row.getBytes(1), row.getBytes(2)),
                outboxId,
                recipient.toString());
    }

    /** Up to {@code limit} packages {@code sender} sent, ids above {@code cursor}, in id order. */
    public List<OutboxEntry> sent(ClientId sender, long cursor, int limit) {
        DocumentChecks.limit(limit);
        return db.query(
                "SELECT " + OUTBOX_COLUMNS + " FROM outbox_document WHERE sender_id = ? AND id > ? ORDER BY id LIMIT ?",
                DocumentStore::outboxEntry,
                sender.toString(),
                cursor,
                limit);
    }

    /**
     * The recipients every earlier document {@code sender} sent with {@code documentId} went to: a
     * revoke, update or replace reaches them too.
     */
    public List<ClientId> recipientsOf(ClientId sender, String documentId) {
        return db.query(
                "SELECT DISTINCT d.recipient_id FROM outbox_delivery d JOIN outbox_document o ON o.id = d.outbox_id"
                        + " WHERE o.sender_id = ? AND o.document_id = ? AND o.kind = 'DOCUMENT' ORDER BY d.recipient_id",
                row -> ClientId.parse(row.getString(1)),
                sender.toString(),
                documentId);
    }

    /**
     * Puts a QUEUED delivery off until {@code until} without counting an attempt: its peer is known
     * to be unreachable for now, and other deliveries must not wait behind it.
     */
    public boolean postpone(long outboxId, ClientId recipient, Instant until) {
        return db.update(
                        "UPDATE outbox_delivery SET next_attempt_at = ? WHERE outbox_id = ? AND recipient_id = ?"
                                + " AND state = 'QUEUED' AND next_attempt_at < ?",
                        utc(micros(until)),
                        outboxId,
                        recipient.toString(),
                        utc(micros(until)))
                == 1;
    }

    /**
     * Hands back every delivery a stopped process was making (DELIVERING), due now: for a server
     * that is the only one using this store, called at start.
     *
     * @return how many there were
     */
    public int releaseDelivering() {
        return db.update(
                "UPDATE outbox_delivery SET state = 'QUEUED', next_attempt_at = ? WHERE state = 'DELIVERING'",
                utc(now()));
    }

    /**
     * Records a failed attempt to retry: one more attempt, QUEUED again, due at {@code next}.
     *
     * @return false if the delivery is DELIVERED: a late failure does not undo a receipt
     * @throws TrucException NOT_FOUND for an unknown delivery; INVALID_STATE for a FAILED one
     */
    public boolean markRetry(long outboxId, ClientId recipient, String error, Instant next) {
        Objects.requireNonNull(next, "next");
        return move(
                outboxId,
                recipient,
                "retry",
                null,
                "state = 'QUEUED', attempts = attempts + 1, last_error = ?, next_attempt_at = ?",
                DocumentChecks.truncate(error),
                utc(micros(next)));
    }

    /**
     * Gives the delivery up: FAILED, for good.
     *
     * @return false if it is already DELIVERED or FAILED
     * @throws TrucException NOT_FOUND for an unknown delivery
     */
    public boolean markFailed(long outboxId, ClientId recipient, String why) {
        return move(
                outboxId, recipient, "fail", null, "state = 'FAILED', last_error = ?", DocumentChecks.truncate(why));
    }

    /** The receipt of a DELIVERED delivery, if it is one. */
    public Optional<byte[]> receipt(long outboxId, ClientId recipient) {
        return db.queryOne(
                "SELECT receipt FROM outbox_delivery WHERE outbox_id = ? AND recipient_id = ? AND state = 'DELIVERED'",
                row -> row.getBytes("receipt"),
                outboxId,
                recipient.toString());
    }

    // ---- Inbox ----

    /**
     * Records a document {@code sender} delivered for {@code recipient}, a client of this server.
     * The sender is kept as its member: a document is the same whichever subsystem carried it.
     *
     * @return the new entry, NEW; or the first one with {@code duplicate} set when this document
     *     (same sender member, DocumentId and business type) was already received for {@code
     *     recipient} (nothing is stored then)
     */
    public InboxEntry receive(
            ClientId sender,
            ClientId recipient,
            String documentId,
            BusinessType type,
            String messageId,
            Path storedFile,
            String sha256,
            long size) {
        PackageInfo info = PackageInfo.document(type, "application/xml", messageId);
        return receive(sender, recipient, documentId, type, info, storedFile, sha256, size, null, null);
    }

    /**
     * Records a package {@code sender} (a subsystem) delivered for {@code recipient}, as {@link
     * #receive(ClientId, ClientId, String, BusinessType, String, Path, String, long)} does, with the
     * signed evidence of both sides; for a new status, {@code status} is recorded in the same
     * transaction, so a status is in the history exactly when its package is in the inbox.
     */
    public InboxEntry receive(
            ClientId sender,
            ClientId recipient,
            String documentId,
            BusinessType type,
            PackageInfo info,
            Path storedFile,
            String sha256,
            long size,
            Evidence evidence,
            DocumentStatus status) {
        Objects.requireNonNull(info, "info");
        String messageId = info.messageId();
        String from = Objects.requireNonNull(sender, "sender").memberId().toString();
        String to = Objects.requireNonNull(recipient, "recipient").toString();
        Objects.requireNonNull(type, "type");
        DocumentChecks.text("documentId", documentId, DocumentChecks.MAX_ID);
        DocumentChecks.text("messageId", messageId, DocumentChecks.MAX_ID);
        DocumentChecks.content(storedFile, sha256, size);
        Instant now = now();
        Supplier<Optional<InboxEntry>> existing = () -> db.queryOne(
                "SELECT " + INBOX_COLUMNS + " FROM inbox_document"
                        + " WHERE recipient_id = ? AND sender_id = ? AND document_id = ? AND dedupe_key = ?",
                DocumentStore::inboxEntry,
                to,
                from,
                documentId,
                info.dedupeKey());
        return insertOnce(existing, InboxEntry::asDuplicate, () -> {
            db.update(
                    "INSERT INTO inbox_document (recipient_id, sender_id, document_id, business_type, message_id,"
                            + " content_sha256, content_size, stored_path, received_at, pickup_state, kind,"
                            + " status_code, dedupe_key, content_type, sender_client, manifest, signature, receipt,"
                            + " receipt_signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'NEW', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    to,
                    from,
                    documentId,
                    type.name(),
                    messageId,
                    sha256,
                    size,
                    storedFile.toString(),
                    utc(now),
                    info.kind().name(),
                    info.statusCode(),
                    info.dedupeKey(),
                    info.contentType(),
                    sender.toString(),
                    evidence == null ? null : evidence.manifest(),
                    evidence == null ? null : evidence.signature(),
                    evidence == null ? null : evidence.receipt(),
                    evidence == null ? null : evidence.receiptSignature());
            if (status != null) {
                db.update(
                        "INSERT INTO document_status (" + STATUS_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        status.document().direction().name(),
                        status.document().sender().toString(),
                        status.document().documentId(),
                        status.code().code(),
                        DocumentChecks.optionalText("description", status.description(), DocumentChecks.MAX_TEXT),
                        DocumentChecks.optionalText("staff", status.staff(), DocumentChecks.MAX_ID),
                        utc(micros(status.at())),
                        status.from().toString(),
                        utc(now));
            }
            return existing.get().orElseThrow();
        });
    }

    /** The signed evidence kept with inbox entry {@code id}: what the sender signed, what we answered. */
    public Optional<Evidence> evidence(long id) {
        return db.queryOne(
                "SELECT manifest, signature, receipt, receipt_signature FROM inbox_document WHERE id = ?",
                row -> new Evidence(row.getBytes(1), row.getBytes(2), row.getBytes(3), row.getBytes(4)),
                id);
    }

    /**
     * The document with {@code documentId} that {@code recipient} received most recently, if any:
     * where a status about it goes back to.
     */
    public Optional<InboxEntry> receivedDocument(ClientId recipient, String documentId) {
        return receivedDocuments(recipient, documentId).stream().findFirst();
    }

    /** The documents (not statuses) with {@code documentId} that {@code recipient} received, newest first. */
    public List<InboxEntry> receivedDocuments(ClientId recipient, String documentId) {
        return db.query(
                "SELECT " + INBOX_COLUMNS + " FROM inbox_document WHERE recipient_id = ? AND document_id = ?"
                        + " AND kind = 'DOCUMENT' ORDER BY id DESC",
                DocumentStore::inboxEntry,
                recipient.toString(),
                documentId);
    }

    /** The entry of the package that message {@code messageId} delivered to {@code recipient}, if any. */
    public Optional<InboxEntry> receivedMessage(ClientId recipient, String messageId) {
        return db.queryOne(
                "SELECT " + INBOX_COLUMNS + " FROM inbox_document WHERE recipient_id = ? AND message_id = ?",
                DocumentStore::inboxEntry,
                recipient.toString(),
                messageId);
    }

    /** The inbox entry {@code id}, if there is one. */
    public Optional<InboxEntry> inboxEntry(long id) {
        return db.queryOne(
                "SELECT " + INBOX_COLUMNS + " FROM inbox_document WHERE id = ?", DocumentStore::inboxEntry, id);
    }

    /**
     * Up to {@code limit} documents for {@code recipient} not yet picked up (NEW), with ids above
     * {@code cursor}, in id order: the next page starts after the last id of this one.
     */
    public List<InboxEntry> newSince(ClientId recipient, long cursor, int limit) {
        DocumentChecks.limit(limit);
        return db.query(
                "SELECT " + INBOX_COLUMNS + " FROM inbox_document WHERE recipient_id = ? AND pickup_state = 'NEW'"
                        + " AND id > ? ORDER BY id LIMIT ?",
                DocumentStore::inboxEntry,
                recipient.toString(),
                cursor,
                limit);
    }

    /**
     * Records that the recipient's DMS took the document ({@code done}) or could not ({@code
     * !done}). A DMS may repeat an acknowledgement, and succeed after it failed.
     *
     * @return false if the entry was already in that state
     * @throws TrucException NOT_FOUND for an unknown id; INVALID_STATE to fail a document already DONE
     */
    public boolean acknowledge(long id, boolean done) {
        PickupState target = done ? PickupState.DONE : PickupState.FAILED;
        return db.inTransaction(() -> {
            PickupState state = db.queryOne(
                            "SELECT pickup_state FROM inbox_document WHERE id = ?",
                            row -> PickupState.valueOf(row.getString(1)),
                            id)
                    .orElseThrow(() -> notFound("inbox document " + id));
            if (state == target) {
                return false;
            }
            if (state == PickupState.DONE) {
                throw invalidState("inbox document " + id + " is DONE: it cannot become " + target);
            }
            return db.update(
                            "UPDATE inbox_document SET pickup_state = ?, picked_up_at = ? WHERE id = ?"
                                    + " AND pickup_state = ?",
                            target.name(),
                            utc(now()),
                            id,
                            state.name())
                    == 1;
        });
    }

    // ---- Status ----

    /** Records a status message {@code from} sent about {@code document}, and returns it as stored. */
    public DocumentStatus addStatus(
            DocumentRef document, StatusCode code, String description, String staff, Instant at, ClientId from) {
        Objects.requireNonNull(document, "document");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(from, "from");
        DocumentStatus status = new DocumentStatus(
                0,
                document,
                code,
                DocumentChecks.optionalText("description", description, DocumentChecks.MAX_TEXT),
                DocumentChecks.optionalText("staff", staff, DocumentChecks.MAX_ID),
                micros(at),
                from,
                now());
        return new DocumentStatus(
                insertStatus(status),
                document,
                code,
                status.description(),
                status.staff(),
                status.at(),
                from,
                status.recordedAt());
    }

    /** The statuses recorded about {@code document}, in the order of their own timestamps. */
    public List<DocumentStatus> statuses(DocumentRef document) {
        return db.query(
                "SELECT id, " + STATUS_COLUMNS + " FROM document_status WHERE direction = ? AND sender_id = ?"
                        + " AND document_id = ? ORDER BY status_at, id",
                DocumentStore::status,
                document.direction().name(),
                document.sender().toString(),
                document.documentId());
    }

    /** Every package file an outbox or inbox row names, as absolute normalized paths. */
    public Set<Path> storedPaths() {
        Set<Path> paths = new java.util.HashSet<>();
        for (String table : List.of("outbox_document", "inbox_document")) {
            db.query("SELECT stored_path FROM " + table, row -> Path.of(row.getString(1)))
                    .forEach(p -> paths.add(p.toAbsolutePath().normalize()));
        }
        return paths;
    }

    // ---- Internals ----

    /**
     * Inserts once per business key: an entry already there comes back as a duplicate, and so does
     * one a concurrent transaction committed first (the insert then fails on the key, the
     * transaction rolls back, and the winner's entry is read).
     */
    private <T> T insertOnce(Supplier<Optional<T>> existing, UnaryOp<T> asDuplicate, Database.Work<T> insert) {
        try {
            return db.inTransaction(() -> {
                Optional<T> first = existing.get();
                return first.isPresent() ? asDuplicate.apply(first.get()) : insert.run();
            });
        } catch (TrucException e) {
            if (!Database.isUniqueViolation(e)) {
                throw e;
            }
            return existing.get().map(asDuplicate::apply).orElseThrow(() -> e);
        }
    }

    private interface UnaryOp<T> {
        T apply(T value);
    }

    /**
     * Moves a delivery from QUEUED or DELIVERING by {@code set}, if it is due by {@code dueBy}
     * (when given). DELIVERED never moves again; FAILED refuses all but another {@code markFailed}.
     */
    private boolean move(
            long outboxId, ClientId recipient, String action, Instant dueBy, String set, Object... setParams) {
        String to = Objects.requireNonNull(recipient, "recipient").toString();
        List<Object> params = new ArrayList<>(Arrays.asList(setParams));
        params.add(outboxId);
        params.add(to);
        String sql = "UPDATE outbox_delivery SET " + set
                + " WHERE outbox_id = ? AND recipient_id = ? AND state IN ('QUEUED', 'DELIVERING')";
        if (dueBy != null) {
            sql += " AND next_attempt_at <= ?";
            params.add(utc(micros(dueBy)));
        }
        String update = sql;
        return db.inTransaction(() -> {
            State state = db.queryOne(
                            "SELECT state FROM outbox_delivery WHERE outbox_id = ? AND recipient_id = ?",
                            row -> State.valueOf(row.getString(1)),
                            outboxId,
                            to)
                    .orElseThrow(() -> notFound("delivery of outbox document " + outboxId + " to " + to));
            if (state == State.DELIVERED || (state == State.FAILED && action.equals("fail"))) {
                return false;
            }
            if (state == State.FAILED) {
                throw invalidState(
                        "delivery of outbox document " + outboxId + " to " + to + " FAILED: cannot " + action);
            }
            return db.update(update, params.toArray()) == 1;
        });
    }

    private long insertStatus(DocumentStatus s) {
        // Not through db.update: the id is needed, and one insert is its own transaction.
        try (Connection connection = db.dataSource().getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO document_status (" + STATUS_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        new String[] {"id"})) {
            connection.setAutoCommit(true);
            insert.setString(1, s.document().direction().name());
            insert.setString(2, s.document().sender().toString());
            insert.setString(3, s.document().documentId());
            insert.setString(4, s.code().code());
            insert.setString(5, s.description());
            insert.setString(6, s.staff());
            insert.setObject(7, utc(s.at()));
            insert.setString(8, s.from().toString());
            insert.setObject(9, utc(s.recordedAt()));
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new SQLException("the database returned no id");
                }
                return keys.getLong(1);
            }
        } catch (SQLException e) {
            throw new TrucException(
                    Origin.SERVER, ErrorCode.DATABASE_ERROR, "status could not be recorded: " + e.getMessage(), e);
        }
    }

    private static Set<ClientId> distinct(List<ClientId> recipients) {
        if (recipients == null || recipients.isEmpty()) {
            throw new TrucException(
                    Origin.SERVER, ErrorCode.INVALID_REQUEST, "recipients: none (expected: at least one)");
        }
        Set<ClientId> distinct = new LinkedHashSet<>();
        for (ClientId recipient : recipients) {
            if (!distinct.add(Objects.requireNonNull(recipient, "recipient"))) {
                throw new TrucException(
                        Origin.SERVER,
                        ErrorCode.INVALID_REQUEST,
                        "recipients: " + recipient + " appears twice (expected: each recipient once)");
            }
        }
        return distinct;
    }

    /** To the microsecond, as the database keeps it, so what is stored reads back equal. */
    private static Instant micros(Instant instant) {
        return Objects.requireNonNull(instant, "instant").truncatedTo(ChronoUnit.MICROS);
    }

    private Instant now() {
        return micros(clock.instant());
    }

    private static TrucException notFound(String what) {
        return new TrucException(Origin.SERVER, ErrorCode.NOT_FOUND, what + ": not found");
    }

    private static TrucException invalidState(String message) {
        return new TrucException(Origin.SERVER, ErrorCode.INVALID_STATE, message);
    }

    private static OutboxEntry outboxEntry(ResultSet row) throws SQLException {
        return new OutboxEntry(
                row.getLong("id"),
                ClientId.parse(row.getString("sender_id")),
                row.getString("document_id"),
                BusinessType.valueOf(row.getString("business_type")),
                row.getString("content_sha256"),
                row.getLong("content_size"),
                Path.of(row.getString("stored_path")),
                Database.instant(row, "created_at"),
                info(row),
                false);
    }

    private static Delivery delivery(ResultSet row) throws SQLException {
        return new Delivery(
                row.getLong("outbox_id"),
                ClientId.parse(row.getString("recipient_id")),
                State.valueOf(row.getString("state")),
                row.getInt("attempts"),
                Database.instant(row, "next_attempt_at"),
                row.getString("last_error"),
                Database.instant(row, "delivered_at"));
    }

    private static InboxEntry inboxEntry(ResultSet row) throws SQLException {
        return new InboxEntry(
                row.getLong("id"),
                ClientId.parse(row.getString("recipient_id")),
                ClientId.parse(row.getString("sender_id")),
                row.getString("document_id"),
                BusinessType.valueOf(row.getString("business_type")),
                row.getString("message_id"),
                row.getString("content_sha256"),
                row.getLong("content_size"),
                Path.of(row.getString("stored_path")),
                Database.instant(row, "received_at"),
                Database.instant(row, "picked_up_at"),
                PickupState.valueOf(row.getString("pickup_state")),
                info(row),
                ClientId.parse(row.getString("sender_client")),
                false);
    }

    private static PackageInfo info(ResultSet row) throws SQLException {
        return new PackageInfo(
                vn.truc.core.document.DocumentManifest.Kind.valueOf(row.getString("kind")),
                row.getString("status_code"),
                row.getString("dedupe_key"),
                row.getString("content_type"),
                row.getString("message_id"));
    }

    private static DocumentStatus status(ResultSet row) throws SQLException {
        return new DocumentStatus(
                row.getLong("id"),
                new DocumentRef(
                        DocumentRef.Direction.valueOf(row.getString("direction")),
                        ClientId.parse(row.getString("sender_id")),
                        row.getString("document_id")),
                StatusCode.of(row.getString("status_code")),
                row.getString("description"),
                row.getString("staff"),
                Database.instant(row, "status_at"),
                ClientId.parse(row.getString("from_id")),
                Database.instant(row, "recorded_at"));
    }
}
