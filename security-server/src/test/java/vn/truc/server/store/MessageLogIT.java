package vn.truc.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.truc.core.crypto.Digests;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;
import vn.truc.core.id.ClientId;
import vn.truc.core.id.SecurityServerId;
import vn.truc.core.id.ServiceId;

/** The message log on a real H2 file database. */
class MessageLogIT {
    @TempDir
    Path dir;

    private ServerStore store;
    private MessageLog log;

    @BeforeEach
    void open() {
        store = StoreTesting.open(dir);
        log = store.messageLog();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void appendsAndReadsBackTheRecordsOfAMessage() {
        LogRecord request = record("m-1", LogRecord.Kind.REQUEST, new byte[] {1, 2, 3, (byte) 0xff});
        LogRecord response = record("m-1", LogRecord.Kind.RESPONSE, null);

        long first = log.append(request);
        long other = log.append(record("m-2", LogRecord.Kind.REQUEST, new byte[] {9}));
        long second = log.append(response);

        assertThat(first).isLessThan(other).isLessThan(second);
        assertThat(log.records("m-1")).containsExactly(request.withId(first), response.withId(second));
        assertThat(log.records("m-1").get(0).signature()).containsExactly(1, 2, 3, 0xff);
        assertThat(log.records("unknown")).isEmpty();
    }

    @Test
    void recordsFormAHashChainThatRecomputesFromWhatIsStored() throws Exception {
        long first = 0;
        for (int i = 0; i < 5; i++) {
            long id = log.append(record("chain-" + i, LogRecord.Kind.REQUEST, new byte[] {(byte) i}));
            first = first == 0 ? id : first;
        }
        var chain = log.chain(AT.minusSeconds(1), AT.plusSeconds(1));
        assertThat(log.chain(first, first + 4).stream().map(MessageLog.Chained::hash))
                .containsExactlyElementsOf(
                        chain.stream().map(MessageLog.Chained::hash).toList());

        assertThat(chain).hasSize(5);
        String previous = chain.get(0).record().prevHash();
        for (MessageLog.Chained c : chain) {
            assertThat(c.record().prevHash()).isEqualTo(previous);
            assertThat(c.record().hash()).isEqualTo(c.hash());
            assertThat(vn.truc.core.audit.AuditRecord.fromBytes(c.record().toBytes()))
                    .usingRecursiveComparison()
                    .isEqualTo(c.record());
            assertThat(c.batchId()).isNull();
            previous = c.hash();
        }
        // an edit made behind the log's back no longer matches the stored hash
        long edited = chain.get(2).record().id();
        store.database().update("UPDATE message_log SET body_digest = ? WHERE id = ?", "edited", edited);
        var after = log.chain(edited, edited).get(0);
        assertThat(after.record().hash()).isNotEqualTo(after.hash());
    }

    @Test
    void concurrentAppendsStayOneChain() throws Exception {
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            var futures = new java.util.ArrayList<java.util.concurrent.Future<Long>>();
            for (int i = 0; i < 200; i++) {
                String id = "c-" + i;
                futures.add(pool.submit(() -> log.append(record(id, LogRecord.Kind.REQUEST, null))));
            }
            for (var f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertChainContiguous(log.chain(AT.minusSeconds(1), AT.plusSeconds(1)), 200);
    }

    @Test
    void recordsThatQueueBehindAWriterGoInOneTransaction() throws Exception {
        MessageLog.AppendCounts before = log.appendCounts();
        var results = appendWhileTheWriterIsHeld(java.util.stream.IntStream.range(0, 20)
                .mapToObj(i -> record("g-" + i, LogRecord.Kind.REQUEST, null))
                .toList());

        assertThat(results).allSatisfy(r -> assertThat(r).isInstanceOf(Long.class));
        MessageLog.AppendCounts after = log.appendCounts();
        assertThat(after.transactions() - before.transactions()).isEqualTo(1);
        assertThat(after.records() - before.records()).isEqualTo(20);
        assertChainContiguous(log.chain(AT.minusSeconds(1), AT.plusSeconds(1)), 20);
    }

    @Test
    void aRecordTheTableRefusesFailsAloneInItsBatch() throws Exception {
        var records = new java.util.ArrayList<LogRecord>();
        for (int i = 0; i < 5; i++) {
            records.add(record("b-" + i, LogRecord.Kind.REQUEST, null));
        }
        records.add(2, tooBig("b-big"));

        var results = appendWhileTheWriterIsHeld(records);

        assertThat(results.get(2)).isInstanceOfSatisfying(TrucException.class, e -> assertThat(e.code())
                .isEqualTo(ErrorCode.DATABASE_ERROR));
        assertThat(results).filteredOn(r -> r instanceof Long).hasSize(5);
        assertThat(log.records("b-big")).isEmpty();
        assertChainContiguous(log.chain(AT.minusSeconds(1), AT.plusSeconds(1)), 5);
    }

    /**
     * Appends each record from a thread of its own while the test holds the writer, so that all
     * of them queue, then lets them go; each result is the id or the exception.
     */
    private java.util.List<Object> appendWhileTheWriterIsHeld(java.util.List<LogRecord> records) throws Exception {
        var pool = java.util.concurrent.Executors.newFixedThreadPool(records.size());
        try {
            var futures = new java.util.ArrayList<java.util.concurrent.Future<Object>>();
            log.writer.lock();
            try {
                for (LogRecord r : records) {
                    futures.add(pool.submit(() -> {
                        try {
                            return (Object) log.append(r);
                        } catch (TrucException e) {
                            return e;
                        }
                    }));
                }
                while (log.waiting.size() < records.size()) {
                    Thread.sleep(5);
                }
            } finally {
                log.writer.unlock();
            }
            var results = new java.util.ArrayList<Object>();
            for (var f : futures) {
                results.add(f.get());
            }
            return results;
        } finally {
            pool.shutdown();
        }
    }

    private static void assertChainContiguous(java.util.List<MessageLog.Chained> chain, int size) {
        assertThat(chain).hasSize(size);
        for (int i = 1; i < chain.size(); i++) {
            assertThat(chain.get(i).record().id())
                    .isEqualTo(chain.get(i - 1).record().id() + 1);
            assertThat(chain.get(i).record().prevHash())
                    .isEqualTo(chain.get(i - 1).hash());
        }
    }

    @Test
    void keepsOptionalFieldsEmpty() {
        LogRecord bare = new LogRecord(
                0,
                Instant.now(),
                "m-3",
                LogRecord.Direction.IN,
                LogRecord.Kind.REQUEST,
                ClientId.parse("VN/GOV/000.00.00.G22/DMS"),
                null,
                digest("body"),
                null,
                null,
                null,
                null);

        long id = log.append(bare);

        assertThat(log.records("m-3")).containsExactly(bare.withId(id));
    }

    @Test
    void appendCommitsEvenInsideAnotherTransaction() {
        long id = store.database().inTransaction(() -> log.append(record("m-4", LogRecord.Kind.REQUEST, null)));

        assertThat(log.records("m-4")).extracting(LogRecord::id).containsExactly(id);
    }

    @Test
    void refusesToLogOnceTheDatabaseIsClosed() {
        store.close();

        assertThatThrownBy(() -> log.append(record("m-5", LogRecord.Kind.REQUEST, null)))
                .isInstanceOfSatisfying(TrucException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_ERROR);
                    assertThat(e.origin()).isEqualTo(Origin.SERVER);
                })
                .hasMessageStartingWith("message could not be logged: ");
        store = StoreTesting.open(dir);
        assertThat(store.messageLog().records("m-5")).isEmpty();
    }

    @Test
    void refusesARecordTheTableCannotHold() {
        LogRecord tooBig = tooBig("m-6");

        assertThatThrownBy(() -> log.append(tooBig))
                .isInstanceOfSatisfying(
                        TrucException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_ERROR))
                .hasMessageStartingWith("message could not be logged: ");
        assertThat(log.records("m-6")).isEmpty();
    }

    @Test
    void recordsCompareByContent() {
        LogRecord a = record("m-7", LogRecord.Kind.REQUEST, new byte[] {1});
        LogRecord b = record("m-7", LogRecord.Kind.REQUEST, new byte[] {1});

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(record("m-7", LogRecord.Kind.REQUEST, new byte[] {2}));
        assertThat(a.toString()).contains("signature=1 bytes");
    }

    private static final Instant AT = Instant.parse("2025-03-01T08:15:30.123456789Z");

    private static LogRecord record(String messageId, LogRecord.Kind kind, byte[] signature) {
        return new LogRecord(
                0,
                AT,
                messageId,
                LogRecord.Direction.OUT,
                kind,
                ClientId.parse("VN/GOV/000.00.00.G22/DMS"),
                ServiceId.parse("VN/GOV/000.00.00.H41/DMS/getDocument/v1"),
                digest(messageId + kind),
                "{\"messageId\":\"" + messageId + "\"}",
                signature,
                Digests.sha256Hex(new byte[] {42}),
                SecurityServerId.parse("VN/GOV/000.00.00.H41/ss1"));
    }

    /** A record whose manifest is longer than its column. */
    private static LogRecord tooBig(String messageId) {
        return new LogRecord(
                0,
                Instant.now(),
                messageId,
                LogRecord.Direction.OUT,
                LogRecord.Kind.REQUEST,
                ClientId.parse("VN/GOV/000.00.00.G22/DMS"),
                null,
                digest("body"),
                "x".repeat(8001),
                null,
                null,
                null);
    }

    private static String digest(String body) {
        return Base64.getEncoder().encodeToString(Digests.sha256(body.getBytes(StandardCharsets.UTF_8)));
    }
}
