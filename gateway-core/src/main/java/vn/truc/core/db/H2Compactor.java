package vn.truc.core.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.h2.engine.Session;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.db.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reclaims the space an embedded H2 file database leaves behind when it commits synchronously.
 *
 * <p>With {@code WRITE_DELAY=0} H2 writes each commit to the file as a chunk of its own, and it also
 * stops its background thread, the one that rewrites chunks whose pages are mostly dead. The file
 * then grows several times faster than the data in it and never levels off: 2.3 GB after five
 * minutes of load in BENCHMARKS.md. This task does the rewriting instead. Once a second, if less than
 * {@value #TARGET_FILL_RATE} % of the chunks' space is live, it copies the live pages of the emptiest
 * chunks (up to {@value #WRITE_LIMIT_BYTES} bytes a pass) into a new one; H2 reuses the old chunks'
 * space once its retention time has passed.
 *
 * <p>H2 offers no SQL for this while the database is open, so the store is reached through H2's
 * engine classes ({@code SessionLocal}, {@code Store}) and compacted through {@link
 * MVStore#compact(int, int)}, which is public. A process that reaches the file through another
 * process's {@code AUTO_SERVER} has no store of its own and does nothing.
 */
final class H2Compactor implements AutoCloseable {
    static final int TARGET_FILL_RATE = 80;
    static final int WRITE_LIMIT_BYTES = 4 << 20;
    private static final Logger LOG = LoggerFactory.getLogger(H2Compactor.class);

    private final DataSource dataSource;
    private final ScheduledExecutorService timer;

    private H2Compactor(DataSource dataSource, String name) {
        this.dataSource = dataSource;
        this.timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "h2-compactor-" + name);
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Starts compacting the H2 file database behind {@code dataSource} once a second; empty for
     * other databases. Each pass checks again whether the file needs it (see {@link #compactOnce}),
     * since the process that holds an {@code AUTO_SERVER} database open can change while it runs.
     */
    static Optional<H2Compactor> startIfH2File(String jdbcUrl, DataSource dataSource, String name) {
        if (!jdbcUrl.startsWith("jdbc:h2:") || jdbcUrl.startsWith("jdbc:h2:mem:")) {
            return Optional.empty();
        }
        H2Compactor compactor = new H2Compactor(dataSource, name);
        compactor.timer.scheduleWithFixedDelay(compactor::compactLogged, 1, 1, TimeUnit.SECONDS);
        return Optional.of(compactor);
    }

    /**
     * One pass; true if it rewrote any chunk. It does nothing when H2 compacts the file by itself (a
     * write delay above 0) or another process holds it.
     */
    boolean compactOnce() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            Optional<MVStore> store = synchronousFileStore(connection);
            return store.isPresent() && store.get().compact(TARGET_FILL_RATE, WRITE_LIMIT_BYTES);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void compactLogged() {
        try {
            compactOnce();
        } catch (SQLException | RuntimeException e) {
            // The next pass tries again; the database itself is not affected by a failed pass.
            LOG.warn("compacting the database file failed: {}", e.toString());
        }
    }

    /**
     * The store under {@code connection} when H2 will not compact it by itself: a file store, held
     * by this process, with auto-commit (and so H2's background thread) turned off.
     */
    private static Optional<MVStore> synchronousFileStore(Connection connection) throws SQLException {
        if (!connection.isWrapperFor(JdbcConnection.class)) {
            return Optional.empty();
        }
        Session session = connection.unwrap(JdbcConnection.class).getSession();
        if (!(session instanceof SessionLocal local)) {
            return Optional.empty();
        }
        Store store = local.getDatabase().getStore();
        if (store == null) {
            return Optional.empty();
        }
        MVStore mvStore = store.getMvStore();
        boolean synchronous = mvStore.getFileStore() != null && mvStore.getAutoCommitDelay() == 0;
        return synchronous ? Optional.of(mvStore) : Optional.empty();
    }
}
