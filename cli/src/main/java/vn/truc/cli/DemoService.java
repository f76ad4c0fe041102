package vn.truc.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import vn.truc.core.xml.SecureXml;

/**
 * The second agency's document-management system in the demo: a REST service that answers a
 * document's metadata, and a SOAP service in the X-Road 4.0 style that echoes the X-Road headers
 * and answers {@code getDocumentResponse}.
 */
final class DemoService implements AutoCloseable {
    static final String SOAP_NS = "urn:truc:demo:dms";
    private static final int MAX_REQUEST = 1 << 20;

    private final HttpServer server;

    DemoService() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/rest/documents/", this::rest);
        server.createContext("/soap", this::soap);
        server.start();
    }

    String restBase() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/rest/documents";
    }

    String soapUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/soap";
    }

    private void rest(HttpExchange exchange) throws IOException {
        String id = exchange.getRequestURI().getPath().substring("/rest/documents/".length());
        String client = String.valueOf(exchange.getRequestHeaders().getFirst("X-Road-Client"));
        String json = "{\"documentId\":\"" + id.replaceAll("[^0-9A-Za-z.,/-]", "")
                + "\",\"subject\":\"Báo cáo tình hình kinh tế - xã hội\"," + "\"requestedBy\":\""
                + client.replaceAll("[^0-9A-Za-z./]", "") + "\"}";
        send(exchange, 200, "application/json; charset=utf-8", json.getBytes(StandardCharsets.UTF_8));
    }

    private void soap(HttpExchange exchange) throws IOException {
        byte[] request;
        try (InputStream in = exchange.getRequestBody()) {
            request = in.readNBytes(MAX_REQUEST);
        }
        Document doc = SecureXml.parse(request, "demo SOAP request");
        Element body = child(doc.getDocumentElement(), "Body");
        Element operation = firstElement(body);
        String documentId = operation == null ? "" : operation.getTextContent().trim();
        while (body.getFirstChild() != null) {
            body.removeChild(body.getFirstChild());
        }
        Element response = doc.createElementNS(SOAP_NS, "dms:getDocumentResponse");
        Element subject = doc.createElementNS(SOAP_NS, "dms:subject");
        subject.setTextContent("Báo cáo " + documentId);
        response.appendChild(subject);
        body.appendChild(response);
        send(exchange, 200, "text/xml; charset=utf-8", SecureXml.toBytes(doc));
    }

    private static Element child(Element parent, String localName) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && localName.equals(e.getLocalName())) {
                return e;
            }
        }
        throw new IllegalArgumentException("no " + localName);
    }

    private static Element firstElement(Element parent) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                return e;
            }
        }
        return null;
    }

    /** Answers {@code exchange} with {@code body}; the bench backend answers the same way. */
    static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
