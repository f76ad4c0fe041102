package vn.truc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.truc.core.id.ClientId;
import vn.truc.core.id.SecurityServerId;
import vn.truc.core.id.ServiceId;
import vn.truc.registry.CentralRegistry;
import vn.truc.registry.RegistryAdmin;
import vn.truc.registry.RegistryConfig;
import vn.truc.registry.RegistrySetup;
import vn.truc.server.ServerSetup;
import vn.truc.server.store.AccessSubject;
import vn.truc.server.store.Protocol;
import vn.truc.server.store.ServerStore;

/**
 * A 1 GiB REST body through both security servers, each running as its own process with its heap
 * capped at 256 MiB: it arrives whole and unchanged. (Bodies stream through spool files; no
 * server holds one in memory.) The size can be lowered with -Dtruc.largeBody.bytes for a quick run.
 */
class LargeBodyIT {
    private static final long SIZE = Long.getLong("truc.largeBody.bytes", 1L << 30);
    private static final char[] PIN = "1234".toCharArray();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void oneGibibyteCrossesTwoServersWithQuarterGibibyteHeaps() throws Exception {
        // Each server spools the body once: the disk must hold two copies and some room.
        org.junit.jupiter.api.Assumptions.assumeTrue(
                java.nio.file.Files.getFileStore(dir).getUsableSpace() > 3 * SIZE,
                "needs " + 3 * SIZE + " bytes of free disk for the spool files");
        List<Process> processes = new ArrayList<>();
        try (Sink sink = new Sink()) {
            RegistryConfig registryConfig =
                    RegistrySetup.init(dir.resolve("registry"), "VN", "127.0.0.1", freePort(), PIN);
            try (CentralRegistry registry = CentralRegistry.start(registryConfig, PIN);
                    RegistryAdmin admin = RegistryAdmin.open(registryConfig)) {
                int clientProxy = setUp(admin, registryConfig, "000.00.00.G22");
                int providerProxy = setUp(admin, registryConfig, "000.00.00.H41");
                ServiceId upload = ServiceId.parse("VN/GOV/000.00.00.H41/DMS/upload");
                try (ServerStore store = ServerStore.open(dir.resolve("000.00.00.H41"))) {
                    store.services().addService(upload, sink.url(), Protocol.REST);
                    store.accessRules().grant(upload, AccessSubject.parse("VN/GOV/000.00.00.G22/DMS"));
                }
                processes.add(startServer("000.00.00.G22"));
                processes.add(startServer("000.00.00.H41"));
                awaitHealthy(clientProxy, processes);
                awaitHealthy(providerProxy, processes);

                MessageDigest sent = MessageDigest.getInstance("SHA-256");
                HttpRequest request = HttpRequest.newBuilder(URI.create(
                                "http://127.0.0.1:" + clientProxy + "/r1/VN/GOV/000.00.00.H41/DMS/upload/big.bin"))
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
                assertThat(received.get("sha256").asText())
                        .isEqualTo(HexFormat.of().formatHex(sent.digest()));
                for (Process p : processes) {
                    assertThat(p.isAlive())
                            .as("server process still running (no OutOfMemoryError)")
                            .isTrue();
                }
            }
        } finally {
            processes.forEach(Process::destroy);
            for (Process p : processes) {
                p.waitFor();
            }
        }
    }

    private int setUp(RegistryAdmin admin, RegistryConfig registryConfig, String code) throws IOException {
        ClientId member = ClientId.member("VN", "GOV", code);
        String token = admin.addMember(member, "Agency " + code);
        admin.addSubsystem(member.subsystem("DMS"));
        int clientProxy = freePort();
        var state = ServerSetup.init(
                new ServerSetup.InitRequest(
                        dir.resolve(code),
                        registryConfig.anchorFile(),
                        new SecurityServerId(member, "ss1"),
                        "127.0.0.1:" + freePort(),
                        token,
                        Duration.ofMillis(500),
                        clientProxy),
                PIN);
        admin.approve(state.id());
        return clientProxy;
    }

    private Process startServer(String code) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(
                java,
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "server",
                "start",
                "--dir",
                dir.resolve(code).toString());
        builder.environment().put("TRUC_PIN", new String(PIN));
        builder.redirectErrorStream(true)
                .redirectOutput(dir.resolve(code + ".log").toFile());
        return builder.start();
    }

    private static void awaitHealthy(int port, List<Process> processes) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            for (Process p : processes) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("a server process exited with " + p.exitValue());
                }
            }
            try {
                HttpResponse<String> health = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (JSON.readTree(health.body()).path("ok").asBoolean()) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("server with client proxy " + port + " not healthy in 60 s");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A deterministic, cheap-to-make byte stream of a given length. */
    private static final class PatternStream extends InputStream {
        private long remaining;
        private long state = 0x9E3779B97F4A7C15L;

        PatternStream(long length) {
            this.remaining = length;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (remaining == 0) {
                return -1;
            }
            int n = (int) Math.min(len, remaining);
            for (int i = 0; i < n; i++) {
                state ^= state << 13;
                state ^= state >>> 7;
                state ^= state << 17;
                b[off + i] = (byte) state;
            }
            remaining -= n;
            return n;
        }
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
