package vn.truc.server.store;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import vn.truc.core.crypto.Certificates;
import vn.truc.core.db.Database;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;
import vn.truc.core.id.ClientId;

/**
 * How this server's client subsystems may call its client proxy: their connection type and, for
 * {@link ConnectionType#HTTPS}, the TLS certificates of their information systems; and whether the
 * content of their messages is logged.
 */
public final class ClientStore {
    private final Database db;

    public ClientStore(Database db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    /** Sets how {@code subsystem} must call; creates its entry when it has none. */
    public void setConnectionType(ClientId subsystem, ConnectionType type) {
        Objects.requireNonNull(type, "type");
        String id = requireSubsystem(subsystem).toString();
        db.inTransaction(() -> {
            if (db.update("UPDATE client_subsystem SET connection_type = ? WHERE client_id = ?", type.name(), id)
                    == 0) {
                insert(id, type);
            }
            return null;
        });
    }

    /** The subsystem's connection type; {@link ConnectionType#HTTP} when none was set. */
    public ConnectionType connectionType(ClientId subsystem) {
        return db.queryOne(
                        "SELECT connection_type FROM client_subsystem WHERE client_id = ?",
                        r -> ConnectionType.valueOf(r.getString(1)),
                        subsystem.toString())
                .orElse(ConnectionType.HTTP);
    }

    /**
     * Sets whether the content of {@code subsystem}'s messages is logged (sealed for the operator's
     * content certificate) besides their metadata; creates its entry when it has none.
     */
    public void setLogContent(ClientId subsystem, boolean full) {
        String id = requireSubsystem(subsystem).toString();
        db.inTransaction(() -> {
            if (db.update("UPDATE client_subsystem SET log_content = ? WHERE client_id = ?", full, id) == 0) {
                insert(id, ConnectionType.HTTP);
                db.update("UPDATE client_subsystem SET log_content = ? WHERE client_id = ?", full, id);
            }
            return null;
        });
    }

    /** Whether the content of {@code subsystem}'s messages is logged; false when none was set. */
    public boolean logsContent(ClientId subsystem) {
        return db.queryOne(
                        "SELECT log_content FROM client_subsystem WHERE client_id = ?",
                        r -> r.getBoolean(1),
                        subsystem.toString())
                .orElse(false);
    }

    /** Registers an information system's TLS certificate for {@code subsystem}; returns its hash. */
    public String addCertificate(ClientId subsystem, X509Certificate certificate) {
        String id = requireSubsystem(subsystem).toString();
        String hash = Certificates.sha256Hex(certificate);
        return db.inTransaction(() -> {
            if (certificateHashes(subsystem).contains(hash)) {
                throw new TrucException(
                        Origin.SERVER,
                        ErrorCode.ALREADY_EXISTS,
                        "certificate " + hash + " is already registered for " + subsystem);
            }
            if (db.queryOne("SELECT 1 FROM client_subsystem WHERE client_id = ?", r -> 1, id)
                    .isEmpty()) {
                insert(id, ConnectionType.HTTP);
            }
            db.update(
                    "INSERT INTO client_certificate (client_id, cert_hash, cert_pem, added_at) VALUES (?, ?, ?, ?)",
                    id,
                    hash,
                    Certificates.toPem(certificate),
                    Database.utc(Instant.now()));
            return hash;
        });
    }

    /** Removes a registered certificate by its SHA-256 hash; NOT_FOUND if it is not registered. */
    public void removeCertificate(ClientId subsystem, String hash) {
        int deleted = db.update(
                "DELETE FROM client_certificate WHERE client_id = ? AND cert_hash = ?",
                subsystem.toString(),
                hash.toLowerCase(Locale.ROOT));
        if (deleted == 0) {
            throw new TrucException(
                    Origin.SERVER, ErrorCode.NOT_FOUND, "no certificate " + hash + " registered for " + subsystem);
        }
    }

    /** SHA-256 (lower-case hex) of the certificates registered for {@code subsystem}, sorted. */
    public List<String> certificateHashes(ClientId subsystem) {
        return db.query(
                "SELECT cert_hash FROM client_certificate WHERE client_id = ? ORDER BY cert_hash",
                r -> r.getString(1),
                subsystem.toString());
    }

    /** Every subsystem with a connection type or certificates, ordered by id. */
    public List<LocalClient> list() {
        record Row(ClientId id, ConnectionType type, boolean logContent) {}
        return db
                .query(
                        "SELECT client_id, connection_type, log_content FROM client_subsystem ORDER BY client_id",
                        r -> new Row(
                                ClientId.parse(r.getString(1)),
                                ConnectionType.valueOf(r.getString(2)),
                                r.getBoolean(3)))
                .stream()
                .map(row -> new LocalClient(row.id(), row.type(), certificateHashes(row.id()), row.logContent()))
                .toList();
    }

    private void insert(String id, ConnectionType type) {
        db.update(
                "INSERT INTO client_subsystem (client_id, connection_type, created_at) VALUES (?, ?, ?)",
                id,
                type.name(),
                Database.utc(Instant.now()));
    }

    private static ClientId requireSubsystem(ClientId client) {
        if (!client.isSubsystem()) {
            throw new TrucException(
                    Origin.CLIENT,
                    ErrorCode.INVALID_IDENTIFIER,
                    "client " + client + " is not a subsystem (expected: INSTANCE/CLASS/MEMBER/SUBSYSTEM)");
        }
        return client;
    }
}
