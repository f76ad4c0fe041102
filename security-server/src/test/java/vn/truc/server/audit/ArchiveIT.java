package vn.truc.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.truc.core.audit.AuditReport;
import vn.truc.core.audit.AuditVerifier;

/**
 * Archiving: old, timestamped records leave the live log for signed archive files, and the chain
 * still verifies across the archives and a later export of what stayed.
 */
class ArchiveIT {
    @TempDir
    Path dir;

    @Test
    void oldBatchesMoveToSignedArchivesThatContinueTheChain() throws Exception {
        try (AuditFixture f = new AuditFixture(dir)) {
            f.standardLog(); // records 1..6 and 7..10 timestamped, 11..12 waiting
            Archiver archiver = new Archiver(
                    f.store.database(),
                    () -> f.conf,
                    f.signKey,
                    AuditFixture.SERVER,
                    Duration.ofDays(1),
                    dir.resolve("archive"),
                    f.sealed(),
                    Clock.systemUTC());

            Path first = archiver.archiveDue().orElseThrow();

            assertThat(first.getFileName().toString()).isEqualTo("log-000000000001-000000000010.p7m");
            assertThat(count(f, "message_log"))
                    .as("only the records waiting for a timestamp stay")
                    .isEqualTo(2);
            assertThat(count(f, "timestamp_batch")).isZero();
            assertThat(archiver.archiveDue()).as("nothing else is due").isEmpty();
            AuditReport archived = AuditVerifier.verify(Files.readAllBytes(first), f.trust());
            assertThat(archived.problems()).isEmpty();
            assertThat(archived.records()).isEqualTo(10);

            // the chain goes on in the live log: more traffic, timestamped, archived again
            f.append(3);
            f.timestamper.timestampBatch();
            Path second = archiver.archiveDue().orElseThrow();
            assertThat(second.getFileName().toString()).isEqualTo("log-000000000011-000000000015.p7m");
            f.append(2);
            byte[] live = f.export(null).der();

            byte[] a = Files.readAllBytes(first);
            byte[] b = Files.readAllBytes(second);
            assertThat(AuditVerifier.verify(b, f.trust()).problems()).isEmpty();
            assertThat(AuditVerifier.verify(live, f.trust()).problems()).isEmpty();
            assertThat(AuditVerifier.continuity(List.of("a", "b", "live"), List.of(a, b, live)))
                    .isEmpty();

            // a missing archive, and files out of order, are named
            assertThat(AuditVerifier.continuity(List.of("a", "live"), List.of(a, live)))
                    .singleElement()
                    .asString()
                    .contains("live begins at record 16, but a ends at record 10");
            assertThat(AuditVerifier.continuity(List.of("b", "a"), List.of(b, a)))
                    .singleElement()
                    .asString()
                    .contains("out of order");
        }
    }

    @Test
    void recentRecordsStay() throws Exception {
        try (AuditFixture f = new AuditFixture(dir)) {
            f.standardLog();
            // the fixture logs records in January 2025: with a clock then, none is a day old
            Clock january = Clock.fixed(Instant.parse("2025-01-01T06:00:00Z"), java.time.ZoneOffset.UTC);
            Archiver archiver = new Archiver(
                    f.store.database(),
                    () -> f.conf,
                    f.signKey,
                    AuditFixture.SERVER,
                    Duration.ofDays(1),
                    dir.resolve("archive"),
                    f.sealed(),
                    january);
            assertThat(archiver.archiveDue()).isEmpty();
            assertThat(count(f, "message_log")).isEqualTo(12);
        }
    }

    private static long count(AuditFixture f, String table) {
        return f.store
                .database()
                .queryOne("SELECT COUNT(*) FROM " + table, r -> r.getLong(1))
                .orElseThrow();
    }
}
