package vn.truc.core.globalconf;

import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import vn.truc.core.crypto.Certificates;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;
import vn.truc.core.xml.SecureXml;

/**
 * What a security server trusts from the start: the instance, where its registry publishes, and
 * the registry's configuration-signing certificate. Handed over out of band; an operator compares
 * {@link #certificateHash()} with the one the registry's operator reads out.
 */
public record Anchor(String instance, URI registryUrl, X509Certificate signingCertificate, Instant generatedAt) {
    public static final String NS = "urn:truc:anchor:1";

    public String certificateHash() {
        return Certificates.sha256Hex(signingCertificate);
    }

    public byte[] toXml() {
        Document doc = SecureXml.newDocument();
        Element root = doc.createElementNS(NS, "anchor");
        root.setAttributeNS(javax.xml.XMLConstants.XMLNS_ATTRIBUTE_NS_URI, "xmlns", NS);
        doc.appendChild(root);
        root.setAttribute("instance", instance);
        root.setAttribute("generatedAt", generatedAt.toString());
        append(root, "registryUrl", registryUrl.toString());
        Element cert = append(root, "signingCertificate", GlobalConfXml.base64(signingCertificate));
        cert.setAttribute("sha256", certificateHash());
        return SecureXml.toBytes(doc);
    }

    public static Anchor fromXml(byte[] xml) {
        Document doc = SecureXml.parse(xml, "anchor");
        Element root = doc.getDocumentElement();
        if (!NS.equals(root.getNamespaceURI()) || !"anchor".equals(root.getLocalName())) {
            throw invalid("document element is not {" + NS + "}anchor");
        }
        try {
            X509Certificate certificate =
                    Certificates.fromDer(Base64.getMimeDecoder().decode(text(root, "signingCertificate")));
            return new Anchor(
                    root.getAttribute("instance"),
                    URI.create(text(root, "registryUrl")),
                    certificate,
                    Instant.parse(root.getAttribute("generatedAt")));
        } catch (RuntimeException e) {
            if (e instanceof TrucException t) {
                throw t;
            }
            throw invalid(e.getMessage());
        }
    }

    private static Element append(Element parent, String name, String text) {
        Element e = parent.getOwnerDocument().createElementNS(NS, name);
        e.setTextContent(text);
        parent.appendChild(e);
        return e;
    }

    private static String text(Element root, String name) {
        for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(e.getLocalName())) {
                return e.getTextContent().trim();
            }
        }
        throw invalid("missing <" + name + ">");
    }

    private static TrucException invalid(String reason) {
        return new TrucException(Origin.CLIENT, ErrorCode.INVALID_XML, "anchor: " + reason);
    }
}
