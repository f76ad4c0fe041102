package vn.truc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.truc.core.id.ServiceId;
import vn.truc.core.testing.Processes;
import vn.truc.server.store.AccessSubject;
import vn.truc.server.store.Protocol;
import vn.truc.server.store.ServerStore;

/**
 * 1 GiB through two security servers, each running as its own process with its heap capped at
 * 256 MiB: a REST body, and a document sent as metadata and a file, which is encrypted, delivered
 * and fetched. Both arrive whole and unchanged. (Bodies stream through files; no server holds one in
 * memory.) The size can be lowered with -Dtruc.largeBody.bytes for a quick run.
 */
class LargeBodyIT {
    private static final long SIZE = Long.getLong("truc.largeBody.bytes", 1L << 30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void oneGibibyteCrossesTwoServersWithQuarterGibibyteHeaps() throws Exception {
        // Each server spools the body once: the disk must hold two copies and some room.
        assumeDisk(3 * SIZE);
        try (Sink sink = new Sink();
                ProcessFederation federation =
                        new ProcessFederation(dir, "", List.of("-Xmx256m"), "000.00.00.G22", "000.00.00.H41")) {
            ServiceId upload = ServiceId.parse("VN/GOV/000.00.00.H41/DMS/upload");
            try (ServerStore store = ServerStore.open(federation.serverDir("000.00.00.H41"))) {
                store.services().addService(upload, sink.url(), Protocol.REST);
                store.accessRules().grant(upload, AccessSubject.parse("VN/GOV/000.00.00.G22/DMS"));
            }
            federation.start("000.00.00.G22");
            federation.start("000.00.00.H41");

            MessageDigest sent = MessageDigest.getInstance("SHA-256");
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                            + federation.clientProxyPort("000.00.00.G22")
                            + "/r1/VN/GOV/000.00.00.H41/DMS/upload/big.bin"))
                    .header("X-Road-Client", "VN/GOV/000.00.00.G22/DMS")
                    .header("Content-Type", "application/octet-stream")
                    .timeout(Duration.ofMinutes(10))
                    .POST(HttpRequest.BodyPublishers.fromPublisher(
                            HttpRequest.BodyPublishers.ofInputStream(
                                    () -> new DigestInputStream(new PatternStream(SIZE), sent)),
                            SIZE))
                    .build();
            HttpResponse<String> response =
                    HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode received = JSON.readTree(response.body());
            assertThat(received.get("bytes").asLong()).isEqualTo(SIZE);
            assertThat(received.get("sha256").asText()).isEqualTo(HexFormat.of().formatHex(sent.digest()));
            assertAlive(federation, "000.00.00.G22", "000.00.00.H41");
        }
    }

    /**
     * A 1 GiB document, sent as metadata and a file, is accepted, encrypted, delivered with a
     * receipt and fetched at the recipient unchanged, through two servers with 256 MiB heaps.
     */
    @Test
    void oneGibibyteDocumentIsDeliveredWithQuarterGibibyteHeaps() throws Exception {
        // sender: the package, its decoded file and its encryption; recipient: the spooled
        // envelope, the decrypted package and its decoded file, then the fetched copy here
        assumeDisk(7 * SIZE);
        String properties = "timeouts.peer = 10m\n";
        try (ProcessFederation federation =
                new ProcessFederation(dir, properties, List.of("-Xmx256m"), "000.00.00.G22", "000.00.00.H41")) {
            federation.start("000.00.00.G22");
            federation.start("000.00.00.H41");
            Path file = dir.resolve("ho-so.bin");
            MessageDigest fileDigest = MessageDigest.getInstance("SHA-256");
            try (InputStream in = new DigestInputStream(new PatternStream(SIZE), fileDigest)) {
                Files.copy(in, file);
            }
            String documentId = "000.00.00.G22,2026/11/23,9999/VPCP-TTĐT";
            String metadata = "{\"documentId\":\"" + documentId + "\",\"recipients\":[\"000.00.00.H41\"],"
                    + "\"files\":[{\"name\":\"ho-so.bin\",\"sha256\":\""
                    + Base64.getEncoder().encodeToString(fileDigest.digest()) + "\"}]}";
            String sender = "http://127.0.0.1:" + federation.clientProxyPort("000.00.00.G22") + "/documents/v1/";
            String recipient = "http://127.0.0.1:" + federation.clientProxyPort("000.00.00.H41") + "/documents/v1/";

            var sent = Processes.run(List.of(
                    "curl",
                    "-sS",
                    "--max-time",
                    "600",
                    "-H",
                    "X-Road-Client: VN/GOV/000.00.00.G22/DMS",
                    "-F",
                    "metadata=" + metadata + ";type=application/json",
                    "-F",
                    "file=@" + file + ";type=application/octet-stream",
                    sender + "outbox"));
            assertThat(sent.exitCode()).as(sent.output()).isZero();
            long id = JSON.readTree(sent.output()).get("id").asLong();
            Files.delete(file);

            JsonNode entry =
                    awaitJson(sender + "outbox/" + id, "VN/GOV/000.00.00.G22/DMS", e -> !e.at("/deliveries/0/state")
                            .asText()
                            .matches("queued|delivering"));
            assertThat(entry.at("/deliveries/0/state").asText()).as("%s", entry).isEqualTo("delivered");
            String packageSha256 = entry.get("sha256").asText();

            JsonNode inbox = awaitJson(
                    recipient + "inbox",
                    "VN/GOV/000.00.00.H41/DMS",
                    e -> e.get("documents").size() == 1);
            long inboxId = inbox.at("/documents/0/id").asLong();
            MessageDigest fetched = MessageDigest.getInstance("SHA-256");
            HttpResponse<InputStream> body = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(recipient + "inbox/" + inboxId))
                                    .header("X-Road-Client", "VN/GOV/000.00.00.H41/DMS")
                                    .build(),
                            HttpResponse.BodyHandlers.ofInputStream());
            long length;
            try (InputStream in = new DigestInputStream(body.body(), fetched)) {
                length = in.transferTo(OutputStream.nullOutputStream());
            }
            assertThat(length).isGreaterThan(SIZE);
            assertThat(HexFormat.of().formatHex(fetched.digest())).isEqualTo(packageSha256);
            assertAlive(federation, "000.00.00.G22", "000.00.00.H41");
        }
    }

    private void assumeDisk(long bytes) throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                Files.getFileStore(dir).getUsableSpace() > bytes, "needs " + bytes + " bytes of free disk");
    }

    private static void assertAlive(ProcessFederation federation, String... codes) {
        for (String code : codes) {
            assertThat(federation.isAlive(code))
                    .as("%s's server still running (no OutOfMemoryError)", code)
                    .isTrue();
        }
    }

    private static JsonNode awaitJson(String url, String client, java.util.function.Predicate<JsonNode> until)
            throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        JsonNode json;
        do {
            String answer = http.send(
                            HttpRequest.newBuilder(URI.create(url))
                                    .header("X-Road-Client", client)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            json = JSON.readTree(answer);
            if (until.test(json)) {
                return json;
            }
            Thread.sleep(500);
        } while (System.nanoTime() < deadline);
        return json;
    }

    /** The provider's service: counts and hashes what it receives, keeps none of it. */
    private static final class Sink implements AutoCloseable {
        private final HttpServer server;

        Sink() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4);
            server.createContext("/", exchange -> {
                try (InputStream in = exchange.getRequestBody()) {
                    MessageDigest digest = MessageDigest.getInstance("SHA-256");
                    byte[] buffer = new byte[256 * 1024];
                    long total = 0;
                    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                        digest.update(buffer, 0, n);
                        total += n;
                    }
                    byte[] answer = ("{\"bytes\":" + total + ",\"sha256\":\""
                                    + HexFormat.of().formatHex(digest.digest()) + "\"}")
                            .getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("Content-Type", "application/json");
                    exchange.sendResponseHeaders(200, answer.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(answer);
                    }
                } catch (java.security.NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                }
            });
            server.start();
        }

        URI url() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/sink");
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
