package vn.truc.core.soap;

import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import vn.truc.core.error.ErrorJson;
import vn.truc.core.error.TrucException;
import vn.truc.core.xml.SecureXml;

/**
 * SOAP 1.1 faults in X-Road's shape: {@code faultcode} is the error type ({@code
 * server.clientproxy.access_denied}), {@code faultstring} the message, and {@code
 * detail/faultDetail} the fault id an operator finds in the log. Send them with HTTP status 500, as
 * SOAP 1.1 over HTTP requires.
 */
public final class SoapFaults {
    private static final String PREFIX = "SOAP-ENV";

    private SoapFaults() {}

    /** The fault envelope for {@code e}. */
    public static byte[] fault(TrucException e) {
        Document document = SecureXml.newDocument();
        Element envelope = document.createElementNS(SoapEnvelope.SOAP11_NS, PREFIX + ":Envelope");
        envelope.setAttributeNS(XMLConstants.XMLNS_ATTRIBUTE_NS_URI, "xmlns:" + PREFIX, SoapEnvelope.SOAP11_NS);
        document.appendChild(envelope);
        Element body = append(envelope, SoapEnvelope.SOAP11_NS, PREFIX + ":Body");
        Element fault = append(body, SoapEnvelope.SOAP11_NS, PREFIX + ":Fault");
        append(fault, null, "faultcode").setTextContent(ErrorJson.type(e));
        String message = e.getMessage() == null ? e.code().code() : e.getMessage();
        append(fault, null, "faultstring").setTextContent(xmlText(message));
        Element detail = append(fault, null, "detail");
        append(detail, null, "faultDetail").setTextContent(e.faultId());
        return SecureXml.toBytes(document);
    }

    /**
     * Whether {@code envelope} is a SOAP 1.1 fault: its Body's first element is soap:Fault. Well-formed XML
     * of any other shape is not a fault; malformed or hostile XML is refused as {@link SecureXml} does.
     */
    public static boolean isFault(byte[] envelope) {
        Element root = SecureXml.parse(envelope, "SOAP message").getDocumentElement();
        if (!SoapEnvelope.is(root, SoapEnvelope.SOAP11_NS, "Envelope")) {
            return false;
        }
        for (Element child : elements(root)) {
            if (SoapEnvelope.is(child, SoapEnvelope.SOAP11_NS, "Body")) {
                List<Element> content = elements(child);
                return !content.isEmpty() && SoapEnvelope.is(content.get(0), SoapEnvelope.SOAP11_NS, "Fault");
            }
        }
        return false;
    }

    private static List<Element> elements(Element parent) {
        List<Element> elements = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                elements.add(e);
            }
        }
        return elements;
    }

    private static Element append(Element parent, String namespace, String name) {
        Element child = parent.getOwnerDocument().createElementNS(namespace, name);
        parent.appendChild(child);
        return child;
    }

    /** Characters XML 1.0 cannot carry (most control characters, lone surrogates) become U+FFFD. */
    private static String xmlText(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> out.appendCodePoint(allowed(c) ? c : 0xFFFD));
        return out.toString();
    }

    private static boolean allowed(int c) {
        return c == 0x9
                || c == 0xA
                || c == 0xD
                || (c >= 0x20 && c <= 0xD7FF)
                || (c >= 0xE000 && c <= 0xFFFD)
                || c >= 0x10000;
    }
}
