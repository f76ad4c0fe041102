package vn.truc.core.soap;

import static vn.truc.core.soap.SoapEnvelope.describe;
import static vn.truc.core.soap.SoapEnvelope.invalid;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.w3c.dom.Element;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;
import vn.truc.core.id.ClientId;
import vn.truc.core.id.ServiceId;

/**
 * Reads the X-Road headers out of a soap:Header. Headers in other namespaces belong to the service and
 * are left alone, as are X-Road headers Truc does not interpret (protocol extensions, requestHash).
 */
final class XRoadHeaderReader {
    private static final Set<String> SINGLE =
            Set.of("client", "service", "centralService", "id", "userId", "issue", "protocolVersion");
    private static final List<String> CLIENT_FIELDS =
            List.of("xRoadInstance", "memberClass", "memberCode", "subsystemCode");
    private static final List<String> SERVICE_FIELDS =
            List.of("xRoadInstance", "memberClass", "memberCode", "subsystemCode", "serviceCode", "serviceVersion");

    private XRoadHeaderReader() {}

    static XRoadHeaders read(Element header) {
        Map<String, Element> found = new HashMap<>();
        for (Element e : SoapEnvelope.children(header, "soap:Header")) {
            if (XRoadSoap.XROAD_NS.equals(e.getNamespaceURI())
                    && SINGLE.contains(e.getLocalName())
                    && found.putIfAbsent(e.getLocalName(), e) != null) {
                throw invalid("SOAP header xrd:" + e.getLocalName() + " occurs more than once");
            }
        }
        if (found.containsKey("centralService")) {
            throw invalid("SOAP header xrd:centralService is not supported: name the service in xrd:service");
        }
        ClientId client = client(required(found, "client"));
        ServiceId service = service(required(found, "service"));
        String id = SoapEnvelope.text(required(found, "id"), "xrd:id");
        if (id.isBlank()) {
            throw invalid("SOAP header xrd:id is empty (expected a unique message id, e.g. a UUID)");
        }
        String version = SoapEnvelope.text(required(found, "protocolVersion"), "xrd:protocolVersion");
        if (!XRoadSoap.PROTOCOL_VERSION.equals(version)) {
            throw invalid("xrd:protocolVersion is '" + version + "', expected " + XRoadSoap.PROTOCOL_VERSION);
        }
        return new XRoadHeaders(client, service, id, optional(found, "userId"), optional(found, "issue"), version);
    }

    private static ClientId client(Element e) {
        String type = objectType(e, "xrd:client");
        if (!type.equals("MEMBER") && !type.equals("SUBSYSTEM")) {
            throw invalid("xrd:client objectType must be MEMBER or SUBSYSTEM, not '" + type + "'");
        }
        Map<String, String> f = fields(e, "xrd:client", CLIENT_FIELDS, 3);
        if (type.equals("SUBSYSTEM") != f.containsKey("subsystemCode")) {
            throw invalid(
                    type.equals("SUBSYSTEM")
                            ? "xrd:client has objectType SUBSYSTEM but no id:subsystemCode"
                            : "xrd:client has objectType MEMBER but an id:subsystemCode");
        }
        return identifier("xrd:client", () -> member(f));
    }

    private static ServiceId service(Element e) {
        String type = objectType(e, "xrd:service");
        if (!type.equals("SERVICE")) {
            throw invalid("xrd:service objectType must be SERVICE, not '" + type + "'");
        }
        Map<String, String> f = fields(e, "xrd:service", SERVICE_FIELDS, 3);
        if (!f.containsKey("serviceCode")) {
            throw invalid("xrd:service has no id:serviceCode");
        }
        return identifier("xrd:service", () -> new ServiceId(member(f), f.get("serviceCode"), f.get("serviceVersion")));
    }

    /** The member or subsystem the identifier fields {@code f} name. */
    private static ClientId member(Map<String, String> f) {
        return new ClientId(f.get("xRoadInstance"), f.get("memberClass"), f.get("memberCode"), f.get("subsystemCode"));
    }

    private static String objectType(Element e, String what) {
        if (!e.hasAttributeNS(XRoadSoap.IDENTIFIERS_NS, "objectType")) {
            throw invalid(what + " has no id:objectType attribute (namespace " + XRoadSoap.IDENTIFIERS_NS + ")");
        }
        return e.getAttributeNS(XRoadSoap.IDENTIFIERS_NS, "objectType");
    }

    /**
     * The identifier fields of {@code e}, which must appear in schema order, each at most once; the first
     * {@code mandatory} of {@code order} must be present.
     */
    private static Map<String, String> fields(Element e, String what, List<String> order, int mandatory) {
        Map<String, String> fields = new HashMap<>();
        int last = -1;
        for (Element child : SoapEnvelope.children(e, what)) {
            int index =
                    XRoadSoap.IDENTIFIERS_NS.equals(child.getNamespaceURI()) ? order.indexOf(child.getLocalName()) : -1;
            if (index < 0) {
                throw invalid(what + " holds unexpected " + describe(child));
            }
            if (index <= last) {
                throw invalid(what + ": id:" + child.getLocalName() + " is repeated or out of order (expected "
                        + String.join(", ", order) + ")");
            }
            last = index;
            fields.put(child.getLocalName(), SoapEnvelope.text(child, what + "/id:" + child.getLocalName()));
        }
        for (String name : order.subList(0, mandatory)) {
            if (!fields.containsKey(name)) {
                throw invalid(what + " has no id:" + name);
            }
        }
        return fields;
    }

    private static <T> T identifier(String what, Supplier<T> build) {
        try {
            return build.get();
        } catch (TrucException e) {
            throw new TrucException(Origin.CLIENT, e.code(), what + ": " + e.getMessage(), e);
        }
    }

    private static Element required(Map<String, Element> found, String name) {
        Element e = found.get(name);
        if (e == null) {
            throw invalid("SOAP header xrd:" + name + " is missing");
        }
        return e;
    }

    private static String optional(Map<String, Element> found, String name) {
        Element e = found.get(name);
        return e == null ? null : SoapEnvelope.text(e, "xrd:" + name);
    }
}
