package vn.truc.core.globalconf;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import javax.xml.XMLConstants;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import vn.truc.core.crypto.Certificates;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;
import vn.truc.core.id.ClientId;
import vn.truc.core.id.GlobalGroupId;
import vn.truc.core.id.SecurityServerId;
import vn.truc.core.xml.SecureXml;

/**
 * The XML form of {@link GlobalConf} (namespace {@value #NS}), without its signature. A member
 * that takes part in document exchange reads:
 *
 * <pre>{@code
 * <member id="VN/GOV/000.00.00.G22" name="...">
 *   <subsystem code="DMS"/>
 *   <documents subsystem="DMS"/>
 *   <encryptionCertificate>base64 DER</encryptionCertificate>  (one per approved security server)
 * </member>
 * }</pre>
 *
 * Both are optional: a member without them takes no part in document exchange.
 */
public final class GlobalConfXml {
    public static final String NS = "urn:truc:globalconf:1";

    private GlobalConfXml() {}

    /** An unsigned document; the registry signs it before publishing. */
    public static Document write(GlobalConf conf) {
        Document doc = SecureXml.newDocument();
        Element root = doc.createElementNS(NS, "globalConf");
        // Declared explicitly: the signature is computed over the DOM, and the serializer would
        // otherwise add the declaration only when writing, changing what was signed.
        root.setAttributeNS(XMLConstants.XMLNS_ATTRIBUTE_NS_URI, "xmlns", NS);
        doc.appendChild(root);
        root.setAttribute("instance", conf.instance());
        root.setAttribute("serial", Long.toString(conf.serial()));
        root.setAttribute("generatedAt", conf.generatedAt().toString());
        root.setAttribute("expiresAt", conf.expiresAt().toString());
        for (GlobalConf.Member member : conf.members()) {
            Element e = child(root, "member");
            e.setAttribute("id", member.id().toString());
            e.setAttribute("name", member.name());
            member.subsystems().forEach(s -> child(e, "subsystem").setAttribute("code", s));
            if (member.documentSubsystem() != null) {
                child(e, "documents").setAttribute("subsystem", member.documentSubsystem());
            }
            member.encryptionCertificates()
                    .forEach(c -> child(e, "encryptionCertificate").setTextContent(base64(c)));
        }
        for (GlobalConf.SecurityServer server : conf.securityServers()) {
            Element e = child(root, "securityServer");
            e.setAttribute("id", server.id().toString());
            e.setAttribute("address", server.address());
            server.authCertHashes().forEach(h -> child(e, "authCertHash").setTextContent(h));
        }
        for (GlobalConf.CertificationAuthority ca : conf.certificationAuthorities()) {
            Element e = child(root, "certificationAuthority");
            e.setAttribute("name", ca.name());
            if (ca.ocspUrl() != null) {
                e.setAttribute("ocspUrl", ca.ocspUrl());
            }
            child(e, "certificate").setTextContent(base64(ca.certificate()));
        }
        for (GlobalConf.TimestampingAuthority tsa : conf.timestampingAuthorities()) {
            Element e = child(root, "timestampingAuthority");
            e.setAttribute("name", tsa.name());
            e.setAttribute("url", tsa.url());
            child(e, "certificate").setTextContent(base64(tsa.certificate()));
        }
        for (GlobalConf.GlobalGroup group : conf.globalGroups()) {
            Element e = child(root, "globalGroup");
            e.setAttribute("id", group.id().toString());
            e.setAttribute("description", group.description());
            group.members().forEach(m -> child(e, "groupMember").setTextContent(m.toString()));
        }
        return doc;
    }

    /** Reads a document whose signature has already been verified. */
    public static GlobalConf read(Document doc) {
        Element root = doc.getDocumentElement();
        if (!NS.equals(root.getNamespaceURI()) || !"globalConf".equals(root.getLocalName())) {
            throw invalid("document element is not {" + NS + "}globalConf");
        }
        try {
            return new GlobalConf(
                    required(root, "instance"),
                    Long.parseLong(required(root, "serial")),
                    Instant.parse(required(root, "generatedAt")),
                    Instant.parse(required(root, "expiresAt")),
                    list(root, "member", GlobalConfXml::member),
                    list(
                            root,
                            "securityServer",
                            e -> new GlobalConf.SecurityServer(
                                    SecurityServerId.parse(required(e, "id")),
                                    required(e, "address"),
                                    list(e, "authCertHash", Node::getTextContent))),
                    list(
                            root,
                            "certificationAuthority",
                            e -> new GlobalConf.CertificationAuthority(
                                    required(e, "name"),
                                    certificate(e),
                                    e.hasAttribute("ocspUrl") ? e.getAttribute("ocspUrl") : null)),
                    list(
                            root,
                            "timestampingAuthority",
                            e -> new GlobalConf.TimestampingAuthority(
                                    required(e, "name"), required(e, "url"), certificate(e))),
                    list(
                            root,
                            "globalGroup",
                            e -> new GlobalConf.GlobalGroup(
                                    GlobalGroupId.parse(required(e, "id")),
                                    e.getAttribute("description"),
                                    list(
                                            e,
                                            "groupMember",
                                            m -> ClientId.parse(
                                                    m.getTextContent().trim())))));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw invalid(e.getMessage());
        } catch (TrucException e) {
            throw e.code() == ErrorCode.INVALID_XML ? e : invalid(e.getMessage());
        }
    }

    private static GlobalConf.Member member(Element e) {
        ClientId id = ClientId.parseMember(required(e, "id"));
        List<String> documents = list(e, "documents", d -> required(d, "subsystem"));
        if (documents.size() > 1) {
            throw invalid("<member id=\"" + id + "\"> has more than one <documents>");
        }
        try {
            return new GlobalConf.Member(
                    id,
                    required(e, "name"),
                    list(e, "subsystem", s -> required(s, "code")),
                    documents.isEmpty() ? null : documents.get(0),
                    list(e, "encryptionCertificate", c -> fromBase64(c, "<member id=\"" + id + "\">")));
        } catch (IllegalArgumentException ex) {
            throw invalid(ex.getMessage());
        }
    }

    private static Element child(Element parent, String name) {
        Element e = parent.getOwnerDocument().createElementNS(NS, name);
        parent.appendChild(e);
        return e;
    }

    private static <T> List<T> list(Element parent, String name, Function<Element, T> reader) {
        List<T> items = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && NS.equals(e.getNamespaceURI()) && name.equals(e.getLocalName())) {
                items.add(reader.apply(e));
            }
        }
        return items;
    }

    private static String required(Element e, String attribute) {
        if (!e.hasAttribute(attribute)) {
            throw invalid("<" + e.getLocalName() + "> lacks attribute '" + attribute + "'");
        }
        return e.getAttribute(attribute);
    }

    private static X509Certificate certificate(Element e) {
        List<String> texts = list(e, "certificate", Node::getTextContent);
        if (texts.size() != 1) {
            throw invalid("<" + e.getLocalName() + "> must hold one <certificate>");
        }
        try {
            return Certificates.fromDer(
                    Base64.getMimeDecoder().decode(texts.get(0).trim()));
        } catch (IllegalArgumentException ex) {
            throw invalid("<" + e.getLocalName() + "> certificate: " + ex.getMessage());
        }
    }

    /** The certificate in {@code e}'s text, base64 of its DER form. */
    private static X509Certificate fromBase64(Element e, String where) {
        String text = e.getTextContent().trim();
        if (text.isEmpty()) {
            throw invalid(where + " has an empty <" + e.getLocalName() + ">");
        }
        try {
            return Certificates.fromDer(Base64.getMimeDecoder().decode(text));
        } catch (IllegalArgumentException ex) {
            throw invalid(where + " <" + e.getLocalName() + ">: " + ex.getMessage());
        }
    }

    static String base64(X509Certificate certificate) {
        return Base64.getEncoder().encodeToString(Certificates.der(certificate));
    }

    private static TrucException invalid(String reason) {
        return new TrucException(Origin.CLIENT, ErrorCode.INVALID_XML, "global configuration: " + reason);
    }
}
