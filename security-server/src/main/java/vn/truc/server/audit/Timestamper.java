package vn.truc.server.audit;

import java.net.URI;
import java.net.http.HttpClient;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.truc.core.audit.MerkleTree;
import vn.truc.core.audit.TimestampToken;
import vn.truc.core.audit.Timestamps;
import vn.truc.core.db.Database;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;
import vn.truc.core.globalconf.GlobalConf;
import vn.truc.server.store.MessageLog;

/**
 * Timestamps the message log in batches: at each interval, one RFC 3161 timestamp from the TSA over
 * the Merkle root of the hashes of the records logged since the last batch; each record keeps its
 * path to that root. While the TSA cannot be reached traffic goes on for a grace period, counted
 * from the oldest record still waiting; after it, {@link #requireOpen()} refuses with {@code
 * timestamp_failed} until a batch succeeds, which then covers the whole backlog.
 */
public final class Timestamper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Timestamper.class);
    /** The most records one timestamp covers; a longer backlog takes several rounds. */
    private static final int MAX_BATCH = 10_000;

    private final Database db;
    private final Supplier<GlobalConf> conf;
    private final HttpClient http;
    private final Settings settings;
    private final Clock clock;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "log-timestamper");
        t.setDaemon(true);
        return t;
    });

    private volatile Status status = new Status(0, null, null, null, null);
    private volatile Archiver archiver;

    /**
     * @param interval how often a batch is timestamped
     * @param grace how long a record may wait for its timestamp before traffic stops
     * @param tsaName which of the global configuration's TSAs to use; null for the first
     */
    public record Settings(Duration interval, Duration grace, String tsaName, Duration timeout) {}

    /**
     * What the health page reports.
     *
     * @param pending records waiting for a timestamp
     * @param oldestPending when the oldest of them was logged, or null
     * @param lastBatchAt when the last batch was timestamped, or null
     * @param lastTsa which TSA answered it
     * @param lastError why the last attempt failed, or null if it succeeded
     */
    public record Status(long pending, Instant oldestPending, Instant lastBatchAt, String lastTsa, String lastError) {}

    public Timestamper(Database db, Supplier<GlobalConf> conf, HttpClient http, Settings settings, Clock clock) {
        this.db = db;
        this.conf = conf;
        this.http = http;
        this.settings = settings;
        this.clock = clock;
    }

    /** Archives old records after each round (see {@link Archiver}). */
    public void archiveWith(Archiver archiver) {
        this.archiver = archiver;
    }

    public void start() {
        long period = settings.interval().toMillis();
        scheduler.scheduleWithFixedDelay(this::runOnce, period, period, TimeUnit.MILLISECONDS);
    }

    /** One round: timestamps what waits, if anything; records the outcome for the health page. */
    void runOnce() {
        // Nothing may leave this method: a scheduled task that throws is never run again.
        String error = null;
        try {
            while (timestampBatch() == MAX_BATCH) {
                // a long backlog: the next batch at once
            }
        } catch (TrucException e) {
            LOG.warn("message log not timestamped: {}", e.getMessage());
            error = e.getMessage();
        } catch (RuntimeException e) {
            LOG.error("message log not timestamped", e);
            error = e.toString();
        }
        try {
            refresh(error);
        } catch (RuntimeException e) {
            LOG.warn("message log backlog unknown: {}", e.toString());
            Status last = status;
            status = new Status(
                    last.pending(),
                    last.oldestPending() == null ? clock.instant() : last.oldestPending(),
                    last.lastBatchAt(),
                    last.lastTsa(),
                    error != null ? error : "cannot read the backlog: " + e.getMessage());
        }
        Archiver archive = archiver;
        if (archive != null && error == null) {
            try {
                archive.archiveDue();
            } catch (RuntimeException e) {
                LOG.warn("message log not archived: {}", e instanceof TrucException t ? t.describe() : e.toString());
            }
        }
    }

    /** Timestamps up to {@value #MAX_BATCH} waiting records; returns how many. */
    public int timestampBatch() {
        List<long[]> ids = new ArrayList<>();
        List<byte[]> leaves = new ArrayList<>();
        db.query(
                        "SELECT id, record_hash FROM message_log WHERE " + MessageLog.AWAITING_TIMESTAMP
                                + " ORDER BY id LIMIT " + MAX_BATCH,
                        row -> new Object[] {row.getLong(1), row.getString(2)})
                .forEach(row -> {
                    ids.add(new long[] {(Long) row[0]});
                    leaves.add(HexFormat.of().parseHex((String) row[1]));
                });
        if (leaves.isEmpty()) {
            return 0;
        }
        GlobalConf.TimestampingAuthority tsa = tsa();
        byte[] root = MerkleTree.root(leaves);
        TimestampToken token = Timestamps.fetch(http, URI.create(tsa.url()), root, settings.timeout());
        Timestamps.verify(token.der(), root, List.of(tsa.certificate()));
        store(ids, leaves, root, token, tsa.name());
        LOG.info(
                "timestamped {} log records (ids {}..{}) at {} by {}",
                leaves.size(),
                ids.get(0)[0],
                ids.get(ids.size() - 1)[0],
                token.genTime(),
                tsa.name());
        return leaves.size();
    }

    private void store(List<long[]> ids, List<byte[]> leaves, byte[] root, TimestampToken token, String tsa) {
        try (Connection connection = db.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            try {
                long batch;
                try (PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO timestamp_batch (root_hash, first_id, last_id, record_count, token, tsa_name,"
                                + " timestamped_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        new String[] {"id"})) {
                    insert.setString(1, HexFormat.of().formatHex(root));
                    insert.setLong(2, ids.get(0)[0]);
                    insert.setLong(3, ids.get(ids.size() - 1)[0]);
                    insert.setInt(4, ids.size());
                    insert.setBytes(5, token.der());
                    insert.setString(6, tsa);
                    insert.setObject(7, Database.utc(token.genTime()));
                    insert.executeUpdate();
                    try (ResultSet keys = insert.getGeneratedKeys()) {
                        keys.next();
                        batch = keys.getLong(1);
                    }
                }
                List<List<MerkleTree.Step>> paths = MerkleTree.paths(leaves);
                try (PreparedStatement stamp = connection.prepareStatement(
                        "INSERT INTO message_log_stamp (record_id, batch_id, merkle_path) VALUES (?, ?, ?)")) {
                    for (int i = 0; i < ids.size(); i++) {
                        stamp.setLong(1, ids.get(i)[0]);
                        stamp.setLong(2, batch);
                        stamp.setString(3, MerkleTree.pathToText(paths.get(i)));
                        stamp.addBatch();
                    }
                    stamp.executeBatch();
                } catch (SQLException e) {
                    if (!Database.isUniqueViolation(e)) {
                        throw e;
                    }
                    // a record stamped already: another node timestamped it meanwhile, and its batch stands
                    throw new SQLException("records were timestamped by another node meanwhile", e);
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new TrucException(
                    Origin.SERVER, ErrorCode.DATABASE_ERROR, "timestamp could not be stored: " + e.getMessage(), e);
        }
    }

    private GlobalConf.TimestampingAuthority tsa() {
        List<GlobalConf.TimestampingAuthority> all = conf.get().timestampingAuthorities();
        return all.stream()
                .filter(t -> settings.tsaName() == null || settings.tsaName().equals(t.name()))
                .findFirst()
                .orElseThrow(() -> new TrucException(
                        Origin.SERVER,
                        ErrorCode.TIMESTAMP_FAILED,
                        settings.tsaName() == null
                                ? "the global configuration lists no timestamping authority"
                                : "the global configuration lists no timestamping authority named "
                                        + settings.tsaName()));
    }

    private void refresh(String error) {
        Object[] pending = db.queryOne(
                        "SELECT COUNT(*) AS pending, MIN(logged_at) AS oldest FROM message_log WHERE "
                                + MessageLog.AWAITING_TIMESTAMP,
                        row -> new Object[] {row.getLong("pending"), Database.instant(row, "oldest")})
                .orElseThrow();
        Object[] last = db.queryOne(
                        "SELECT timestamped_at, tsa_name FROM timestamp_batch ORDER BY id DESC LIMIT 1",
                        row -> new Object[] {Database.instant(row, "timestamped_at"), row.getString("tsa_name")})
                .orElse(new Object[] {null, null});
        status = new Status((Long) pending[0], (Instant) pending[1], (Instant) last[0], (String) last[1], error);
    }

    public Status status() {
        return status;
    }

    /**
     * Refuses with {@code timestamp_failed} once a record has waited longer than the grace period
     * for its timestamp; called before anything new is logged.
     */
    public void requireOpen() {
        Status current = status;
        Instant oldest = current.oldestPending();
        if (oldest != null
                && current.lastError() != null
                && oldest.plus(settings.grace()).isBefore(clock.instant())) {
            throw new TrucException(
                    Origin.SERVER,
                    ErrorCode.TIMESTAMP_FAILED,
                    current.pending() + " message log records have waited for a timestamp since " + oldest
                            + ", longer than the grace period of " + settings.grace()
                            + "; traffic resumes once the TSA answers (last error: " + current.lastError() + ")");
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
