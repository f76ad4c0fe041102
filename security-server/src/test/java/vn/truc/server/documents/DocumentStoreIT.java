package vn.truc.server.documents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static vn.truc.server.documents.DocumentTesting.DOC;
import static vn.truc.server.documents.DocumentTesting.G22_DMS;
import static vn.truc.server.documents.DocumentTesting.H29;
import static vn.truc.server.documents.DocumentTesting.H41;
import static vn.truc.server.documents.DocumentTesting.H41_DMS;
import static vn.truc.server.documents.DocumentTesting.SHA;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.truc.core.db.Database;
import vn.truc.core.edxml.EdxmlPackage.BusinessType;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.TrucException;
import vn.truc.core.id.ClientId;
import vn.truc.server.documents.Delivery.State;
import vn.truc.server.documents.DocumentRef.Direction;
import vn.truc.server.documents.InboxEntry.PickupState;

/** The document store on a real H2 file database ({@link PostgresDocumentStoreIT} runs the same on PostgreSQL). */
class DocumentStoreIT {
    private static final Instant T0 = Instant.parse("2024-05-01T08:00:00Z");
    private static final Instant FAR = T0.plus(Duration.ofDays(3650));

    @TempDir
    Path dir;

    private Database db;
    private DocumentStore store;

    @BeforeEach
    void open() throws Exception {
        db = openDatabase();
        store = new DocumentStore(db, Clock.fixed(T0, ZoneOffset.UTC));
    }

    /** The database the tests run on; a subclass runs them all on another one. */
    Database openDatabase() throws Exception {
        return DocumentTesting.openH2(dir);
    }

    @AfterEach
    void close() {
        if (db == null) {
            return; // the database was not available and the test was skipped
        }
        db.close();
    }

    @Test
    void acceptQueuesOneDeliveryPerRecipientDueNow() {
        OutboxEntry entry = send(DOC, BusinessType.NEW);

        assertThat(entry.duplicate()).isFalse();
        assertThat(entry.createdAt()).isEqualTo(T0);
        assertThat(entry.storedPath()).isEqualTo(dir.resolve("out/1.edxml"));
        assertThat(store.outboxEntry(entry.id())).contains(entry);
        assertThat(store.deliveries(entry.id()))
                .containsExactly(
                        new Delivery(entry.id(), H29, State.QUEUED, 0, T0, null, null),
                        new Delivery(entry.id(), H41, State.QUEUED, 0, T0, null, null));
    }

    @Test
    void repeatedAcceptIsRecognisedAndStoresNothing() {
        OutboxEntry first = send(DOC, BusinessType.NEW);
        OutboxEntry again = store.accept(
                G22_DMS, DOC, BusinessType.NEW, List.of(H41), dir.resolve("out/2.edxml"), "cd".repeat(32), 9);

        assertThat(again.duplicate()).isTrue();
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(again.storedPath()).isEqualTo(first.storedPath());
        assertThat(count("outbox_document")).isEqualTo(1);
        assertThat(count("outbox_delivery")).isEqualTo(2);
    }

    @Test
    void twoAcceptsOfTheSameDocumentAtOnceStoreItOnce() throws Exception {
        int threads = 8;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<OutboxEntry>> results = IntStream.range(0, threads)
                    .mapToObj(i -> pool.submit((Callable<OutboxEntry>) () -> {
                        start.await();
                        return store.accept(
                                G22_DMS, DOC, BusinessType.NEW, List.of(H41, H29), dir.resolve("out/" + i), SHA, 10);
                    }))
                    .toList();
            List<OutboxEntry> entries =
                    results.stream().map(DocumentStoreIT::get).toList();

            assertThat(entries)
                    .extracting(OutboxEntry::id)
                    .containsOnly(entries.get(0).id());
            assertThat(entries).filteredOn(e -> !e.duplicate()).hasSize(1);
            assertThat(count("outbox_document")).isEqualTo(1);
            assertThat(count("outbox_delivery")).isEqualTo(2);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void revokeOfTheSameDocumentIdIsANewEntry() {
        OutboxEntry sent = send(DOC, BusinessType.NEW);
        OutboxEntry revoke = send(DOC, BusinessType.REVOKE);
        OutboxEntry otherSender =
                store.accept(G22_DMS.memberId(), DOC, BusinessType.NEW, List.of(H41), dir.resolve("x"), SHA, 1);

        assertThat(revoke.duplicate()).isFalse();
        assertThat(revoke.id()).isNotEqualTo(sent.id());
        assertThat(revoke.businessType()).isEqualTo(BusinessType.REVOKE);
        assertThat(otherSender.duplicate()).isFalse();
        assertThat(store.deliveries(revoke.id())).hasSize(2);
    }

    @Test
    void refusesBadAccepts() {
        assertInvalid(() -> store.accept(G22_DMS, DOC, BusinessType.NEW, List.of(), dir, SHA, 1));
        assertInvalid(() -> store.accept(G22_DMS, DOC, BusinessType.NEW, List.of(H41, H41), dir, SHA, 1));
        assertInvalid(() -> store.accept(G22_DMS, " ", BusinessType.NEW, List.of(H41), dir, SHA, 1));
        assertInvalid(() -> store.accept(G22_DMS, DOC, BusinessType.NEW, List.of(H41), dir, "AB".repeat(32), 1));
        assertInvalid(() -> store.accept(G22_DMS, DOC, BusinessType.NEW, List.of(H41), dir, SHA, -1));
        assertThat(count("outbox_document")).isZero();
    }

    @Test
    void dueRetryAndBackOffBookkeeping() {
        OutboxEntry entry = send(DOC, BusinessType.NEW);
        OutboxEntry later = new DocumentStore(db, Clock.fixed(T0.plusSeconds(5), ZoneOffset.UTC))
                .accept(G22_DMS, "other", BusinessType.NEW, List.of(H41), dir.resolve("o"), SHA, 1);
        Instant lease = T0.plusSeconds(60);

        assertThat(store.due(T0.minusSeconds(1), 10)).isEmpty();
        assertThat(store.due(T0.plusSeconds(5), 10))
                .extracting(Delivery::outboxId, Delivery::recipient)
                .containsExactly(tuple(entry.id(), H29), tuple(entry.id(), H41), tuple(later.id(), H41));
        assertThat(store.due(T0.plusSeconds(5), 1)).hasSize(1);

        assertThat(store.markDelivering(entry.id(), H41, T0, lease)).isTrue();
        assertThat(store.markDelivering(entry.id(), H41, T0.plusSeconds(1), lease))
                .as("another worker holds the lease")
                .isFalse();
        assertThat(store.due(T0.plusSeconds(30), 10))
                .extracting(Delivery::outboxId, Delivery::recipient)
                .containsExactly(tuple(entry.id(), H29), tuple(later.id(), H41));
        assertThat(store.due(lease, 10)).as("the lease ran out").hasSize(3);

        Instant next = T0.plusSeconds(120);
        assertThat(store.markRetry(entry.id(), H41, "connection refused", next)).isTrue();
        assertThat(store.markRetry(entry.id(), H41, "x".repeat(5000), next.plusSeconds(240)))
                .isTrue();
        Delivery retried = delivery(entry.id(), H41);
        assertThat(retried.state()).isEqualTo(State.QUEUED);
        assertThat(retried.attempts()).isEqualTo(2);
        assertThat(retried.nextAttemptAt()).isEqualTo(next.plusSeconds(240));
        assertThat(retried.lastError()).hasSize(2000);
        assertThat(store.markDelivering(entry.id(), H41, next, next.plusSeconds(60)))
                .as("back-off not over")
                .isFalse();

        assertThat(store.markFailed(entry.id(), H29, "recipient unknown")).isTrue();
        assertThat(store.markFailed(entry.id(), H29, "again")).isFalse();
        assertThat(delivery(entry.id(), H29).lastError()).isEqualTo("recipient unknown");
        assertThat(store.due(FAR, 10)).extracting(Delivery::recipient).doesNotContain(H29);
        assertThatThrownBy(() -> store.markRetry(entry.id(), H29, "x", next))
                .satisfies(e -> assertCode(e, ErrorCode.INVALID_STATE));
        assertThatThrownBy(() -> store.markDelivering(entry.id(), H29, next, next))
                .satisfies(e -> assertCode(e, ErrorCode.INVALID_STATE));
    }

    @Test
    void deliveredNeverRegresses() {
        OutboxEntry entry = send(DOC, BusinessType.NEW);
        Instant at = T0.plusMillis(1234).plusNanos(5678);
        byte[] receipt = {1, 2, (byte) 0x80, (byte) 0xff};

        assertThat(store.markDelivering(entry.id(), H41, T0, T0.plusSeconds(60)))
                .isTrue();
        assertThat(store.markDelivered(entry.id(), H41, receipt, at)).isTrue();

        assertThat(store.markDelivered(entry.id(), H41, new byte[] {9}, at.plusSeconds(1)))
                .isFalse();
        assertThat(store.markRetry(entry.id(), H41, "late timeout", T0)).isFalse();
        assertThat(store.markFailed(entry.id(), H41, "late failure")).isFalse();
        assertThat(store.markDelivering(entry.id(), H41, FAR, T0)).isFalse();
        Delivery delivered = delivery(entry.id(), H41);
        assertThat(delivered.state()).isEqualTo(State.DELIVERED);
        assertThat(delivered.deliveredAt()).isEqualTo(at.truncatedTo(java.time.temporal.ChronoUnit.MICROS));
        assertThat(delivered.lastError()).isNull();
        assertThat(store.receipt(entry.id(), H41))
                .hasValueSatisfying(r -> assertThat(r).containsExactly(receipt));
        assertThat(store.receipt(entry.id(), H29)).isEmpty();
        assertThat(store.due(FAR, 10)).extracting(Delivery::recipient).containsExactly(H29);
    }

    @Test
    void unknownDeliveriesAreNotFound() {
        OutboxEntry entry = send(DOC, BusinessType.NEW);

        assertThatThrownBy(() -> store.deliveries(entry.id() + 1)).satisfies(e -> assertCode(e, ErrorCode.NOT_FOUND));
        assertThatThrownBy(() -> store.markFailed(entry.id(), G22_DMS, "x"))
                .satisfies(e -> assertCode(e, ErrorCode.NOT_FOUND));
        assertThatThrownBy(() -> store.acknowledge(42, true)).satisfies(e -> assertCode(e, ErrorCode.NOT_FOUND));
        assertThat(store.outboxEntry(entry.id() + 1)).isEmpty();
    }

    @Test
    void inboxRecognisesARepeatedDelivery() {
        InboxEntry first = receive(H41_DMS, DOC, BusinessType.NEW, "m-1");
        InboxEntry again = store.receive(
                G22_DMS.memberId().subsystem("EOFFICE"),
                H41_DMS,
                DOC,
                BusinessType.NEW,
                "m-2",
                dir.resolve("in/2"),
                SHA,
                10);
        InboxEntry revoke = receive(H41_DMS, DOC, BusinessType.REVOKE, "m-3");
        InboxEntry forOther =
                store.receive(G22_DMS, H41.subsystem("HR"), DOC, BusinessType.NEW, "m-4", dir.resolve("in/4"), SHA, 3);

        assertThat(first.duplicate()).isFalse();
        assertThat(first.sender()).isEqualTo(G22_DMS.memberId());
        assertThat(first.pickupState()).isEqualTo(PickupState.NEW);
        assertThat(first.receivedAt()).isEqualTo(T0);
        assertThat(again.duplicate()).isTrue();
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(again.messageId()).isEqualTo("m-1");
        assertThat(revoke.duplicate()).isFalse();
        assertThat(forOther.duplicate()).isFalse();
        assertThat(count("inbox_document")).isEqualTo(3);
        assertThat(store.inboxEntry(first.id())).contains(first);
    }

    @Test
    void newSincePagesByCursor() {
        List<InboxEntry> received = IntStream.range(0, 5)
                .mapToObj(i -> receive(H41_DMS, "doc-" + i, BusinessType.NEW, "m-" + i))
                .toList();
        receive(H41.subsystem("HR"), "doc-hr", BusinessType.NEW, "m-hr");

        List<InboxEntry> page1 = store.newSince(H41_DMS, 0, 2);
        List<InboxEntry> page2 = store.newSince(H41_DMS, page1.get(1).id(), 2);
        List<InboxEntry> page3 = store.newSince(H41_DMS, page2.get(1).id(), 2);

        assertThat(page1).containsExactlyElementsOf(received.subList(0, 2));
        assertThat(page2).containsExactlyElementsOf(received.subList(2, 4));
        assertThat(page3).containsExactly(received.get(4));
        assertThat(store.newSince(H41_DMS, received.get(4).id(), 2)).isEmpty();
        assertInvalid(() -> store.newSince(H41_DMS, 0, 0));
    }

    @Test
    void acknowledgeTakesADocumentOutOfTheNewOnes() {
        InboxEntry a = receive(H41_DMS, "a", BusinessType.NEW, "m-a");
        InboxEntry b = receive(H41_DMS, "b", BusinessType.NEW, "m-b");
        InboxEntry c = receive(H41_DMS, "c", BusinessType.NEW, "m-c");

        assertThat(store.acknowledge(a.id(), true)).isTrue();
        assertThat(store.acknowledge(a.id(), true)).as("repeated").isFalse();
        assertThat(store.acknowledge(b.id(), false)).isTrue();
        assertThat(store.acknowledge(b.id(), true)).as("done after it failed").isTrue();
        assertThatThrownBy(() -> store.acknowledge(a.id(), false))
                .satisfies(e -> assertCode(e, ErrorCode.INVALID_STATE));

        assertThat(store.newSince(H41_DMS, 0, 10)).containsExactly(c);
        InboxEntry done = store.inboxEntry(a.id()).orElseThrow();
        assertThat(done.pickupState()).isEqualTo(PickupState.DONE);
        assertThat(done.pickedUpAt()).isEqualTo(T0);
        assertThat(store.inboxEntry(b.id()).orElseThrow().pickupState()).isEqualTo(PickupState.DONE);
    }

    @Test
    void statusesComeInTheOrderOfTheirTimestamps() {
        DocumentRef sent = new DocumentRef(Direction.OUT, G22_DMS, DOC);
        DocumentStatus accepted =
                store.addStatus(sent, StatusCode.ACCEPTED, "Đã vào sổ", "Nguyễn Văn A", T0.plusSeconds(60), H41);
        DocumentStatus arrived = store.addStatus(sent, StatusCode.ARRIVED, null, null, T0, H41);
        DocumentStatus done = store.addStatus(sent, StatusCode.DONE, null, null, T0.plusSeconds(60), H41);
        store.addStatus(
                new DocumentRef(Direction.IN, G22_DMS, DOC), StatusCode.RECALL_REQUESTED, "x", null, T0, G22_DMS);

        assertThat(store.statuses(sent)).containsExactly(arrived, accepted, done);
        assertThat(accepted.code().code()).isEqualTo("03");
        assertThat(accepted.recordedAt()).isEqualTo(T0);
        assertThat(store.statuses(new DocumentRef(Direction.OUT, G22_DMS, "other")))
                .isEmpty();
        assertThat(StatusCode.of("16")).isEqualTo(StatusCode.CHANGE_REFUSED);
        assertInvalid(() -> StatusCode.of("07"));
    }

    @Test
    void serverStoreOffersTheDocumentStore() {
        try (var server = new vn.truc.server.store.ServerStore(DocumentTesting.openH2(dir.resolve("other")))) {
            OutboxEntry entry =
                    server.documents().accept(G22_DMS, DOC, BusinessType.NEW, List.of(H41), dir.resolve("f"), SHA, 1);
            assertThat(server.documents().outboxEntry(entry.id())).contains(entry);
        }
    }

    private OutboxEntry send(String documentId, BusinessType type) {
        return store.accept(G22_DMS, documentId, type, List.of(H41, H29), dir.resolve("out/1.edxml"), SHA, 1234);
    }

    private InboxEntry receive(ClientId recipient, String documentId, BusinessType type, String messageId) {
        return store.receive(G22_DMS, recipient, documentId, type, messageId, dir.resolve("in/" + messageId), SHA, 10);
    }

    private Delivery delivery(long outboxId, ClientId recipient) {
        return store.deliveries(outboxId).stream()
                .filter(d -> d.recipient().equals(recipient))
                .findFirst()
                .orElseThrow();
    }

    private long count(String table) {
        return db.queryOne("SELECT COUNT(*) FROM " + table, row -> row.getLong(1))
                .orElseThrow();
    }

    private static OutboxEntry get(Future<OutboxEntry> future) {
        try {
            return future.get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void assertInvalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).satisfies(e -> assertCode(e, ErrorCode.INVALID_REQUEST));
    }

    private static void assertCode(Throwable e, ErrorCode code) {
        assertThat(e).isInstanceOfSatisfying(TrucException.class, t -> assertThat(t.code())
                .isEqualTo(code));
    }
}
