package vn.truc.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import vn.truc.core.audit.AuditRecord;
import vn.truc.core.db.Database;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;
import vn.truc.core.id.ClientId;
import vn.truc.core.id.SecurityServerId;
import vn.truc.core.id.ServiceId;

/**
 * The message log: every request and response this server passes, appended before the message
 * goes further. A message that cannot be logged is refused, never passed on unlogged, so a
 * failure to append is an error the exchange must not swallow.
 */
public final class MessageLog {
    private static final String COLUMNS = "logged_at, message_id, direction, kind, client_id, service_id, body_digest,"
            + " manifest, signature, signer_cert_hash, peer_server_id, content_logged";
    /** A chained record with its timestamp batch and path, when it has them. */
    private static final String CHAINED = "SELECT m.id, " + COLUMNS + ", prev_hash, record_hash, s.batch_id,"
            + " s.merkle_path FROM message_log m LEFT JOIN message_log_stamp s ON s.record_id = m.id";

    private static final String INSERT = "INSERT INTO message_log (id, " + COLUMNS
            + ", prev_hash, record_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /** The most records one transaction appends. */
    static final int MAX_BATCH = 256;

    private final Database db;
    // Package-private so that tests can hold the writer and see what queues behind it.
    final Queue<Pending> waiting = new ConcurrentLinkedQueue<>();
    final ReentrantLock writer = new ReentrantLock();
    private final AtomicLong transactions = new AtomicLong();
    private final AtomicLong appended = new AtomicLong();

    public MessageLog(Database db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    /**
     * Appends {@code record} (its id is ignored) to the hash chain and returns the id it was given,
     * once it is committed, even when called inside another transaction. The chain's head row is
     * locked for the append, so records are chained in one order even when several nodes share the
     * database.
     *
     * <p>Group commit: records that arrive while another thread is writing wait for it, then the
     * next writer appends all that are waiting (up to {@link #MAX_BATCH}) in one transaction, so a
     * busy server pays for one commit per batch rather than per record. If that transaction fails,
     * each of its records is tried again in a transaction of its own, so one record the database
     * refuses does not take the others with it.
     *
     * @throws TrucException DATABASE_ERROR if the record could not be stored
     */
    public long append(LogRecord record) {
        Pending mine = new Pending(Objects.requireNonNull(record, "record"));
        waiting.add(mine);
        writer.lock();
        try {
            // A writer that ran while we waited for the lock may have taken ours already.
            if (!mine.done()) {
                writeWaiting();
            }
            if (!mine.done()) { // drained by a writer that died of an Error before answering it
                mine.failed(new IllegalStateException("the batch it was written in was lost"));
            }
        } finally {
            writer.unlock();
        }
        return mine.id();
    }

    /** How many records this log has appended, and in how many transactions (group commits). */
    public record AppendCounts(long records, long transactions) {}

    public AppendCounts appendCounts() {
        return new AppendCounts(appended.get(), transactions.get());
    }

    /** Writes what is waiting, a batch at a time; called holding {@link #writer}. */
    private void writeWaiting() {
        List<Pending> batch = new ArrayList<>();
        for (Pending next; (next = waiting.poll()) != null; ) {
            batch.add(next);
            if (batch.size() == MAX_BATCH || waiting.isEmpty()) {
                write(batch);
                batch.clear();
            }
        }
    }

    private void write(List<Pending> batch) {
        try {
            long[] ids = inTransaction(batch);
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).succeeded(ids[i]);
            }
        } catch (SQLException | RuntimeException e) {
            if (batch.size() == 1) {
                batch.get(0).failed(e);
                return;
            }
            for (Pending one : batch) {
                write(List.of(one));
            }
        }
    }

    private long[] inTransaction(List<Pending> batch) throws SQLException {
        // Not through db.update: that would join a caller's transaction.
        try (Connection connection = db.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            try {
                long[] ids = append(connection, batch);
                connection.commit();
                transactions.incrementAndGet();
                appended.addAndGet(batch.size());
                return ids;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    /** One record waiting to be appended, and then its id or why it could not be. */
    static final class Pending {
        private final LogRecord record;
        private long id;
        private Exception failure;
        private boolean done;

        Pending(LogRecord record) {
            this.record = record;
        }

        // Written and read by threads holding the writer lock, which orders them.
        void succeeded(long id) {
            this.id = id;
            done = true;
        }

        void failed(Exception e) {
            failure = e;
            done = true;
        }

        boolean done() {
            return done;
        }

        long id() {
            if (failure != null) {
                throw new TrucException(
                        Origin.SERVER,
                        ErrorCode.DATABASE_ERROR,
                        "message could not be logged: " + failure.getMessage() + " (the message is refused)",
                        failure);
            }
            return id;
        }
    }

    private static long[] append(Connection connection, List<Pending> batch) throws SQLException {
        long lastId;
        String lastHash;
        try (PreparedStatement head = connection.prepareStatement(
                        "SELECT last_id, last_hash FROM message_log_head WHERE id = 1 FOR UPDATE");
                ResultSet row = head.executeQuery()) {
            if (!row.next()) {
                throw new SQLException("message_log_head has no row");
            }
            lastId = row.getLong(1);
            lastHash = row.getString(2);
        }
        long[] ids = new long[batch.size()];
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            for (int i = 0; i < ids.length; i++) {
                LogRecord record = batch.get(i).record;
                long id = lastId + 1;
                String hash = chained(record, id, lastHash).hash();
                insert.setLong(1, id);
                bind(insert, record, 1);
                insert.setString(14, lastHash);
                insert.setString(15, hash);
                insert.executeUpdate();
                ids[i] = id;
                lastId = id;
                lastHash = hash;
            }
        }
        try (PreparedStatement head =
                connection.prepareStatement("UPDATE message_log_head SET last_id = ?, last_hash = ? WHERE id = 1")) {
            head.setLong(1, lastId);
            head.setString(2, lastHash);
            head.executeUpdate();
        }
        return ids;
    }

    /** {@code record} as the chain hashes it, at position {@code id} after {@code prevHash}. */
    public static AuditRecord chained(LogRecord r, long id, String prevHash) {
        return new AuditRecord(
                id,
                r.loggedAt(),
                r.messageId(),
                r.direction().name(),
                r.kind().name(),
                r.client().toString(),
                r.service() == null ? null : r.service().toString(),
                r.bodyDigest(),
                r.manifest(),
                r.signature(),
                r.signerCertHash(),
                r.peerServer() == null ? null : r.peerServer().toString(),
                r.content(),
                prevHash);
    }

    /**
     * A record as the chain holds it: its hashed form, its stored hash, and its timestamp batch and
     * Merkle path (null while it waits for a timestamp).
     */
    public record Chained(AuditRecord record, String hash, Long batchId, String merklePath) {}

    /**
     * The condition on {@code message_log} that selects the records waiting for a timestamp: the
     * chained records after the last one of the newest batch. Batches take the waiting records in id
     * order, so none before it waits.
     */
    public static final String AWAITING_TIMESTAMP =
            "record_hash IS NOT NULL AND id > (SELECT COALESCE(MAX(last_id), 0) FROM timestamp_batch)";

    /** How many records wait for a timestamp. */
    public long awaitingTimestamp() {
        return db.queryOne("SELECT COUNT(*) FROM message_log WHERE " + AWAITING_TIMESTAMP, row -> row.getLong(1))
                .orElseThrow();
    }

    /** A timestamp over the Merkle root of records {@code firstId..lastId}. */
    // The token is evidence handed out as stored.
    @SuppressWarnings("ArrayRecordComponent")
    public record Batch(
            long id, String rootHash, long firstId, long lastId, int count, byte[] token, String tsa, Instant at) {}

    /**
     * The chained records logged from {@code from} (inclusive) to {@code to} (exclusive), in id order,
     * as stored: what an export copies and a verifier recomputes.
     */
    public List<Chained> chain(Instant from, Instant to) {
        return db.query(
                CHAINED + " WHERE record_hash IS NOT NULL AND logged_at >= ? AND logged_at < ? ORDER BY m.id",
                MessageLog::chained,
                Database.utc(from),
                Database.utc(to));
    }

    /** The records with ids {@code firstId..lastId}, in id order, as stored. */
    public List<Chained> chain(long firstId, long lastId) {
        return db.query(
                CHAINED + " WHERE record_hash IS NOT NULL AND m.id >= ? AND m.id <= ? ORDER BY m.id",
                MessageLog::chained,
                firstId,
                lastId);
    }

    /** The timestamp batch {@code id}, if there is one. */
    public java.util.Optional<Batch> batch(long id) {
        return db.queryOne(
                "SELECT id, root_hash, first_id, last_id, record_count, token, tsa_name, timestamped_at"
                        + " FROM timestamp_batch WHERE id = ?",
                row -> new Batch(
                        row.getLong("id"),
                        row.getString("root_hash"),
                        row.getLong("first_id"),
                        row.getLong("last_id"),
                        row.getInt("record_count"),
                        row.getBytes("token"),
                        row.getString("tsa_name"),
                        Database.instant(row, "timestamped_at")),
                id);
    }

    private static Chained chained(ResultSet row) throws SQLException {
        LogRecord r = record(row);
        long batch = row.getLong("batch_id");
        Long batchId = row.wasNull() ? null : batch;
        return new Chained(
                chained(r, r.id(), row.getString("prev_hash")),
                row.getString("record_hash"),
                batchId,
                row.getString("merkle_path"));
    }

    /** The records of one message, in the order they were appended. */
    public List<LogRecord> records(String messageId) {
        return db.query(
                "SELECT id, " + COLUMNS + " FROM message_log WHERE message_id = ? ORDER BY id",
                MessageLog::record,
                messageId);
    }

    private static void bind(PreparedStatement insert, LogRecord r, int offset) throws SQLException {
        insert.setObject(offset + 1, Database.utc(r.loggedAt()));
        insert.setString(offset + 2, r.messageId());
        insert.setString(offset + 3, r.direction().name());
        insert.setString(offset + 4, r.kind().name());
        insert.setString(offset + 5, r.client().toString());
        insert.setString(offset + 6, r.service() == null ? null : r.service().toString());
        insert.setString(offset + 7, r.bodyDigest());
        insert.setString(offset + 8, r.manifest());
        insert.setBytes(offset + 9, r.signature());
        insert.setString(offset + 10, r.signerCertHash());
        insert.setString(
                offset + 11, r.peerServer() == null ? null : r.peerServer().toString());
        insert.setBoolean(offset + 12, r.content());
    }

    private static LogRecord record(ResultSet row) throws SQLException {
        String service = row.getString("service_id");
        String peer = row.getString("peer_server_id");
        return new LogRecord(
                row.getLong("id"),
                Database.instant(row, "logged_at"),
                row.getString("message_id"),
                LogRecord.Direction.valueOf(row.getString("direction")),
                LogRecord.Kind.valueOf(row.getString("kind")),
                ClientId.parse(row.getString("client_id")),
                service == null ? null : ServiceId.parse(service),
                row.getString("body_digest"),
                row.getString("manifest"),
                row.getBytes("signature"),
                row.getString("signer_cert_hash"),
                peer == null ? null : SecurityServerId.parse(peer),
                row.getBoolean("content_logged"));
    }
}
