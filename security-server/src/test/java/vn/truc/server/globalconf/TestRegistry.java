package vn.truc.server.globalconf;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;

/** A stand-in registry on 127.0.0.1, port 0, answering {@code GET /globalconf} with whatever the test set. */
final class TestRegistry implements AutoCloseable {
    private record Answer(int status, byte[] body, boolean chunked) {}

    private final HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private volatile Answer answer = new Answer(404, new byte[0], false);

    private TestRegistry(HttpServer server) {
        this.server = server;
    }

    static TestRegistry start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            TestRegistry registry = new TestRegistry(server);
            server.createContext("/globalconf", registry::handle);
            server.start();
            return registry;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Serves {@code body} with a Content-Length. */
    void serve(byte[] body) {
        answer = new Answer(200, body.clone(), false);
    }

    /** Serves {@code body} chunked, so the client learns its size only by counting. */
    void serveChunked(byte[] body) {
        answer = new Answer(200, body.clone(), true);
    }

    void answerStatus(int status) {
        answer = new Answer(status, new byte[0], false);
    }

    URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    int requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) {
        requests.incrementAndGet();
        Answer a = answer;
        try {
            if (!"/globalconf".equals(exchange.getRequestURI().getPath())
                    || !"GET".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "application/xml");
            exchange.sendResponseHeaders(a.status(), a.chunked() ? 0 : a.body().length == 0 ? -1 : a.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(a.body());
            }
        } catch (IOException e) {
            // the client hung up, e.g. when it refused an oversized body
        } finally {
            exchange.close();
        }
    }
}
