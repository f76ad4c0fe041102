package vn.truc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.truc.core.crypto.Certificates;
import vn.truc.core.document.DeliveryReceipt;
import vn.truc.core.document.Receipts;
import vn.truc.server.store.ServerStore;

/**
 * The store-and-forward promise under SIGKILL: a few hundred documents stream from one agency to
 * another while the recipient's server process is killed and restarted, and then the sender's is
 * killed while it delivers the backlog. Every document the sender's server acknowledged arrives
 * exactly once, byte for byte, and the sender holds a receipt signed by the recipient for each.
 */
class DocumentCrashIT {
    private static final int COUNT = Integer.getInteger("truc.crash.documents", 300);
    private static final String G22 = "000.00.00.G22";
    private static final String H41 = "000.00.00.H41";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void killedServersLoseNothingAndDeliverNothingTwice() throws Exception {
        String properties = "documents.retry.initial-delay = 200ms\ndocuments.retry.max-delay = 2s\n"
                + "timeouts.connect = 1s\ntimeouts.peer = 10s\n";
        try (ProcessFederation federation = new ProcessFederation(dir, properties, List.of("-Xmx256m"), G22, H41)) {
            federation.start(G22);
            federation.start(H41);
            Map<String, byte[]> sent = new HashMap<>();

            // The recipient dies mid-stream; the sender goes on accepting, then it comes back.
            int killedAfter = -1;
            for (int i = 0; i < COUNT; i++) {
                if (killedAfter < 0 && i >= COUNT / 3 && inbox(federation).size() >= 10) {
                    federation.kill(H41);
                    killedAfter = i;
                }
                String id = G22 + ",2026/11/23," + (1000 + i) + "/VPCP-TTĐT";
                byte[] document = document(id, i);
                HttpResponse<String> answer = send(federation, document);
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
                sent.put(id, document);
            }
            assertThat(killedAfter)
                    .as("the recipient was killed while documents streamed")
                    .isPositive();
            federation.start(H41);

            // The sender dies while it delivers the backlog, and comes back.
            Thread.sleep(300);
            federation.kill(G22);
            long deliveredBeforeKill;
            try (ServerStore store = ServerStore.open(federation.serverDir(G22))) {
                deliveredBeforeKill = store.database()
                        .queryOne("SELECT COUNT(*) FROM outbox_delivery WHERE state = 'DELIVERED'", r -> r.getLong(1))
                        .orElseThrow();
            }
            assertThat(deliveredBeforeKill)
                    .as("a backlog was left when the sender was killed")
                    .isLessThan(COUNT);
            federation.start(G22);

            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (delivered(federation) < COUNT && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
            JsonNode outbox = get(federation, G22, "outbox?limit=1000").get("documents");
            assertThat(outbox).hasSize(COUNT);
            for (JsonNode entry : outbox) {
                JsonNode delivery = entry.get("deliveries").get(0);
                assertThat(delivery.get("state").asText())
                        .as(
                                "delivery of %s (%d delivered before the sender was killed)",
                                entry.get("documentId"), deliveredBeforeKill)
                        .isEqualTo("delivered");
                byte[] receipt = Base64.getDecoder()
                        .decode(delivery.at("/receipt/receipt").asText());
                byte[] signature = Base64.getDecoder()
                        .decode(delivery.at("/receipt/signature").asText());
                assertThat(DeliveryReceipt.fromBytes(receipt).documentId())
                        .isEqualTo(entry.get("documentId").asText());
                assertThat(Certificates.subjectSerialNumber(
                                Receipts.verify(signature, receipt).signer()))
                        .contains("VN/GOV/" + H41);
            }

            JsonNode inbox = inbox(federation);
            Set<String> received = new HashSet<>();
            for (JsonNode entry : inbox) {
                String id = entry.get("documentId").asText();
                assertThat(received.add(id)).as("%s received once", id).isTrue();
                assertThat(fetch(federation, entry.get("id").asLong())).isEqualTo(sent.get(id));
            }
            assertThat(received).isEqualTo(sent.keySet());
        }
    }

    private static byte[] document(String id, int i) {
        String ns = "http://www.mic.gov.vn/TBT/QCVN_102_2016";
        return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<edXML xmlns=\"" + ns + "\" xmlns:edXML=\"" + ns + "\">"
                        + "<edXML:edXMLEnvelope><edXML:edXMLHeader><edXML:MessageHeader>"
                        + "<edXML:From><edXML:OrganId>" + G22 + "</edXML:OrganId></edXML:From>"
                        + "<edXML:To><edXML:OrganId>" + H41 + "</edXML:OrganId></edXML:To>"
                        + "<edXML:DocumentId>" + id + "</edXML:DocumentId>"
                        + "<edXML:Code><edXML:CodeNumber>" + (1000 + i) + "</edXML:CodeNumber>"
                        + "<edXML:CodeNotation>VPCP-TTĐT</edXML:CodeNotation></edXML:Code>"
                        + "<edXML:Subject>Văn bản số " + i + "</edXML:Subject>"
                        + "</edXML:MessageHeader></edXML:edXMLHeader></edXML:edXMLEnvelope></edXML>\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> send(ProcessFederation federation, byte[] document) throws Exception {
        return HTTP.send(
                request(federation, G22, "outbox")
                        .header("Content-Type", "application/xml")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(document))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int delivered(ProcessFederation federation) throws Exception {
        int delivered = 0;
        for (JsonNode entry : get(federation, G22, "outbox?limit=1000").get("documents")) {
            if ("delivered".equals(entry.at("/deliveries/0/state").asText())) {
                delivered++;
            }
        }
        return delivered;
    }

    private static JsonNode inbox(ProcessFederation federation) throws Exception {
        return get(federation, H41, "inbox?limit=1000").get("documents");
    }

    private static byte[] fetch(ProcessFederation federation, long id) throws Exception {
        HttpResponse<byte[]> answer = HTTP.send(
                request(federation, H41, "inbox/" + id).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(answer.statusCode()).isEqualTo(200);
        return answer.body();
    }

    private static JsonNode get(ProcessFederation federation, String code, String path) throws Exception {
        HttpResponse<String> answer =
                HTTP.send(request(federation, code, path).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }

    private static HttpRequest.Builder request(ProcessFederation federation, String code, String path) {
        return HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + federation.clientProxyPort(code) + "/documents/v1/" + path))
                .header("X-Road-Client", "VN/GOV/" + code + "/DMS")
                .timeout(Duration.ofSeconds(30));
    }
}
