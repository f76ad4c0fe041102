package vn.truc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.truc.server.Dms.all;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import vn.truc.core.audit.MerkleTree;
import vn.truc.core.audit.Timestamps;
import vn.truc.core.testing.OpensslTsa;
import vn.truc.server.store.MessageLog;

/**
 * The message log's timestamps with an external TSA (real {@code openssl ts}) that goes down: traffic
 * goes on within the grace period, stops with {@code timestamp_failed} after it, and resumes once
 * the TSA is back, with the whole backlog timestamped.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TimestampingIT {
    private static final String G22 = "000.00.00.G22";
    private static final String H41 = "000.00.00.H41";
    private static final String TSA = "External TSA";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger NUMBER = new AtomicInteger(500);

    @TempDir
    static Path dir;

    private OpensslTsa tsa;
    private Federation federation;

    @BeforeAll
    void start() throws Exception {
        tsa = OpensslTsa.start(dir.resolve("tsa"));
        federation = new Federation(
                dir,
                "",
                "audit.timestamp-interval = 200ms\naudit.timestamp-grace = 3s\naudit.timestamp-timeout = 1s\n"
                        + "audit.tsa = " + TSA + "\ndocuments.retry.initial-delay = 100ms\n"
                        + "documents.retry.max-delay = 500ms\n",
                List.of(G22, H41));
        federation.admin.addTimestampingAuthority(TSA, tsa.url(), tsa.certificate());
        for (String code : List.of(G22, H41)) {
            await(code, h -> true, () -> federation.server(code).requireValidConf().timestampingAuthorities().stream()
                    .anyMatch(t -> t.name().equals(TSA)));
        }
    }

    @AfterAll
    void stop() {
        if (federation != null) {
            federation.close();
        }
        if (tsa != null) {
            tsa.close();
        }
    }

    @Test
    void trafficGoesOnWithinTheGraceStopsAfterItAndResumesWithTheBacklogTimestamped() throws Exception {
        Dms sender = new Dms(federation.server(G22), "VN/GOV/" + G22 + "/DMS");
        long first = sender.sendAccepted(document(), "application/xml");
        sender.awaitOutbox(first, all("delivered"), WAIT);
        JsonNode stamped = await(
                G22,
                h -> h.at("/audit/pendingRecords").asLong() == 0
                        && !"null".equals(h.at("/audit/lastTimestampAt").asText()),
                () -> true);
        assertThat(stamped.at("/audit/tsa").asText()).isEqualTo(TSA);

        tsa.stop();
        long withinGrace = sender.sendAccepted(document(), "application/xml");
        sender.awaitOutbox(withinGrace, all("delivered"), WAIT);
        JsonNode waiting = await(G22, h -> h.at("/audit/lastError").isTextual(), () -> true);
        assertThat(waiting.at("/audit/pendingRecords").asLong()).isPositive();

        await(G22, h -> !h.at("/audit/ok").asBoolean(), () -> true);
        Dms.Answer refused = sender.send(document(), "application/xml");
        assertThat(refused.status()).as("%s", refused.json()).isEqualTo(503);
        assertThat(refused.response().headers().firstValue("X-Road-Error").orElse(""))
                .endsWith(".timestamp_failed");
        assertThat(refused.json().get("message").asText()).contains("grace period");

        tsa.restart();
        await(
                G22,
                h -> h.at("/audit/ok").asBoolean()
                        && h.at("/audit/pendingRecords").asLong() == 0,
                () -> true);
        long after = sender.sendAccepted(document(), "application/xml");
        sender.awaitOutbox(after, all("delivered"), WAIT);
        await(G22, h -> true, () -> federation.server(G22).store().messageLog().awaitingTimestamp() == 0);

        // the recipient's DMS sees when the arrival of the last document was timestamped
        Dms recipient = new Dms(federation.server(H41), "VN/GOV/" + H41 + "/DMS");
        String lastId = sender.outbox(after).get("documentId").asText();
        long inboxId = -1;
        for (JsonNode e : recipient.inbox().get("documents")) {
            if (e.get("documentId").asText().equals(lastId)) {
                inboxId = e.get("id").asLong();
            }
        }
        long received = inboxId;
        await(
                H41,
                h -> recipient
                        .verification(received)
                        .at("/timestamp/status")
                        .asText()
                        .equals("timestamped"),
                () -> true);
        assertThat(recipient.verification(received).at("/timestamp/tsa").asText())
                .isEqualTo(TSA);

        // every record of the sender's log is in a batch whose token covers its Merkle root
        MessageLog log = federation.server(G22).store().messageLog();
        List<MessageLog.Chained> chain = log.chain(Instant.EPOCH, Instant.now().plusSeconds(60));
        assertThat(chain).isNotEmpty();
        for (MessageLog.Chained c : chain) {
            assertThat(c.batchId()).as("record %d timestamped", c.record().id()).isNotNull();
            MessageLog.Batch batch = log.batch(c.batchId()).orElseThrow();
            byte[] root =
                    MerkleTree.rootFromPath(HexFormat.of().parseHex(c.hash()), MerkleTree.pathFromText(c.merklePath()));
            assertThat(HexFormat.of().formatHex(root)).isEqualTo(batch.rootHash());
            Timestamps.verify(batch.token(), root, List.of(tsa.certificate()));
        }
    }

    private static byte[] document() {
        return Edxmls.document(
                G22 + ",2026/11/23," + NUMBER.incrementAndGet() + "/VPCP-TTĐT", G22, List.of(H41), 0, List.of());
    }

    /** The health page of {@code code}'s server once {@code until} holds for it and {@code also} is true. */
    private JsonNode await(String code, Predicate<JsonNode> until, java.util.function.BooleanSupplier also)
            throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode health = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> answer = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                    + federation.server(code).clientProxyPort() + "/health"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            health = JSON.readTree(answer.body());
            if (until.test(health) && also.getAsBoolean()) {
                return health;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("health of " + code + " after " + WAIT + ": " + health);
    }
}
