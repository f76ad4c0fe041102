package vn.truc.core.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import vn.truc.core.crypto.Certificates;

/**
 * A real RFC 3161 time-stamping authority for tests: {@code openssl ts -reply} behind a loopback
 * HTTP server, with its own CA and a TSA certificate carrying the critical timeStamping extended
 * key usage, all made by {@code openssl} in a directory the test owns. The independent judge of
 * what our timestamp client sends and accepts.
 *
 * <p>{@link #stop()} closes the port, so clients see connection refused; {@link #restart()} listens
 * again on the same port with the same keys.
 */
public final class OpensslTsa implements AutoCloseable {
    /** The policy the TSA stamps under, as written into its openssl configuration. */
    public static final String POLICY = "1.3.6.1.4.1.99999.3161.1";

    private static final int MAX_QUERY_BYTES = 64 * 1024;

    private final Path dir;
    private final X509Certificate certificate;
    private final X509Certificate caCertificate;
    private final AtomicInteger requests = new AtomicInteger();
    private final Object opensslLock = new Object();
    private final int port;
    private HttpServer server;

    private OpensslTsa(Path dir, X509Certificate certificate, X509Certificate caCertificate, HttpServer server) {
        this.dir = dir;
        this.certificate = certificate;
        this.caCertificate = caCertificate;
        this.server = server;
        this.port = server.getAddress().getPort();
    }

    /** Makes the CA, the TSA key and certificate and the {@code ts} configuration in {@code dir}, then listens. */
    public static OpensslTsa start(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        makePki(dir);
        Files.writeString(dir.resolve("tsa.cnf"), config(dir));
        Files.writeString(dir.resolve("serial"), "01\n");
        X509Certificate tsa = Certificates.fromPem(Files.readString(dir.resolve("tsa.pem")));
        X509Certificate ca = Certificates.fromPem(Files.readString(dir.resolve("ca.pem")));
        OpensslTsa instance = new OpensslTsa(dir, tsa, ca, HttpServer.create(loopback(0), 0));
        instance.serve();
        return instance;
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + port + "/tsa");
    }

    /** The TSA's signing certificate (critical extendedKeyUsage timeStamping). */
    public X509Certificate certificate() {
        return certificate;
    }

    /** The CA that issued {@link #certificate()}. */
    public X509Certificate caCertificate() {
        return caCertificate;
    }

    public Path caPem() {
        return dir.resolve("ca.pem");
    }

    public Path tsaPem() {
        return dir.resolve("tsa.pem");
    }

    /** How many queries reached the server, answered or not. */
    public int requests() {
        return requests.get();
    }

    /** Closes the port and every open connection: clients now get connection refused. */
    public synchronized void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    /** Listens again on the same port, with the same keys and serial counter. */
    public synchronized void restart() throws IOException, InterruptedException {
        stop();
        // The port was ours a moment ago; a rebind can still race the kernel releasing it.
        for (int attempt = 0; ; attempt++) {
            try {
                server = HttpServer.create(loopback(port), 0);
                break;
            } catch (BindException e) {
                if (attempt == 50) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
        serve();
    }

    @Override
    public void close() {
        stop();
    }

    private void serve() {
        server.createContext("/", this::answer);
        server.start();
    }

    /** One {@code openssl ts -reply} per query. */
    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            int n = requests.incrementAndGet();
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            Path query = dir.resolve("query-" + n + ".tsq");
            Path reply = dir.resolve("reply-" + n + ".tsr");
            try (InputStream body = exchange.getRequestBody()) {
                Files.write(query, body.readNBytes(MAX_QUERY_BYTES));
            }
            Processes.Result result = runTs(query, reply);
            if (result.exitCode() != 0) {
                byte[] message = result.output().getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(500, message.length);
                exchange.getResponseBody().write(message);
                return;
            }
            byte[] answer = Files.readAllBytes(reply);
            exchange.getResponseHeaders().set("Content-Type", "application/timestamp-reply");
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while openssl ts ran", e);
        }
    }

    /**
     * Runs one at a time, as the serial file is shared; under its own lock, since {@link #stop()}
     * waits for the thread that runs this.
     */
    private Processes.Result runTs(Path query, Path reply) throws IOException, InterruptedException {
        synchronized (opensslLock) {
            return runTsAlone(query, reply);
        }
    }

    private Processes.Result runTsAlone(Path query, Path reply) throws IOException, InterruptedException {
        return Processes.run(List.of(
                "openssl",
                "ts",
                "-reply",
                "-config",
                dir.resolve("tsa.cnf").toString(),
                "-queryfile",
                query.toString(),
                "-inkey",
                dir.resolve("tsa.key").toString(),
                "-signer",
                tsaPem().toString(),
                "-chain",
                caPem().toString(),
                "-out",
                reply.toString()));
    }

    private static void makePki(Path dir) throws IOException, InterruptedException {
        openssl(
                dir,
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-noenc",
                "-keyout",
                "ca.key",
                "-out",
                "ca.pem",
                "-days",
                "30",
                "-subj",
                "/CN=Truc Test TSA CA",
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign");
        openssl(
                dir,
                "req",
                "-new",
                "-newkey",
                "rsa:2048",
                "-noenc",
                "-keyout",
                "tsa.key",
                "-out",
                "tsa.csr",
                "-subj",
                "/CN=Truc Test TSA");
        Files.writeString(
                dir.resolve("tsa-ext.cnf"),
                "basicConstraints = critical,CA:FALSE\n"
                        + "keyUsage = critical,digitalSignature\n"
                        + "extendedKeyUsage = critical,timeStamping\n");
        openssl(
                dir,
                "x509",
                "-req",
                "-in",
                "tsa.csr",
                "-CA",
                "ca.pem",
                "-CAkey",
                "ca.key",
                "-set_serial",
                new BigInteger(63, new SecureRandom()).toString(),
                "-days",
                "30",
                "-sha256",
                "-extfile",
                "tsa-ext.cnf",
                "-out",
                "tsa.pem");
    }

    /** The {@code [tsa]} section {@code openssl ts -reply} needs; keys and certificates come on the command line. */
    private static String config(Path dir) {
        return String.join(
                "\n",
                "[ tsa ]",
                "default_tsa = tsa_config",
                "",
                "[ tsa_config ]",
                "serial = " + dir.resolve("serial").toAbsolutePath(),
                "signer_digest = sha256",
                "default_policy = " + POLICY,
                "digests = sha256, sha384, sha512",
                "accuracy = secs:1",
                "ordering = no",
                "tsa_name = yes",
                "ess_cert_id_chain = no",
                "ess_cert_id_alg = sha256",
                "");
    }

    private static void openssl(Path dir, String... args) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder();
        builder.command().add("openssl");
        builder.command().addAll(List.of(args));
        Process process =
                builder.directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] out = process.getInputStream().readAllBytes();
        if (process.waitFor() != 0) {
            throw new IOException("openssl " + args[0] + " failed: " + new String(out, StandardCharsets.UTF_8));
        }
    }

    private static InetSocketAddress loopback(int port) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
