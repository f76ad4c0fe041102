package vn.truc.server.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.truc.core.crypto.KeyStores.KeyAndChain;
import vn.truc.core.db.Database;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;
import vn.truc.core.globalconf.GlobalConf;
import vn.truc.core.id.SecurityServerId;
import vn.truc.core.io.AtomicFiles;
import vn.truc.server.store.MessageLog;

/**
 * Moves old records out of the live message log into archive files, so the database stays small:
 * every whole timestamp batch whose records are all older than {@code archive-after} goes, from the
 * oldest record on, into one signed export ({@code log-FIRST-LAST.p7m}, the same format as {@code
 * truc audit export}, logged contents included as sealed), which is written and flushed before the records leave the database. The
 * chain goes on unbroken: the first record left in the database names the last archived one as
 * its predecessor, and {@code truc audit verify} checks that link across files.
 */
public final class Archiver {
    private static final Logger LOG = LoggerFactory.getLogger(Archiver.class);

    private final Database db;
    private final MessageLog log;
    private final Supplier<GlobalConf> conf;
    private final KeyAndChain signKey;
    private final SecurityServerId serverId;
    private final Duration archiveAfter;
    private final Path dir;
    private final AuditExport.Contents contents;
    private final Clock clock;

    public Archiver(
            Database db,
            Supplier<GlobalConf> conf,
            KeyAndChain signKey,
            SecurityServerId serverId,
            Duration archiveAfter,
            Path dir,
            AuditExport.Contents contents,
            Clock clock) {
        this.db = db;
        this.log = new MessageLog(db);
        this.conf = conf;
        this.signKey = signKey;
        this.serverId = serverId;
        this.archiveAfter = archiveAfter;
        this.dir = dir;
        this.contents = contents;
        this.clock = clock;
    }

    /** Archives what is due, if anything; returns the archive file written. */
    public Optional<Path> archiveDue() {
        Instant cutoff = clock.instant().minus(archiveAfter);
        // the last record of the newest batch whose records were all logged before the cutoff
        long lastId = db.queryOne(
                        "SELECT COALESCE(MAX(b.last_id), 0) FROM timestamp_batch b WHERE EXISTS (SELECT 1 FROM"
                                + " message_log_stamp s WHERE s.batch_id = b.id) AND NOT EXISTS (SELECT 1 FROM"
                                + " message_log_stamp s JOIN message_log m ON m.id = s.record_id"
                                + " WHERE s.batch_id = b.id AND m.logged_at >= ?)",
                        row -> row.getLong(1),
                        Database.utc(cutoff))
                .orElseThrow();
        long firstId = db.queryOne(
                        "SELECT COALESCE(MIN(id), 0) FROM message_log WHERE record_hash IS NOT NULL",
                        row -> row.getLong(1))
                .orElseThrow();
        if (lastId == 0 || firstId == 0 || lastId < firstId) {
            return Optional.empty();
        }
        // every record up to lastId must be timestamped: batches cover the chain from its start in order
        long waiting = db.queryOne(
                        "SELECT COUNT(*) FROM message_log m WHERE m.id <= ? AND m.record_hash IS NOT NULL"
                                + " AND NOT EXISTS (SELECT 1 FROM message_log_stamp s WHERE s.record_id = m.id)",
                        row -> row.getLong(1),
                        lastId)
                .orElseThrow();
        if (waiting > 0) {
            return Optional.empty();
        }
        return Optional.of(archive(firstId, lastId));
    }

    private Path archive(long firstId, long lastId) {
        var result =
                AuditExport.exportRange(log, conf.get(), signKey, serverId, firstId, lastId, contents, clock.instant());
        Path file = dir.resolve(String.format("log-%012d-%012d.p7m", firstId, lastId));
        try {
            Files.createDirectories(dir);
            // an archive of these same first records whose rows a stop kept from leaving the database:
            // this one covers it, and two overlapping files would not read as one chain
            try (var stale = Files.newDirectoryStream(dir, String.format("log-%012d-*.p7m", firstId))) {
                for (Path old : stale) {
                    Files.deleteIfExists(old);
                }
            }
            AtomicFiles.write(file, result.der());
        } catch (IOException e) {
            throw new TrucException(
                    Origin.SERVER, ErrorCode.INTERNAL_ERROR, "cannot write archive " + file + ": " + e, e);
        }
        try (Connection connection = db.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement stamps = connection.prepareStatement(
                            "DELETE FROM message_log_stamp WHERE record_id >= ? AND record_id <= ?");
                    PreparedStatement records =
                            connection.prepareStatement("DELETE FROM message_log WHERE id >= ? AND id <= ?");
                    PreparedStatement batches =
                            connection.prepareStatement("DELETE FROM timestamp_batch WHERE last_id <= ?")) {
                stamps.setLong(1, firstId);
                stamps.setLong(2, lastId);
                stamps.executeUpdate();
                records.setLong(1, firstId);
                records.setLong(2, lastId);
                records.executeUpdate();
                batches.setLong(1, lastId);
                batches.executeUpdate();
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new TrucException(
                    Origin.SERVER,
                    ErrorCode.DATABASE_ERROR,
                    "archive " + file + " written, but its records could not leave the database: " + e.getMessage(),
                    e);
        }
        LOG.info("archived message log records {}..{} to {}", firstId, lastId, file);
        return file;
    }
}
