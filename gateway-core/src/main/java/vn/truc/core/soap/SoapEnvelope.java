package vn.truc.core.soap;

import java.util.ArrayList;
import java.util.List;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;

/** The parts of a SOAP 1.1 envelope, found strictly: an Envelope holds an optional Header, then a Body. */
record SoapEnvelope(Element envelope, Element header, Element body) {
    static final String SOAP11_NS = "http://schemas.xmlsoap.org/soap/envelope/";
    static final String SOAP12_NS = "http://www.w3.org/2003/05/soap-envelope";

    static SoapEnvelope read(Document document) {
        Element root = document.getDocumentElement();
        if (is(root, SOAP12_NS, "Envelope")) {
            throw invalid("SOAP 1.2 is not accepted: X-Road message protocol 4.0 uses SOAP 1.1 (namespace " + SOAP11_NS
                    + ")");
        }
        if (!is(root, SOAP11_NS, "Envelope")) {
            throw invalid("not a SOAP 1.1 message: the root element is " + describe(root)
                    + ", expected soap:Envelope in namespace " + SOAP11_NS);
        }
        List<Element> children = children(root, "soap:Envelope");
        int next = 0;
        Element header = null;
        if (next < children.size() && is(children.get(next), SOAP11_NS, "Header")) {
            header = children.get(next++);
        }
        if (next == children.size() || !is(children.get(next), SOAP11_NS, "Body")) {
            String found = next == children.size() ? "nothing" : describe(children.get(next));
            throw invalid("SOAP message has no soap:Body where expected (found " + found
                    + "); soap:Envelope holds an optional soap:Header, then soap:Body");
        }
        Element body = children.get(next++);
        if (next < children.size()) {
            throw invalid("unexpected " + describe(children.get(next)) + " after soap:Body");
        }
        return new SoapEnvelope(root, header, body);
    }

    /** The element children of {@code parent}; text other than white space there is an error. */
    static List<Element> children(Element parent, String where) {
        List<Element> elements = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                elements.add(e);
            } else if (isText(n) && !n.getNodeValue().isBlank()) {
                throw invalid("unexpected text in " + where);
            }
        }
        return elements;
    }

    /** The text of a leaf element, exactly as sent (no trimming). */
    static String text(Element element, String what) {
        for (Node n = element.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element) {
                throw invalid(what + " must hold text only, found " + describe((Element) n));
            }
        }
        return element.getTextContent();
    }

    static boolean is(Element element, String namespace, String localName) {
        return namespace.equals(element.getNamespaceURI()) && localName.equals(element.getLocalName());
    }

    static String describe(Element element) {
        String namespace = element.getNamespaceURI();
        return "<" + element.getTagName() + "> (" + (namespace == null ? "no namespace" : "namespace " + namespace)
                + ")";
    }

    static TrucException invalid(String message) {
        return new TrucException(Origin.CLIENT, ErrorCode.INVALID_REQUEST, message);
    }

    private static boolean isText(Node node) {
        return node.getNodeType() == Node.TEXT_NODE || node.getNodeType() == Node.CDATA_SECTION_NODE;
    }
}
