package vn.truc.server.trust;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import vn.truc.core.crypto.CertificateProfile;
import vn.truc.core.testing.TestPki;
import vn.truc.registry.trust.CertificateStatus;
import vn.truc.registry.trust.OcspResponder;

/** The registry's OCSP responder for one test CA, served over HTTP on loopback. */
final class OcspStub implements AutoCloseable {
    private final Set<BigInteger> revoked = ConcurrentHashMap.newKeySet();
    private final AtomicInteger requests = new AtomicInteger();
    private final HttpServer server;

    OcspStub(TestPki ca) throws IOException {
        OcspResponder responder = new OcspResponder(
                ca.issue("Test OCSP responder", CertificateProfile.OCSP),
                ca.caCertificate(),
                serial -> revoked.contains(serial)
                        ? new CertificateStatus.Revoked(Instant.now().minusSeconds(60), 1)
                        : new CertificateStatus.Good(),
                Duration.ofMinutes(10));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] answer = responder.respond(exchange.getRequestBody().readAllBytes());
            exchange.getResponseHeaders().add("Content-Type", "application/ocsp-response");
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/ocsp";
    }

    void revoke(X509Certificate cert) {
        revoked.add(cert.getSerialNumber());
    }

    int requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
