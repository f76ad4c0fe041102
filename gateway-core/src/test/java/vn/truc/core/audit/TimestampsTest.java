package vn.truc.core.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.truc.core.crypto.Digests;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.TrucException;
import vn.truc.core.testing.OpensslTsa;
import vn.truc.core.testing.Processes;

class TimestampsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    @TempDir
    static Path tsaDir;

    private static OpensslTsa tsa;

    @BeforeAll
    static void startTsa() throws Exception {
        tsa = OpensslTsa.start(tsaDir);
    }

    @AfterAll
    static void stopTsa() {
        tsa.close();
    }

    @Test
    void requestIsADerTimeStampReqWithSha256ImprintCertReqAndNonce() throws Exception {
        byte[] digest = digest("batch 1");
        TimeStampRequest request = new TimeStampRequest(Timestamps.request(digest, BigInteger.valueOf(42)));

        assertThat(request.getMessageImprintAlgOID()).isEqualTo(TSPAlgorithms.SHA256);
        assertThat(request.getMessageImprintDigest()).isEqualTo(digest);
        assertThat(request.getCertReq()).isTrue();
        assertThat(request.getNonce()).isEqualTo(BigInteger.valueOf(42));
    }

    @Test
    void fetchedTokenVerifiesWithTheTsaCertificate() {
        byte[] digest = digest("merkle root");
        Instant before = Instant.now().minusSeconds(2);

        TimestampToken fetched = Timestamps.fetch(HTTP, tsa.url(), digest, TIMEOUT);
        TimestampToken verified = Timestamps.verify(fetched.der(), digest, List.of(tsa.certificate()));

        assertThat(fetched.signer()).isEqualTo(tsa.certificate());
        assertThat(verified.signer()).isEqualTo(tsa.certificate());
        assertThat(verified.genTime()).isAfter(before).isBefore(Instant.now().plusSeconds(2));
        assertThat(verified.serial()).isEqualTo(fetched.serial());
        assertThat(verified.der()).isEqualTo(fetched.der());
    }

    @Test
    void fetchedTokenVerifiesWithOpensslAlone(@TempDir Path dir) throws Exception {
        byte[] digest = digest("audit export");
        TimestampToken token = Timestamps.fetch(HTTP, tsa.url(), digest, TIMEOUT);
        Path file = dir.resolve("token.der");
        Files.write(file, token.der());

        Processes.Result result = Processes.run(opensslVerify(HexFormat.of().formatHex(digest), file));

        assertThat(result.output()).contains("Verification: OK");
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void opensslRefusesTheTokenForAnotherDigest(@TempDir Path dir) throws Exception {
        TimestampToken token = Timestamps.fetch(HTTP, tsa.url(), digest("one"), TIMEOUT);
        Path file = dir.resolve("token.der");
        Files.write(file, token.der());

        Processes.Result result = Processes.run(opensslVerify(Digests.sha256Hex(bytes("two")), file));

        assertThat(result.exitCode()).as(result.output()).isNotZero();
    }

    @Test
    void tokenChainingToATrustedCaVerifies() {
        byte[] digest = digest("chain");
        TimestampToken token = Timestamps.fetch(HTTP, tsa.url(), digest, TIMEOUT);

        TimestampToken verified = Timestamps.verify(token.der(), digest, List.of(tsa.caCertificate()));

        assertThat(verified.signer()).isEqualTo(tsa.certificate());
    }

    @Test
    void verifyRefusesAnotherDigest() {
        TimestampToken token = Timestamps.fetch(HTTP, tsa.url(), digest("one"), TIMEOUT);

        assertInvalidSignature(
                () -> Timestamps.verify(token.der(), digest("two"), List.of(tsa.certificate())), "not the expected");
    }

    @Test
    void verifyRefusesAnotherTsasCertificate(@TempDir Path otherDir) throws Exception {
        byte[] digest = digest("root");
        TimestampToken token = Timestamps.fetch(HTTP, tsa.url(), digest, TIMEOUT);
        try (OpensslTsa other = OpensslTsa.start(otherDir)) {
            assertInvalidSignature(
                    () -> Timestamps.verify(token.der(), digest, List.of(other.certificate(), other.caCertificate())),
                    "not a trusted TSA certificate");
        }
    }

    @Test
    void verifyRefusesATokenWithAFlippedByte() {
        byte[] digest = digest("root");
        byte[] der = Timestamps.fetch(HTTP, tsa.url(), digest, TIMEOUT).der();
        // signerInfos end the SignedData and the signature value ends an openssl SignerInfo.
        der[der.length - 10] ^= 0x01;

        assertInvalidSignature(
                () -> Timestamps.verify(der, digest, List.of(tsa.certificate())), "refused: CN=Truc Test TSA");
    }

    @Test
    void verifyRefusesGarbage() {
        assertInvalidSignature(
                () -> Timestamps.verify(bytes("not a token"), digest("x"), List.of(tsa.certificate())),
                "not a time-stamp token");
    }

    @Test
    void fetchFromAStoppedTsaIsANetworkErrorNamingTheUrl(@TempDir Path dir) throws Exception {
        try (OpensslTsa stopped = OpensslTsa.start(dir)) {
            URI url = stopped.url();
            stopped.stop();

            assertThatThrownBy(() -> Timestamps.fetch(HTTP, url, digest("x"), TIMEOUT))
                    .isInstanceOf(TrucException.class)
                    .satisfies(e -> assertThat(((TrucException) e).code()).isEqualTo(ErrorCode.NETWORK_ERROR))
                    .hasMessageContaining(url.toString());

            stopped.restart();
            TimestampToken token = Timestamps.fetch(HTTP, url, digest("x"), TIMEOUT);
            assertThat(Timestamps.verify(token.der(), digest("x"), List.of(stopped.certificate())))
                    .isNotNull();
            assertThat(stopped.requests()).isEqualTo(1);
        }
    }

    @Test
    void replayedReplyIsAnInvalidResponseForItsNonce() throws Exception {
        byte[] digest = digest("replay");
        byte[] reply = post(tsa.url(), Timestamps.request(digest, BigInteger.ONE));

        try (Replay replay = new Replay(200, "application/timestamp-reply", reply)) {
            assertInvalidResponse(replay.url(), digest, "does not answer our request");
        }
    }

    @Test
    void rejectionIsAnInvalidResponseWithTheTsasStatus() throws Exception {
        TimeStampRequestGenerator sha1 = new TimeStampRequestGenerator();
        byte[] rejected =
                post(tsa.url(), sha1.generate(TSPAlgorithms.SHA1, new byte[20]).getEncoded());

        try (Replay replay = new Replay(200, "application/timestamp-reply", rejected)) {
            assertInvalidResponse(replay.url(), digest("x"), "not granted: status 2");
        }
    }

    @Test
    void httpErrorIsAnInvalidResponse() throws Exception {
        try (Replay replay = new Replay(503, "text/plain", bytes("busy"))) {
            assertInvalidResponse(replay.url(), digest("x"), "HTTP status 503");
        }
    }

    @Test
    void wrongContentTypeIsAnInvalidResponse() throws Exception {
        try (Replay replay = new Replay(200, "text/html", bytes("<html>"))) {
            assertInvalidResponse(replay.url(), digest("x"), "Content-Type text/html");
        }
    }

    @Test
    void silentTsaIsANetworkErrorAfterTheTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            URI url = URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/");

            assertThatThrownBy(() -> Timestamps.fetch(HTTP, url, digest("x"), Duration.ofMillis(300)))
                    .isInstanceOf(TrucException.class)
                    .satisfies(e -> assertThat(((TrucException) e).code()).isEqualTo(ErrorCode.NETWORK_ERROR))
                    .hasMessageContaining(url.toString())
                    .hasMessageContaining("no answer within 300 ms");
        }
    }

    /** An HTTP server that gives every request the same canned answer. */
    private static final class Replay implements AutoCloseable {
        private final HttpServer server;

        Replay(int status, String contentType, byte[] body) throws Exception {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> {
                try (exchange) {
                    exchange.getRequestBody().readAllBytes();
                    exchange.getResponseHeaders().set("Content-Type", contentType);
                    exchange.sendResponseHeaders(status, body.length);
                    exchange.getResponseBody().write(body);
                }
            });
            server.start();
        }

        URI url() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    private static byte[] post(URI url, byte[] query) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(url)
                .header("Content-Type", "application/timestamp-query")
                .POST(HttpRequest.BodyPublishers.ofByteArray(query))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray()).body();
    }

    private static void assertInvalidResponse(URI url, byte[] digest, String messagePart) {
        assertThatThrownBy(() -> Timestamps.fetch(HTTP, url, digest, TIMEOUT))
                .isInstanceOf(TrucException.class)
                .satisfies(e -> assertThat(((TrucException) e).code()).isEqualTo(ErrorCode.INVALID_RESPONSE))
                .hasMessageContaining(url.toString())
                .hasMessageContaining(messagePart);
    }

    private static List<String> opensslVerify(String digestHex, Path token) {
        return List.of(
                "openssl",
                "ts",
                "-verify",
                "-digest",
                digestHex,
                "-in",
                token.toString(),
                "-token_in",
                "-CAfile",
                tsa.caPem().toString(),
                "-untrusted",
                tsa.tsaPem().toString());
    }

    private static void assertInvalidSignature(
            org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String messagePart) {
        assertThatThrownBy(call)
                .isInstanceOf(TrucException.class)
                .satisfies(e -> assertThat(((TrucException) e).code()).isEqualTo(ErrorCode.INVALID_SIGNATURE))
                .hasMessageContaining(messagePart);
    }

    private static byte[] digest(String text) {
        return Digests.sha256(bytes(text));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
