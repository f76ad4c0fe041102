package vn.truc.core.xml;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;

/**
 * The only way Truc reads XML: namespace-aware, no DTDs at all (so no external entities and no
 * entity expansion), no XInclude, no external access, bounded depth and size. Anything else is
 * refused with {@link ErrorCode#HOSTILE_XML} or {@link ErrorCode#INVALID_XML} and a message that
 * says which.
 */
public final class SecureXml {
    /** Deeper nesting than this is refused: nothing Truc reads needs it and it costs stack. */
    public static final int MAX_DEPTH = 100;

    private static final DocumentBuilderFactory FACTORY = newFactory();

    private SecureXml() {}

    /** Parses {@code xml}; {@code what} names the input in error messages, e.g. "global configuration". */
    public static Document parse(byte[] xml, String what) {
        try {
            DocumentBuilder builder = FACTORY.newDocumentBuilder();
            builder.setErrorHandler(RETHROW);
            builder.setEntityResolver((publicId, systemId) -> {
                throw new SAXException("external entity " + systemId + " refused");
            });
            return builder.parse(new ByteArrayInputStream(xml));
        } catch (SAXParseException e) {
            throw classify(what, e);
        } catch (SAXException e) {
            throw classify(what, e);
        } catch (IOException | ParserConfigurationException e) {
            throw new TrucException(
                    Origin.CLIENT, ErrorCode.INVALID_XML, what + ": cannot read XML: " + e.getMessage(), e);
        }
    }

    /** A new empty namespace-aware document. */
    public static Document newDocument() {
        try {
            return FACTORY.newDocumentBuilder().newDocument();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Serializes a document as UTF-8 without reformatting it (signatures stay valid). */
    public static byte[] toBytes(Document document) {
        try {
            TransformerFactory factory = TransformerFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
            Transformer transformer = factory.newTransformer();
            transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            transformer.setOutputProperty(OutputKeys.INDENT, "no");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            transformer.transform(new DOMSource(document), new StreamResult(out));
            return out.toByteArray();
        } catch (TransformerException e) {
            throw new IllegalStateException("cannot serialize XML", e);
        }
    }

    private static TrucException classify(String what, SAXException e) {
        String message = String.valueOf(e.getMessage());
        // The JDK parser's messages: a DOCTYPE is refused outright; depth and expansion limits
        // are reported with JAXP limit codes.
        boolean hostile =
                message.contains("DOCTYPE") || message.contains("maxElementDepth") || message.contains("JAXP0");
        if (hostile) {
            return new TrucException(
                    Origin.CLIENT,
                    ErrorCode.HOSTILE_XML,
                    what + ": refused: XML with a DOCTYPE, entities or excessive nesting is not accepted (" + message
                            + ")",
                    e);
        }
        String where = e instanceof SAXParseException p
                ? " at line " + p.getLineNumber() + ", column " + p.getColumnNumber()
                : "";
        return new TrucException(
                Origin.CLIENT, ErrorCode.INVALID_XML, what + ": malformed XML" + where + ": " + message, e);
    }

    private static final ErrorHandler RETHROW = new ErrorHandler() {
        @Override
        public void warning(SAXParseException exception) {}

        @Override
        public void error(SAXParseException exception) throws SAXException {
            throw exception;
        }

        @Override
        public void fatalError(SAXParseException exception) throws SAXException {
            throw exception;
        }
    };

    private static DocumentBuilderFactory newFactory() {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            factory.setAttribute("jdk.xml.maxElementDepth", String.valueOf(MAX_DEPTH));
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            return factory;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("XML parser cannot be secured", e);
        }
    }
}
