package vn.truc.server.proxy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.List;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;
import vn.truc.core.globalconf.GlobalConf;
import vn.truc.core.id.ServiceId;
import vn.truc.core.soap.XRoadSoap;
import vn.truc.core.xml.SecureXml;

/** The metadata services' answers, in X-Road's REST JSON shapes. */
final class MetaServices {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MetaServices() {}

    /** {@code listMethods} / {@code allowedMethods}: {@code {"service": [...]}}. */
    static String methodsJson(List<ServiceId> services) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = root.putArray("service");
        for (ServiceId s : services) {
            ObjectNode node = list.addObject()
                    .put("object_type", "SERVICE")
                    .put("xroad_instance", s.provider().instance())
                    .put("member_class", s.provider().memberClass())
                    .put("member_code", s.provider().memberCode())
                    .put("subsystem_code", s.provider().subsystemCode())
                    .put("service_code", s.serviceCode());
            if (s.serviceVersion() != null) {
                node.put("service_version", s.serviceVersion());
            }
        }
        return root.toString();
    }

    /**
     * The SOAP form of {@code listMethods} / {@code allowedMethods}, as X-Road answers it: the
     * request's headers echoed, and {@code xrd:<operation>Response} listing {@code xrd:service}
     * identifiers.
     */
    static byte[] methodsSoap(byte[] requestEnvelope, String operation, List<ServiceId> services) {
        Document doc = SecureXml.parse(requestEnvelope, "SOAP metadata request");
        Element body = soapBody(doc.getDocumentElement());
        while (body.getFirstChild() != null) {
            body.removeChild(body.getFirstChild());
        }
        Element response = doc.createElementNS(XRoadSoap.XROAD_NS, "xrd:" + operation + "Response");
        body.appendChild(response);
        for (ServiceId s : services) {
            Element service = doc.createElementNS(XRoadSoap.XROAD_NS, "xrd:service");
            service.setAttributeNS(XRoadSoap.IDENTIFIERS_NS, "id:objectType", "SERVICE");
            response.appendChild(service);
            append(service, "xRoadInstance", s.provider().instance());
            append(service, "memberClass", s.provider().memberClass());
            append(service, "memberCode", s.provider().memberCode());
            append(service, "subsystemCode", s.provider().subsystemCode());
            append(service, "serviceCode", s.serviceCode());
            if (s.serviceVersion() != null) {
                append(service, "serviceVersion", s.serviceVersion());
            }
        }
        return SecureXml.toBytes(doc);
    }

    private static void append(Element parent, String name, String text) {
        Element e = parent.getOwnerDocument().createElementNS(XRoadSoap.IDENTIFIERS_NS, "id:" + name);
        e.setTextContent(text);
        parent.appendChild(e);
    }

    private static Element soapBody(Element envelope) {
        for (Node n = envelope.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && "Body".equals(e.getLocalName())) {
                return e;
            }
        }
        throw new TrucException(Origin.SERVER_PROXY, ErrorCode.INVALID_REQUEST, "SOAP request has no Body");
    }

    /** {@code listClients}: every member and subsystem of the federation. */
    static String clientsJson(GlobalConf conf) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = root.putArray("member");
        for (GlobalConf.Member m : conf.members()) {
            list.addObject().put("name", m.name()).set("id", id("MEMBER", m, null));
            for (String subsystem : m.subsystems()) {
                list.addObject().put("name", m.name()).set("id", id("SUBSYSTEM", m, subsystem));
            }
        }
        return root.toString();
    }

    private static ObjectNode id(String type, GlobalConf.Member m, String subsystem) {
        ObjectNode id = JSON.createObjectNode()
                .put("object_type", type)
                .put("xroad_instance", m.id().instance())
                .put("member_class", m.id().memberClass())
                .put("member_code", m.id().memberCode());
        if (subsystem != null) {
            id.put("subsystem_code", subsystem);
        }
        return id;
    }

    /**
     * The backend URL for a REST call: the service's base URL with the caller's path and query.
     * The path comes from another agency, so it may only go below the base: no dot segments (plain
     * or percent-encoded), no other host, nothing that is not a plain path and query.
     */
    static URI restUrl(URI base, String pathAndQuery) {
        if (pathAndQuery == null || pathAndQuery.isEmpty()) {
            return base;
        }
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String query = q < 0 ? null : pathAndQuery.substring(q + 1);
        if (!path.startsWith("/") || path.contains("\\") || pathAndQuery.contains("#") || hasDotSegment(path)) {
            throw unsafe(pathAndQuery);
        }
        String basePath = base.getRawPath() == null ? "" : base.getRawPath();
        String joined = (basePath.endsWith("/") ? basePath.substring(0, basePath.length() - 1) : basePath) + path;
        URI url;
        try {
            url = URI.create(
                    base.getScheme() + "://" + base.getRawAuthority() + joined + (query == null ? "" : "?" + query));
        } catch (IllegalArgumentException e) {
            throw unsafe(pathAndQuery);
        }
        if (!base.getScheme().equals(url.getScheme()) || !base.getRawAuthority().equals(url.getRawAuthority())) {
            throw unsafe(pathAndQuery);
        }
        return url;
    }

    private static boolean hasDotSegment(String path) {
        for (String segment : path.split("/", -1)) {
            String decoded = segment.replace("%2e", ".").replace("%2E", ".");
            if (decoded.equals(".") || decoded.equals("..")) {
                return true;
            }
        }
        return false;
    }

    private static TrucException unsafe(String pathAndQuery) {
        return new TrucException(
                Origin.SERVER_PROXY,
                ErrorCode.INVALID_REQUEST,
                "REST path '" + pathAndQuery + "' is not a plain path below the service");
    }
}
