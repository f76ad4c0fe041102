package vn.truc.core.edxml;

import java.util.Objects;
import org.w3c.dom.Element;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;
import vn.truc.core.xml.SecureXml;

/**
 * Reads edXML packages (QCVN 102:2016/BTTTT, namespace {@value #NAMESPACE}): validates one and
 * extracts what the gateway routes and records. It only reads: the gateway delivers the original
 * bytes, which receivers compare byte for byte.
 *
 * <p>Real senders vary element order and prefixes, and no XSD is published, so elements are found by
 * namespace and local name in any order; what the gateway needs must be present, well-formed and
 * unambiguous. Every refusal is a {@link TrucException} from {@link Origin#CLIENT}: {@link
 * ErrorCode#HOSTILE_XML} or {@link ErrorCode#INVALID_XML} from the parser, {@link
 * ErrorCode#BODY_TOO_LARGE} over {@link Limits#maxBytes()}, otherwise {@link ErrorCode#INVALID_REQUEST}
 * with a message that names the element, e.g. {@code edXML: MessageHeader/From/OrganId is missing}.
 */
public final class Edxml {
    /** The namespace of every edXML element. */
    public static final String NAMESPACE = EdxmlNode.NAMESPACE;

    /**
     * Bounds on one package, all from configuration.
     *
     * @param maxBytes the largest package, in bytes, base64 attachments included
     * @param maxAttachments the most attachments (and manifest references) in one package
     * @param maxRecipients the most {@code To} agencies of one document
     */
    public record Limits(int maxBytes, int maxAttachments, int maxRecipients) {
        public Limits {
            if (maxBytes < 1 || maxAttachments < 0 || maxRecipients < 1) {
                throw new IllegalArgumentException("edXML limits: maxBytes " + maxBytes + ", maxAttachments "
                        + maxAttachments + ", maxRecipients " + maxRecipients
                        + " (expected: maxBytes >= 1, maxAttachments >= 0, maxRecipients >= 1)");
            }
        }
    }

    private Edxml() {}

    /** Validates {@code xml} as an edXML package and returns its facts; {@code xml} is not modified. */
    public static EdxmlPackage read(byte[] xml, Limits limits) {
        Objects.requireNonNull(xml, "xml");
        Objects.requireNonNull(limits, "limits");
        if (xml.length > limits.maxBytes()) {
            throw new TrucException(
                    Origin.CLIENT,
                    ErrorCode.BODY_TOO_LARGE,
                    "edXML: package of " + xml.length + " bytes is too large (limit: " + limits.maxBytes() + ")");
        }
        EdxmlNode root = root(SecureXml.parse(xml, "edXML").getDocumentElement());
        EdxmlNode envelope = root.required("edXMLEnvelope").asBase();
        EdxmlNode header = envelope.required("edXMLHeader").asBase();
        EdxmlAttachments attachments = EdxmlAttachments.read(root, envelope, limits.maxAttachments());
        return MessageHeaders.read(header, limits.maxRecipients(), attachments);
    }

    /** An {@link ErrorCode#INVALID_REQUEST} from the client: {@code edXML: } and {@code detail}. */
    static TrucException invalid(String detail) {
        return new TrucException(Origin.CLIENT, ErrorCode.INVALID_REQUEST, "edXML: " + detail);
    }

    private static EdxmlNode root(Element root) {
        if (!NAMESPACE.equals(root.getNamespaceURI()) || !"edXML".equals(root.getLocalName())) {
            throw invalid("the root element is {" + Objects.toString(root.getNamespaceURI(), "") + "}"
                    + root.getLocalName() + " (expected: {" + NAMESPACE + "}edXML)");
        }
        return new EdxmlNode(root, "");
    }
}
