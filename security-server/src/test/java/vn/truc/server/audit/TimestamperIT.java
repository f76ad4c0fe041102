package vn.truc.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.TrucException;

/** Timestamping against a real openssl TSA, where two nodes share the database. */
class TimestamperIT {
    @TempDir
    Path dir;

    @Test
    void aRecordAnotherNodeStampedMeanwhileFailsTheBatchAndLeavesNothingHalfWritten() throws Exception {
        try (AuditFixture f = new AuditFixture(dir)) {
            List<Long> ids = f.standardLog(); // 1..10 timestamped in two batches, 11 and 12 waiting
            long waiting = ids.get(10);
            // another node's timestamp of record 11, committed while this node fetched its own
            f.store
                    .database()
                    .update(
                            "INSERT INTO message_log_stamp (record_id, batch_id, merkle_path) VALUES (?, 99, '')",
                            waiting);

            assertThatThrownBy(f.timestamper::timestampBatch)
                    .isInstanceOf(TrucException.class)
                    .hasMessageContaining("records were timestamped by another node meanwhile")
                    .satisfies(e -> assertThat(((TrucException) e).code()).isEqualTo(ErrorCode.DATABASE_ERROR));

            assertThat(count(f, "SELECT COUNT(*) FROM timestamp_batch")).isEqualTo(2);
            assertThat(count(f, "SELECT COUNT(*) FROM message_log_stamp WHERE batch_id <> 99"))
                    .isEqualTo(10);
        }
    }

    @Test
    void theRecordsAwaitingATimestampAreThoseAfterTheNewestBatch() throws Exception {
        try (AuditFixture f = new AuditFixture(dir)) {
            f.standardLog(); // 1..10 timestamped in two batches, 11 and 12 waiting
            assertThat(f.store.messageLog().awaitingTimestamp()).isEqualTo(2);

            f.timestamper.runOnce();

            assertThat(f.store.messageLog().awaitingTimestamp()).isZero();
            assertThat(f.timestamper.status().pending()).isZero();
            assertThat(count(f, "SELECT COUNT(*) FROM message_log_stamp")).isEqualTo(12);
        }
    }

    private static long count(AuditFixture f, String sql) {
        return f.store.database().queryOne(sql, r -> r.getLong(1)).orElseThrow();
    }
}
