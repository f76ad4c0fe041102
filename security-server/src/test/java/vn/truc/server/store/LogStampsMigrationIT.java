package vn.truc.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * V7 moves each record's timestamp batch and Merkle path out of message_log: a database written
 * before it keeps every record's batch and path, and a record not timestamped yet still has none.
 */
class LogStampsMigrationIT {
    @Test
    void aVersion6LogKeepsItsBatchesAndPaths(@TempDir Path dir) throws Exception {
        String url = ServerDatabases.defaultUrl(dir);
        Flyway.configure()
                .dataSource(url, ServerDatabases.DEFAULT_USER, ServerDatabases.DEFAULT_PASSWORD)
                .locations("classpath:db/" + ServerDatabases.SCHEMA)
                .target("6")
                .load()
                .migrate();
        try (Connection c = DriverManager.getConnection(url, ServerDatabases.DEFAULT_USER, "");
                Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO timestamp_batch (id, root_hash, first_id, last_id, record_count, token,"
                    + " tsa_name, timestamped_at) VALUES (1, 'ab', 1, 2, 2, X'00', 'TSA', CURRENT_TIMESTAMP)");
            for (int id = 1; id <= 3; id++) {
                String batch = id <= 2 ? "1" : "NULL";
                String path = id == 1 ? "'R:" + "1".repeat(64) + "'" : id == 2 ? "'L:" + "2".repeat(64) + "'" : "NULL";
                s.executeUpdate("INSERT INTO message_log (id, logged_at, message_id, direction, kind, client_id,"
                        + " body_digest, prev_hash, record_hash, batch_id, merkle_path) VALUES (" + id
                        + ", CURRENT_TIMESTAMP, 'm" + id + "', 'IN', 'REQUEST', 'VN/GOV/1/A', 'x', '" + "0".repeat(64)
                        + "', 'h', " + batch
                        + ", " + path + ")");
            }
        }

        try (ServerStore store = ServerStore.open(dir)) {
            List<MessageLog.Chained> chain = store.messageLog().chain(1, 3);

            assertThat(chain).extracting(MessageLog.Chained::batchId).containsExactly(1L, 1L, null);
            assertThat(chain)
                    .extracting(MessageLog.Chained::merklePath)
                    .containsExactly("R:" + "1".repeat(64), "L:" + "2".repeat(64), null);
            assertThat(store.database()
                            .queryOne("SELECT COUNT(*) FROM message_log_stamp", r -> r.getLong(1))
                            .orElseThrow())
                    .isEqualTo(2);
        }
    }
}
