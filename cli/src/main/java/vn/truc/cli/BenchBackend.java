package vn.truc.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The provider's service in {@code truc bench}, the same for Truc and for the baselines: a REST
 * service that reads the request and answers {@value #BODY_BYTES} bytes of JSON, and a SOAP service
 * that answers an X-Road 4.0 envelope with the request's own header and a
 * {@value #BODY_BYTES}-byte body. It parses nothing, so that the gateway's cost stands out.
 */
final class BenchBackend implements AutoCloseable {
    static final int BODY_BYTES = 1024;
    static final String REST_PATH = "/rest/echo";
    static final String SOAP_PATH = "/soap";
    private static final byte[] BODY_OPEN = "<SOAP-ENV:Body>".getBytes(StandardCharsets.US_ASCII);

    private final HttpServer server;
    private final ExecutorService threads;
    private final byte[] restAnswer = jsonOf(BODY_BYTES);

    BenchBackend(int threadCount) throws IOException {
        // The JDK's server answers in two writes (headers, then body); without TCP_NODELAY the
        // second waits for the client's delayed ACK, ~40 ms a call. It reads this property once.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        threads = Executors.newFixedThreadPool(threadCount);
        server.setExecutor(threads);
        server.createContext(REST_PATH, this::rest);
        server.createContext(SOAP_PATH, this::soap);
        server.start();
    }

    /** The service's base address, {@code http://127.0.0.1:port}. */
    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void rest(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        send(exchange, "application/json", restAnswer);
    }

    private void soap(HttpExchange exchange) throws IOException {
        byte[] request;
        try (InputStream in = exchange.getRequestBody()) {
            request = in.readNBytes(1 << 20);
        }
        int body = indexOf(request, BODY_OPEN);
        if (body < 0) {
            DemoService.send(exchange, 400, "text/plain", "no SOAP-ENV:Body".getBytes(StandardCharsets.US_ASCII));
            return;
        }
        ByteArrayOutputStream answer = new ByteArrayOutputStream(body + 2 * BODY_BYTES);
        answer.write(request, 0, body);
        answer.write(soapBody(BODY_BYTES));
        send(exchange, "text/xml; charset=utf-8", answer.toByteArray());
    }

    /** A JSON object of exactly {@code bytes} bytes. */
    static byte[] jsonOf(int bytes) {
        String open = "{\"payload\":\"";
        String close = "\"}";
        return (open + "x".repeat(bytes - open.length() - close.length()) + close).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] soapBody(int payloadBytes) {
        return ("<SOAP-ENV:Body><bench:echoResponse xmlns:bench=\"urn:truc:bench\">" + "x".repeat(payloadBytes)
                        + "</bench:echoResponse></SOAP-ENV:Body></SOAP-ENV:Envelope>")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static void send(HttpExchange exchange, String type, byte[] body) throws IOException {
        DemoService.send(exchange, 200, type, body);
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
