package vn.truc.core.edxml;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import vn.truc.core.error.TrucException;
import vn.truc.core.id.ClientId;

/**
 * An edXML element and the path that names it in error messages. Children are matched by namespace
 * and local name, never by prefix, in any order; an element read as single must not repeat, so that
 * no two readers of the same bytes can pick different ones.
 */
record EdxmlNode(Element element, String path) {
    static final String NAMESPACE = "http://www.mic.gov.vn/TBT/QCVN_102_2016";

    /** The same element, with paths below it starting afresh (for the envelope's containers). */
    EdxmlNode asBase() {
        return new EdxmlNode(element, "");
    }

    /** Every child {@code name}, in document order, named {@code name[1]}, {@code name[2]}, ... */
    List<EdxmlNode> all(String name) {
        List<Element> found = elements(name);
        List<EdxmlNode> nodes = new ArrayList<>(found.size());
        for (int i = 0; i < found.size(); i++) {
            nodes.add(new EdxmlNode(found.get(i), pathOf(name) + "[" + (i + 1) + "]"));
        }
        return nodes;
    }

    /** The child {@code name} if present; more than one is an error. */
    Optional<EdxmlNode> optional(String name) {
        List<Element> found = elements(name);
        if (found.size() > 1) {
            throw Edxml.invalid(pathOf(name) + " appears " + found.size() + " times (expected: at most once)");
        }
        return found.stream().findFirst().map(e -> new EdxmlNode(e, pathOf(name)));
    }

    EdxmlNode required(String name) {
        return optional(name).orElseThrow(() -> Edxml.invalid(pathOf(name) + " is missing"));
    }

    /** The stripped text of the child {@code name}; null when it is absent or blank. */
    String text(String name) {
        return optional(name).map(EdxmlNode::text).filter(t -> !t.isEmpty()).orElse(null);
    }

    String requiredText(String name) {
        String text = required(name).text();
        if (text.isEmpty()) {
            throw Edxml.invalid(pathOf(name) + " is empty");
        }
        return text;
    }

    /** The child {@code name}, which must be an agency code usable as a member code. */
    String agencyCode(String name) {
        String code = requiredText(name);
        try {
            ClientId.member("VN", "GOV", code);
        } catch (TrucException e) {
            throw Edxml.invalid(pathOf(name) + " '" + code + "' is not an agency code (expected: up to 35"
                    + " characters 0-9 A-Z in dot-separated groups, e.g. 000.00.00.G22)");
        }
        return code;
    }

    String text() {
        return element.getTextContent().strip();
    }

    String pathOf(String name) {
        return path.isEmpty() ? name : path + "/" + name;
    }

    private List<Element> elements(String name) {
        List<Element> found = new ArrayList<>();
        for (Node n = element.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && NAMESPACE.equals(e.getNamespaceURI()) && name.equals(e.getLocalName())) {
                found.add(e);
            }
        }
        return found;
    }
}
