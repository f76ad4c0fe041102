package vn.truc.server;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static vn.truc.server.Dms.all;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import vn.truc.core.crypto.Certificates;
import vn.truc.core.document.DeliveryReceipt;
import vn.truc.core.document.Receipts;
import vn.truc.core.id.ClientId;
import vn.truc.core.testing.Processes;

/**
 * Agencies' security servers exchanging official documents on loopback, each DMS calling its own
 * server's document API: one document to two agencies, statuses flowing back, revoke and replace,
 * a recipient that is down and comes back, repeated sends, refusals, and the real edXML samples.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DocumentExchangeIT {
    private static final String G22 = "000.00.00.G22";
    private static final String H41 = "000.00.00.H41";
    private static final String H14 = "000.00.00.H14";
    private static final String G17 = "000.00.00.G17";
    private static final String H53 = "000.00.11.H53";
    private static final String A53 = "000.00.01.A53";
    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final DateTimeFormatter EDXML_TIME =
            DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss").withZone(ZoneId.of("Asia/Ho_Chi_Minh"));
    private static final AtomicInteger NUMBER = new AtomicInteger(100);

    @TempDir
    static Path dir;

    private Federation federation;
    /** Stands in for the DMS's own web service that the webhook notices go to. */
    private WireMockServer dmsWebhook;

    @BeforeAll
    void start() throws Exception {
        dmsWebhook = new WireMockServer(
                WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        dmsWebhook.start();
        dmsWebhook.stubFor(post(urlEqualTo("/notices")).willReturn(aResponse().withStatus(204)));
        federation = new Federation(
                dir,
                "",
                "documents.retry.initial-delay = 100ms\ndocuments.retry.max-delay = 1s\ntimeouts.connect = 1s\n"
                        + "documents.webhook-url = http://127.0.0.1:" + dmsWebhook.port() + "/notices\n",
                List.of(G22, H41, H14, G17, H53, A53));
    }

    @AfterAll
    void stop() {
        if (federation != null) {
            federation.close();
        }
        if (dmsWebhook != null) {
            dmsWebhook.stop();
        }
    }

    @Test
    void oneDocumentReachesTwoAgenciesOnceWithSignedReceipts() throws Exception {
        String id = newDocumentId();
        byte[] document = Edxmls.document(id, G22, List.of(H41, H14), 0, List.of());

        long out = dms(G22).sendAccepted(document, "application/xml");
        JsonNode entry = dms(G22).awaitOutbox(out, all("delivered"), WAIT);

        assertThat(entry.get("deliveries")).hasSize(2);
        for (JsonNode delivery : entry.get("deliveries")) {
            ClientId recipient = ClientId.parse(delivery.get("recipient").asText());
            byte[] receiptBytes =
                    Base64.getDecoder().decode(delivery.at("/receipt/receipt").asText());
            byte[] signature =
                    Base64.getDecoder().decode(delivery.at("/receipt/signature").asText());
            DeliveryReceipt receipt = DeliveryReceipt.fromBytes(receiptBytes);
            assertThat(receipt.documentId()).isEqualTo(id);
            assertThat(receipt.recipient()).isEqualTo(recipient);
            assertThat(receipt.plaintextDigest()).isEqualTo(sha256(document));
            var signer = Receipts.verify(signature, receiptBytes).signer();
            assertThat(Certificates.subjectSerialNumber(signer))
                    .contains(recipient.memberId().toString());
        }
        for (String code : List.of(H41, H14)) {
            JsonNode received = awaitReceived(code, id, "document");
            Dms.Answer fetched = dms(code).fetch(received.get("id").asLong());
            assertThat(fetched.bytes()).isEqualTo(document);
            assertThat(fetched.response().headers().firstValue("Content-Type")).contains("application/xml");
            JsonNode report = dms(code).verification(received.get("id").asLong());
            assertThat(report.at("/signer/member").asText()).isEqualTo("VN/GOV/" + G22);
            assertThat(report.get("storedSha256Matches").asBoolean()).isTrue();
            // this federation timestamps its logs once a minute: the arrival is logged, not yet stamped
            assertThat(report.at("/timestamp/status").asText()).isEqualTo("pending");
            assertThat(report.at("/timestamp/recordId").asLong()).isPositive();
            // the recipient's DMS was told, by its webhook, where to fetch it
            String location =
                    "\"location\":\"/documents/v1/inbox/" + received.get("id").asLong() + "\"";
            String recipient = "\"recipient\":\"VN/GOV/" + code + "/DMS\"";
            java.util.function.Predicate<String> isNotice = body ->
                    body.contains("\"event\":\"received\"") && body.contains(location) && body.contains(recipient);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (dmsWebhook.findAll(postRequestedFor(urlEqualTo("/notices"))).stream()
                            .noneMatch(n -> isNotice.test(n.getBodyAsString()))
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(dmsWebhook.findAll(postRequestedFor(urlEqualTo("/notices"))))
                    .as("webhook notice of %s at %s", location, code)
                    .anyMatch(n -> isNotice.test(n.getBodyAsString()));
            assertThat(dms(code)
                            .ack(received.get("id").asLong(), "done")
                            .get("changed")
                            .asBoolean())
                    .isTrue();
            assertThat(inboxIds(code, id)).isEmpty();
        }
        String messageId = messageIdOf(H41, id);
        assertThat(kinds(G22, messageId)).contains("OUT DOCUMENT", "IN RECEIPT");
        assertThat(kinds(H41, messageId)).contains("IN DOCUMENT", "OUT RECEIPT");
    }

    @Test
    void statusesFlowBackToTheSenderInOrder() throws Exception {
        String id = newDocumentId();
        long out = dms(G22).sendAccepted(Edxmls.document(id, G22, List.of(H41), 0, List.of()), "application/xml");
        dms(G22).awaitOutbox(out, all("delivered"), WAIT);
        long inboxId = awaitReceived(H41, id, "document").get("id").asLong();
        Instant now = Instant.now();

        // 03 is stamped by the server when it is given; the others carry their own times around it
        dms(H41).sendAccepted(
                        Edxmls.status(id, G22, H41, "01", EDXML_TIME.format(now.minusSeconds(10))), "application/xml");
        Dms.Answer accepted = dms(H41).status(inboxId, "03");
        assertThat(accepted.status()).as("%s", accepted.json()).isEqualTo(202);
        dms(H41).sendAccepted(
                        Edxmls.status(id, G22, H41, "05", EDXML_TIME.format(now.plusSeconds(5))), "application/xml");
        dms(H41).sendAccepted(
                        Edxmls.status(id, G22, H41, "06", EDXML_TIME.format(now.plusSeconds(10))), "application/xml");

        JsonNode entry = dms(G22).awaitOutbox(out, e -> e.get("statuses").size() == 4, WAIT);
        assertThat(entry.get("statuses").findValuesAsText("statusCode")).containsExactly("01", "03", "05", "06");
        assertThat(entry.get("statuses").get(0).get("from").asText()).isEqualTo("VN/GOV/" + H41 + "/DMS");
        // the status packages themselves reach the sender's inbox too
        assertThat(awaitInboxEntries(G22, id, "status", 4)).hasSize(4);
    }

    @Test
    void revokeAndReplaceReachEveryoneTheOriginalReached() throws Exception {
        String original = newDocumentId();
        long first = dms(G22).sendAccepted(
                        Edxmls.document(original, G22, List.of(H41, H14), 0, List.of()), "application/xml");
        dms(G22).awaitOutbox(first, all("delivered"), WAIT);

        long revoke =
                dms(G22).sendAccepted(Edxmls.document(original, G22, List.of(H41), 1, List.of()), "application/xml");
        JsonNode revoked = dms(G22).awaitOutbox(revoke, all("delivered"), WAIT);
        assertThat(revoked.get("businessType").asText()).isEqualTo("revoke");
        assertThat(recipients(revoked)).containsExactlyInAnyOrder("VN/GOV/" + H41 + "/DMS", "VN/GOV/" + H14 + "/DMS");
        assertThat(awaitInboxEntries(H14, original, "document", 2).findValuesAsText("businessType"))
                .containsExactlyInAnyOrder("new", "revoke");

        String replacement = newDocumentId();
        long replace = dms(G22).sendAccepted(
                        Edxmls.document(replacement, G22, List.of(H41), 3, List.of(original)), "application/xml");
        JsonNode replaced = dms(G22).awaitOutbox(replace, all("delivered"), WAIT);
        assertThat(recipients(replaced)).containsExactlyInAnyOrder("VN/GOV/" + H41 + "/DMS", "VN/GOV/" + H14 + "/DMS");
    }

    @Test
    void aRepeatedSendIsRecognisedAndDeliveredOnce() throws Exception {
        String id = newDocumentId();
        byte[] document = Edxmls.document(id, G22, List.of(H41), 0, List.of());

        Dms.Answer first = dms(G22).send(document, "application/xml");
        Dms.Answer again = dms(G22).send(document, "application/xml");

        assertThat(again.status()).isEqualTo(202);
        assertThat(again.json().get("duplicate").asBoolean()).isTrue();
        assertThat(again.json().get("id").asLong())
                .isEqualTo(first.json().get("id").asLong());
        dms(G22).awaitOutbox(first.json().get("id").asLong(), all("delivered"), WAIT);
        assertThat(awaitInboxEntries(H41, id, "document", 1)).hasSize(1);
    }

    @Test
    void aRecipientThatIsDownGetsItsDocumentsOnceBackAndHoldsUpNoOne() throws Exception {
        federation.server(G17).close();
        try {
            String id = newDocumentId();
            long out =
                    dms(G22).sendAccepted(Edxmls.document(id, G22, List.of(H41, G17), 0, List.of()), "application/xml");
            JsonNode waiting =
                    dms(G22).awaitOutbox(out, e -> state(e, H41).equals("delivered") && attempts(e, G17) >= 2, WAIT);
            assertThat(state(waiting, G17)).isIn("queued", "delivering");
            assertThat(delivery(waiting, G17).get("lastError").asText()).contains("network_error");

            String other = newDocumentId();
            long second =
                    dms(G22).sendAccepted(Edxmls.document(other, G22, List.of(H41), 0, List.of()), "application/xml");
            dms(G22).awaitOutbox(second, all("delivered"), WAIT);
            // a package file whose row a stop kept from being committed: never acknowledged, swept at start
            Path inbox = Files.createDirectories(federation.serverDir(G17).resolve("documents/inbox"));
            Files.writeString(inbox.resolve("left-by-a-crash"), "never committed");
        } finally {
            federation.servers.put(
                    G17, SecurityServer.start(ServerConfig.load(federation.serverDir(G17)), Federation.PIN));
        }
        assertThat(federation.server(G17).awaitReady(WAIT)).isTrue();
        assertThat(federation.serverDir(G17).resolve("documents/inbox/left-by-a-crash"))
                .doesNotExist();
        List<Long> pending = new ArrayList<>();
        for (JsonNode e :
                dms(G22).call("GET", "outbox?limit=1000", null, null).json().get("documents")) {
            if (recipients(e).contains("VN/GOV/" + G17 + "/DMS")) {
                pending.add(e.get("id").asLong());
            }
        }
        assertThat(pending).isNotEmpty();
        for (long out : pending) {
            dms(G22).awaitOutbox(out, all("delivered"), WAIT);
        }
    }

    @Test
    void badInputIsRefusedWithAClearErrorAndNothingIsStored() throws Exception {
        long before = outboxCount(G22);
        int filesBefore = outboxFiles(G22);
        String id = newDocumentId();

        assertRefused(
                dms(G22).send("<edXML><unclosed>".getBytes(StandardCharsets.UTF_8), "application/xml"),
                400,
                "invalid_xml");
        assertRefused(
                dms(G22).send(
                                ("<?xml version=\"1.0\"?><!DOCTYPE edXML [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                                                + "<edXML>&x;</edXML>")
                                        .getBytes(StandardCharsets.UTF_8),
                                "application/xml"),
                400,
                "hostile_xml");
        assertRefused(
                dms(G22).send(Edxmls.document(id, G22, List.of("000.00.00.Z99"), 0, List.of()), "application/xml"),
                404,
                "unknown_member");
        assertRefused(
                dms(G22).send(Edxmls.document(id, H41, List.of(H14), 0, List.of()), "application/xml"),
                403,
                "access_denied");
        assertRefused(
                dms(G22).send(
                                ("{\"documentId\":\"" + id + "\",\"recipients\":[\"VN/GOV/" + H41 + "/OTHER\"]}")
                                        .getBytes(StandardCharsets.UTF_8),
                                "application/json"),
                404,
                "unknown_member");
        byte[] file = "nội dung".getBytes(StandardCharsets.UTF_8);
        String metadata = "{\"documentId\":\"" + id + "\",\"recipients\":[\"" + H41 + "\"],\"files\":["
                + "{\"name\":\"a.pdf\",\"sha256\":\"" + sha256(file) + "\"},"
                + "{\"name\":\"b.pdf\",\"sha256\":\"" + sha256(file) + "\"}]}";
        Dms.Answer missing = dms(G22).send(multipart(metadata, List.of("a.pdf"), List.of(file)), FORM);
        assertRefused(missing, 400, "invalid_request");
        assertThat(missing.json().get("message").asText()).contains("b.pdf").contains("missing");
        Dms.Answer wrongHash =
                dms(G22).send(multipart(metadata, List.of("a.pdf", "b.pdf"), List.of(file, "khác".getBytes())), FORM);
        assertRefused(wrongHash, 400, "invalid_request");
        assertThat(wrongHash.json().get("message").asText()).contains("b.pdf").contains("SHA-256");
        assertRefused(dms(G22).send("x".getBytes(), "text/plain"), 400, "invalid_request");

        assertThat(outboxCount(G22)).isEqualTo(before);
        assertThat(outboxFiles(G22)).isEqualTo(filesBefore);
    }

    @Test
    void anAgencyThatTakesNoDocumentsIsRefusedAtOnce() throws Exception {
        ClientId a53 = ClientId.member("VN", "GOV", A53);
        federation.admin.clearDocumentSubsystem(a53);
        try {
            awaitConf(c -> c.member(a53).orElseThrow().documentSubsystem() == null);
            Dms.Answer refused = dms(H53).send(
                            Edxmls.document(H53 + ",2026/11/23,1/STC-BCTC", H53, List.of(A53), 0, List.of()),
                            "application/xml");
            assertRefused(refused, 422, "documents_not_accepted");
            assertThat(refused.json().get("message").asText()).contains(A53).contains("does not accept documents");
        } finally {
            federation.admin.setDocumentSubsystem(a53.subsystem("DMS"));
            awaitConf(c -> "DMS".equals(c.member(a53).orElseThrow().documentSubsystem()));
        }
    }

    @Test
    void aDeliveryThatCanNeverSucceedFailsWithWhy() throws Exception {
        ClientId a53 = ClientId.member("VN", "GOV", A53);
        federation.server(A53).close();
        try {
            long out = dms(H53).sendAccepted(
                            Edxmls.document(H53 + ",2026/11/23,2/STC-BCTC", H53, List.of(A53), 0, List.of()),
                            "application/xml");
            // while the recipient is down its agency leaves document exchange
            federation.admin.clearDocumentSubsystem(a53);
            awaitConf(c -> c.member(a53).orElseThrow().documentSubsystem() == null);
            JsonNode failed = dms(H53).awaitOutbox(out, all("failed"), WAIT);
            assertThat(delivery(failed, A53).get("lastError").asText())
                    .contains("documents_not_accepted")
                    .contains("does not accept documents");
        } finally {
            federation.admin.setDocumentSubsystem(a53.subsystem("DMS"));
            federation.servers.put(
                    A53, SecurityServer.start(ServerConfig.load(federation.serverDir(A53)), Federation.PIN));
            assertThat(federation.server(A53).awaitReady(WAIT)).isTrue();
            awaitConf(c -> "DMS".equals(c.member(a53).orElseThrow().documentSubsystem()));
        }
    }

    private void awaitConf(java.util.function.Predicate<vn.truc.core.globalconf.GlobalConf> until)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!until.test(federation.server(H53).requireValidConf())) {
            assertThat(System.nanoTime())
                    .as("global configuration change reached the sender")
                    .isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    @Test
    void metadataAndFilesSentWithCurlArriveByteIdentical() throws Exception {
        String id = newDocumentId();
        byte[] big = new byte[3 << 20];
        new Random(7).nextBytes(big);
        Path pdf = Files.write(dir.resolve("quyet-dinh.pdf"), big);
        Path annex = Files.writeString(dir.resolve("phu-luc.txt"), "Phụ lục kèm theo");
        String metadata = "{\"documentId\":\"" + id + "\",\"recipients\":[\"" + H41 + "\"],\"subject\":\"Quyết định\","
                + "\"files\":[{\"name\":\"quyet-dinh.pdf\",\"sha256\":\"" + sha256(big) + "\"},"
                + "{\"name\":\"phu-luc.txt\",\"sha256\":\"" + sha256(Files.readAllBytes(annex)) + "\"}]}";
        Path trace = dir.resolve("curl-trace.bin");
        var curl = Processes.run(List.of(
                "curl",
                "-sS",
                "--trace",
                trace.toString(),
                "-H",
                "X-Road-Client: VN/GOV/" + G22 + "/DMS",
                "-F",
                "metadata=" + metadata + ";type=application/json",
                "-F",
                "file=@" + pdf + ";type=application/pdf",
                "-F",
                "file=@" + annex,
                "http://127.0.0.1:" + federation.server(G22).clientProxyPort() + "/documents/v1/outbox"));
        assertThat(curl.exitCode()).as(curl.output()).isZero();
        assertThat(curl.output()).contains("\"duplicate\":false");
        long out = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(curl.output())
                .get("id")
                .asLong();

        dms(G22).awaitOutbox(out, all("delivered"), WAIT);
        JsonNode received = awaitReceived(H41, id, "document");
        Dms.Answer fetched = dms(H41).fetch(received.get("id").asLong());
        assertThat(fetched.response().headers().firstValue("Content-Type").orElse(""))
                .startsWith("multipart/form-data; boundary=");
        assertThat(received.get("sha256").asText())
                .isEqualTo(dms(G22).outbox(out).get("sha256").asText());
        assertThat(indexOf(fetched.bytes(), big)).isPositive();
    }

    @Test
    void everySharedSampleTravelsEndToEndByteIdentical() throws Exception {
        Path samples = Edxmls.samples();
        byte[] fresh = Files.readAllBytes(samples.resolve("edoc_new.edxml"));
        long out = dms(H53).sendAccepted(fresh, "application/xml");
        dms(H53).awaitOutbox(out, all("delivered"), WAIT);
        JsonNode received = awaitReceived(A53, "000.00.11.H53,2020/10/30,2491/STC-BCTC", "document");
        assertThat(dms(A53).fetch(received.get("id").asLong()).bytes()).isEqualTo(fresh);

        byte[] update = Files.readAllBytes(samples.resolve("edoc_update.edxml"));
        String updated = "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT";
        long updateOut = dms(G22).sendAccepted(update, "application/xml");
        dms(G22).awaitOutbox(updateOut, all("delivered"), WAIT);
        for (String code : List.of(H41, H14, G17)) {
            JsonNode entry = awaitReceived(code, updated, "document");
            assertThat(entry.get("businessType").asText()).isEqualTo("update");
            assertThat(dms(code).fetch(entry.get("id").asLong()).bytes()).isEqualTo(update);
        }

        List<byte[]> statuses = new ArrayList<>();
        for (String name : List.of("status_inbox_01.edxml", "status_processing_05.edxml", "status_finish_06.edxml")) {
            byte[] status = Files.readAllBytes(samples.resolve(name));
            statuses.add(status);
            dms(H41).sendAccepted(status, "application/xml");
        }
        JsonNode arrived = awaitInboxEntries(G22, updated, "status", 3);
        List<byte[]> fetched = new ArrayList<>();
        for (JsonNode e : arrived) {
            fetched.add(dms(G22).fetch(e.get("id").asLong()).bytes());
        }
        assertThat(fetched)
                .usingElementComparator(java.util.Arrays::compare)
                .containsExactlyInAnyOrderElementsOf(statuses);
        JsonNode history =
                dms(G22).awaitOutbox(updateOut, e -> e.get("statuses").size() == 3, WAIT);
        // the three samples carry the same timestamp, so their order in the history is not theirs to say
        assertThat(history.get("statuses").findValuesAsText("statusCode")).containsExactlyInAnyOrder("01", "05", "06");
    }

    // ---- helpers ----

    private static final String FORM = "multipart/form-data; boundary=truc-test-boundary";

    private static byte[] multipart(String metadata, List<String> names, List<byte[]> contents) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String boundary = "--truc-test-boundary\r\n";
        out.writeBytes((boundary + "Content-Disposition: form-data; name=\"metadata\"\r\n"
                        + "Content-Type: application/json\r\n\r\n" + metadata + "\r\n")
                .getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < names.size(); i++) {
            out.writeBytes((boundary + "Content-Disposition: form-data; name=\"file\"; filename=\"" + names.get(i)
                            + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.writeBytes(contents.get(i));
            out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes("--truc-test-boundary--\r\n".getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static void assertRefused(Dms.Answer answer, int status, String code) {
        assertThat(answer.status()).as("%s", answer.json()).isEqualTo(status);
        assertThat(answer.response().headers().firstValue("X-Road-Error").orElse(""))
                .endsWith("." + code);
        assertThat(answer.json().get("message").asText()).isNotBlank();
    }

    private Dms dms(String code) {
        return new Dms(federation.server(code), "VN/GOV/" + code + "/DMS");
    }

    private static String newDocumentId() {
        return G22 + ",2026/11/23," + NUMBER.incrementAndGet() + "/VPCP-TTĐT";
    }

    private JsonNode awaitReceived(String code, String documentId, String kind) throws InterruptedException {
        return awaitInboxEntries(code, documentId, kind, 1).get(0);
    }

    /** The not-yet-acknowledged inbox entries of {@code code} about {@code documentId}, once there are {@code count}. */
    private JsonNode awaitInboxEntries(String code, String documentId, String kind, int count)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        var found = new com.fasterxml.jackson.databind.node.ArrayNode(
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance);
        while (System.nanoTime() < deadline) {
            found.removeAll();
            for (JsonNode e :
                    dms(code).call("GET", "inbox?limit=1000", null, null).json().get("documents")) {
                if (e.get("documentId").asText().equals(documentId)
                        && e.get("kind").asText().equals(kind)) {
                    found.add(e);
                }
            }
            if (found.size() >= count) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(found.size())
                .as("%s inbox entries of %s about %s", kind, code, documentId)
                .isEqualTo(count);
        return found;
    }

    private List<Long> inboxIds(String code, String documentId) {
        List<Long> ids = new ArrayList<>();
        for (JsonNode e :
                dms(code).call("GET", "inbox?limit=1000", null, null).json().get("documents")) {
            if (e.get("documentId").asText().equals(documentId)) {
                ids.add(e.get("id").asLong());
            }
        }
        return ids;
    }

    /** The message id that carried {@code documentId} into {@code code}'s inbox. */
    private String messageIdOf(String code, String documentId) {
        return federation
                .server(code)
                .store()
                .database()
                .queryOne(
                        "SELECT message_id FROM inbox_document WHERE document_id = ? AND kind = 'DOCUMENT'",
                        r -> r.getString(1),
                        documentId)
                .orElseThrow();
    }

    private List<String> kinds(String code, String messageId) {
        return federation.server(code).store().messageLog().records(messageId).stream()
                .map(r -> r.direction() + " " + r.kind())
                .toList();
    }

    private long outboxCount(String code) {
        return dms(code)
                .call("GET", "outbox?limit=1000", null, null)
                .json()
                .get("documents")
                .size();
    }

    private int outboxFiles(String code) throws Exception {
        Path outbox = federation.serverDir(code).resolve("documents/outbox");
        if (!Files.isDirectory(outbox)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(outbox)) {
            return (int) files.count();
        }
    }

    private static List<String> recipients(JsonNode entry) {
        List<String> recipients = new ArrayList<>();
        entry.get("deliveries").forEach(d -> recipients.add(d.get("recipient").asText()));
        return recipients;
    }

    private static JsonNode delivery(JsonNode entry, String code) {
        for (JsonNode d : entry.get("deliveries")) {
            if (d.get("recipient").asText().equals("VN/GOV/" + code + "/DMS")) {
                return d;
            }
        }
        throw new AssertionError("no delivery to " + code + " in " + entry);
    }

    private static String state(JsonNode entry, String code) {
        return delivery(entry, code).get("state").asText();
    }

    private static int attempts(JsonNode entry, String code) {
        return delivery(entry, code).get("attempts").asInt();
    }

    private static String sha256(byte[] bytes) throws Exception {
        return Base64.getEncoder()
                .encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
