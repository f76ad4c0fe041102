package vn.truc.server;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import vn.truc.core.xml.SecureXml;

/**
 * A provider's SOAP service written the X-Road way: it echoes the request's X-Road headers and
 * answers {@code getDocumentResponse}. Counts the requests it received.
 */
final class SoapEchoService implements AutoCloseable {
    static final String NS = "urn:truc:test:dms";

    private final HttpServer server;
    final AtomicInteger received = new AtomicInteger();

    SoapEchoService() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        server.createContext("/soap", exchange -> {
            received.incrementAndGet();
            byte[] request;
            try (InputStream in = exchange.getRequestBody()) {
                request = in.readAllBytes();
            }
            Document doc = SecureXml.parse(request, "test SOAP request");
            Element body = child(doc.getDocumentElement(), "Body");
            String documentId = body.getTextContent().trim();
            while (body.getFirstChild() != null) {
                body.removeChild(body.getFirstChild());
            }
            Element response = doc.createElementNS(NS, "dms:getDocumentResponse");
            Element subject = doc.createElementNS(NS, "dms:subject");
            subject.setTextContent("Công văn " + documentId);
            response.appendChild(subject);
            body.appendChild(response);
            byte[] answer = SecureXml.toBytes(doc);
            exchange.getResponseHeaders().set("Content-Type", "text/xml; charset=utf-8");
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/soap");
    }

    private static Element child(Element parent, String localName) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && localName.equals(e.getLocalName())) {
                return e;
            }
        }
        throw new IllegalArgumentException("no " + localName);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
