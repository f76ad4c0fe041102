package vn.truc.core.db;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class H2CompactorTest {
    private static final int ROWS = 3000;
    private static final int ROW_BYTES = 5000;

    @TempDir
    Path dir;

    @Test
    void keepsASynchronouslyCommittingFileFromGrowingWithDeadChunks() throws Exception {
        // H2 keeps dead chunks for its retention time (45 s) before reusing their space; 0 lets the
        // test see the reuse at once instead of after minutes of writing.
        long uncompacted;
        String plainUrl = "jdbc:h2:file:" + dir.resolve("plain/db") + ";WRITE_DELAY=0";
        try (Connection connection = DriverManager.getConnection(plainUrl, "sa", "")) {
            connection.createStatement().execute("SET RETENTION_TIME 0");
            connection.createStatement().execute(CREATE_TABLE);
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                Random random = new Random(1);
                for (int id = 1; id <= ROWS; id++) {
                    insert.setLong(1, id);
                    insert.setBytes(2, row(random));
                    insert.executeUpdate();
                }
            }
            uncompacted = Files.size(dir.resolve("plain/db.mv.db"));
        }

        String url = "jdbc:h2:file:" + dir.resolve("compacted/db") + ";WRITE_DELAY=0";
        try (Database db = Database.open(url, "sa", "", "compactortest")) {
            H2Compactor compactor = db.compactor().orElseThrow();
            db.update("SET RETENTION_TIME 0");
            db.update(CREATE_TABLE);
            Random random = new Random(1);
            int passesThatRewrote = 0;
            for (int id = 1; id <= ROWS; id++) {
                db.update(INSERT, id, row(random));
                if (id % 100 == 0 && compactor.compactOnce()) {
                    passesThatRewrote++;
                }
            }
            long compacted = Files.size(dir.resolve("compacted/db.mv.db"));

            assertTrue(passesThatRewrote > 0, "no pass rewrote a chunk");
            assertTrue(
                    compacted < uncompacted * 7 / 10,
                    "compacted file " + compacted + " bytes against " + uncompacted + " uncompacted");
            Random expected = new Random(1);
            List<byte[]> rows = db.query("SELECT b FROM t ORDER BY id", r -> r.getBytes(1));
            assertEquals(ROWS, rows.size());
            for (byte[] stored : rows) {
                assertArrayEquals(row(expected), stored);
            }
        }
    }

    @Test
    void leavesAFileWithAWriteDelayToH2() throws SQLException {
        String url = "jdbc:h2:file:" + dir.resolve("delayed/db");
        try (Database db = Database.open(url, "sa", "", "compactortest")) {
            // a chunk per row and no retention, as above, so that a pass would find chunks to rewrite
            // if it looked
            db.update("SET RETENTION_TIME 0");
            db.update(CREATE_TABLE);
            Random random = new Random(1);
            for (int id = 1; id <= 300; id++) {
                db.update(INSERT, id, row(random));
                db.update("CHECKPOINT");
            }
            assertFalse(db.compactor().orElseThrow().compactOnce(), "H2's own thread compacts this file");
        }
    }

    @Test
    void startsOnlyForH2FileDatabasesAndStopsWithTheDatabase() {
        try (Database memory = Database.open("jdbc:h2:mem:compactor", "sa", "", "compactortest")) {
            assertTrue(memory.compactor().isEmpty());
        }
        String url = "jdbc:h2:file:" + dir.resolve("stopped/db") + ";WRITE_DELAY=0";
        Database db = Database.open(url, "sa", "", "compactortest");
        assertTrue(compactorThreadAlive(), "no compactor thread while the database is open");
        db.close();
        assertFalse(compactorThreadAlive(), "the compactor thread outlived its database");
    }

    private static boolean compactorThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.isAlive() && t.getName().equals("h2-compactor-compactortest"));
    }

    private static byte[] row(Random random) {
        byte[] bytes = new byte[ROW_BYTES];
        random.nextBytes(bytes);
        return bytes;
    }

    private static final String CREATE_TABLE = "CREATE TABLE t(id BIGINT PRIMARY KEY, b VARBINARY(8000))";
    private static final String INSERT = "INSERT INTO t VALUES (?, ?)";
}
