package vn.truc.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
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
            + " manifest, signature, signer_cert_hash, peer_server_id";
    private static final String INSERT =
            "INSERT INTO message_log (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private final Database db;

    public MessageLog(Database db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    /**
     * Appends {@code record} (its id is ignored) in a transaction of its own, committed when this
     * returns, even inside another transaction, and returns the id it was given.
     *
     * @throws TrucException DATABASE_ERROR if the record could not be stored
     */
    public long append(LogRecord record) {
        Objects.requireNonNull(record, "record");
        // Not through db.update: that would join a caller's transaction, and the id is needed.
        try (Connection connection = db.dataSource().getConnection();
                PreparedStatement insert = connection.prepareStatement(INSERT, new String[] {"id"})) {
            connection.setAutoCommit(true);
            bind(insert, record);
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new SQLException("the database returned no id");
                }
                return keys.getLong(1);
            }
        } catch (SQLException e) {
            throw new TrucException(
                    Origin.SERVER,
                    ErrorCode.DATABASE_ERROR,
                    "message could not be logged: " + e.getMessage() + " (the message is refused)",
                    e);
        }
    }

    /** The records of one message, in the order they were appended. */
    public List<LogRecord> records(String messageId) {
        return db.query(
                "SELECT id, " + COLUMNS + " FROM message_log WHERE message_id = ? ORDER BY id",
                MessageLog::record,
                messageId);
    }

    private static void bind(PreparedStatement insert, LogRecord r) throws SQLException {
        insert.setObject(1, Database.utc(r.loggedAt()));
        insert.setString(2, r.messageId());
        insert.setString(3, r.direction().name());
        insert.setString(4, r.kind().name());
        insert.setString(5, r.client().toString());
        insert.setString(6, r.service() == null ? null : r.service().toString());
        insert.setString(7, r.bodyDigest());
        insert.setString(8, r.manifest());
        insert.setBytes(9, r.signature());
        insert.setString(10, r.signerCertHash());
        insert.setString(11, r.peerServer() == null ? null : r.peerServer().toString());
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
                peer == null ? null : SecurityServerId.parse(peer));
    }
}
