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
import vn.truc.core.soap.MultipartSoap;
import vn.truc.core.xml.SecureXml;

/**
 * A provider's SOAP service written the X-Road way: it echoes the request's X-Road headers and
 * answers {@code getDocumentResponse}, with the request's attachments echoed back when it had
 * some. Counts the requests it received.
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
            String type = exchange.getRequestHeaders().getFirst("Content-Type");
            java.util.List<MultipartSoap.Attachment> attachments = java.util.List.of();
            if (type != null && type.startsWith("multipart/related")) {
                MultipartSoap.Parts parts =
                        MultipartSoap.parse(type, new java.io.ByteArrayInputStream(request), 10, 1 << 20);
                request = parts.soapPart();
                attachments = parts.attachments();
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
            String answerType = "text/xml; charset=utf-8";
            if (!attachments.isEmpty()) {
                answer = MultipartSoap.build("echo-boundary", answer, attachments);
                answerType = MultipartSoap.contentType("echo-boundary");
            }
            exchange.getResponseHeaders().set("Content-Type", answerType);
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
