package vn.truc.core.edxml;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import vn.truc.core.edxml.EdxmlPackage.BusinessType;
import vn.truc.core.edxml.EdxmlPackage.Kind;
import vn.truc.core.edxml.EdxmlPackage.Organ;
import vn.truc.core.edxml.EdxmlPackage.ResponseFor;

/**
 * Reads {@code edXMLHeader}: {@code MessageHeader} and, for documents, the {@code Bussiness} element
 * of {@code TraceHeaderList}. A header with a {@code StatusCode} is a status; any other is a document.
 */
final class MessageHeaders {
    private static final Set<String> STATUS_CODES = Set.of("01", "02", "03", "04", "05", "06", "13", "15", "16");

    private MessageHeaders() {}

    static EdxmlPackage read(EdxmlNode edxmlHeader, int maxRecipients, EdxmlAttachments attachments) {
        EdxmlNode header = edxmlHeader.required("MessageHeader");
        Organ from = organ(header.required("From"));
        List<ResponseFor> responseFor = header.all("ResponseFor").stream()
                .map(MessageHeaders::responseFor)
                .toList();
        if (header.optional("StatusCode").isPresent()) {
            return status(header, from, responseFor, attachments);
        }
        List<Organ> to = recipients(header, maxRecipients);
        String documentId = documentId(header.pathOf("DocumentId"), header.requiredText("DocumentId"));
        EdxmlNode code = header.required("Code");
        Optional<EdxmlNode> business = business(edxmlHeader);
        BusinessType type = business.map(MessageHeaders::businessType).orElse(BusinessType.NEW);
        List<String> replaced = business.map(b -> replacedDocumentIds(b, type)).orElse(List.of());
        return new EdxmlPackage(
                Kind.DOCUMENT,
                documentId,
                from,
                to,
                header.text("Subject"),
                code.requiredText("CodeNumber"),
                code.text("CodeNotation"),
                type,
                replaced,
                responseFor,
                null,
                null,
                null,
                attachments.refs(),
                attachments.manifestContentIds());
    }

    private static EdxmlPackage status(
            EdxmlNode header, Organ from, List<ResponseFor> responseFor, EdxmlAttachments attachments) {
        if (!header.all("To").isEmpty()) {
            throw Edxml.invalid(header.path() + " has both StatusCode and To (expected: a status has no To)");
        }
        if (responseFor.size() != 1) {
            throw Edxml.invalid(header.pathOf("ResponseFor") + " appears " + responseFor.size()
                    + " times in a status (expected: once, naming the document the status is about)");
        }
        String statusCode = header.requiredText("StatusCode");
        if (!STATUS_CODES.contains(statusCode)) {
            throw Edxml.invalid(header.pathOf("StatusCode") + " '" + statusCode + "' is not one of 01-06, 13, 15, 16");
        }
        return new EdxmlPackage(
                Kind.STATUS,
                responseFor.get(0).documentId(),
                from,
                List.of(),
                header.text("Subject"),
                null,
                null,
                BusinessType.NEW,
                List.of(),
                responseFor,
                statusCode,
                header.text("Description"),
                header.text("Timestamp"),
                attachments.refs(),
                attachments.manifestContentIds());
    }

    private static Organ organ(EdxmlNode node) {
        return new Organ(node.agencyCode("OrganId"), node.text("OrganName"));
    }

    private static List<Organ> recipients(EdxmlNode header, int maxRecipients) {
        List<EdxmlNode> nodes = header.all("To");
        if (nodes.isEmpty()) {
            throw Edxml.invalid(header.pathOf("To") + " is missing (expected: at least one recipient for a document,"
                    + " or a StatusCode for a status)");
        }
        if (nodes.size() > maxRecipients) {
            throw Edxml.invalid(
                    "a document to " + nodes.size() + " recipients has too many (limit: " + maxRecipients + ")");
        }
        List<Organ> to = new ArrayList<>(nodes.size());
        Set<String> seen = new HashSet<>();
        for (EdxmlNode node : nodes) {
            Organ organ = organ(node);
            if (!seen.add(organ.organId())) {
                throw Edxml.invalid(node.pathOf("OrganId") + " '" + organ.organId() + "' is already a recipient");
            }
            to.add(organ);
        }
        return to;
    }

    private static ResponseFor responseFor(EdxmlNode node) {
        return new ResponseFor(
                node.agencyCode("OrganId"),
                node.text("Code"),
                node.text("PromulgationDate"),
                documentId(node.pathOf("DocumentId"), node.requiredText("DocumentId")));
    }

    /** Checks {@code {OrganId},{yyyy/MM/dd},{CodeNumber}/{CodeNotation}} loosely: three non-blank parts. */
    private static String documentId(String path, String id) {
        String[] parts = id.split(",", 3);
        if (parts.length < 3 || parts[0].isBlank() || parts[1].isBlank() || parts[2].isBlank()) {
            throw Edxml.invalid(path + " '" + id + "' is not in the form {OrganId},{yyyy/MM/dd},{CodeNumber}/"
                    + "{CodeNotation}, e.g. 000.00.00.G22,2015/09/30,7816/VPCP-TTĐT");
        }
        return id;
    }

    /** Real traffic spells it {@code Bussiness}; the correct spelling is accepted too, but not both. */
    private static Optional<EdxmlNode> business(EdxmlNode edxmlHeader) {
        Optional<EdxmlNode> traces = edxmlHeader.optional("TraceHeaderList");
        Optional<EdxmlNode> misspelt = traces.flatMap(t -> t.optional("Bussiness"));
        Optional<EdxmlNode> spelt = traces.flatMap(t -> t.optional("Business"));
        if (misspelt.isPresent() && spelt.isPresent()) {
            throw Edxml.invalid("TraceHeaderList has both Bussiness and Business (expected: one)");
        }
        return misspelt.or(() -> spelt);
    }

    private static BusinessType businessType(EdxmlNode business) {
        boolean misspelt = business.optional("BussinessDocType").isPresent();
        if (misspelt && business.optional("BusinessDocType").isPresent()) {
            throw Edxml.invalid(business.path() + " has both BussinessDocType and BusinessDocType (expected: one)");
        }
        String name = misspelt ? "BussinessDocType" : "BusinessDocType";
        String value = business.text(name);
        if (value == null) {
            return BusinessType.NEW;
        }
        for (BusinessType type : BusinessType.values()) {
            if (value.equals(String.valueOf(type.code()))) {
                return type;
            }
        }
        throw Edxml.invalid(business.pathOf(name) + " '" + value + "' is not one of 0 (new), 1 (revoke), 2 (update),"
                + " 3 (replace)");
    }

    private static List<String> replacedDocumentIds(EdxmlNode business, BusinessType type) {
        List<String> ids = business.optional("ReplacementInfoList").stream()
                .flatMap(list -> list.all("ReplacementInfo").stream())
                .map(info -> documentId(info.pathOf("DocumentId"), info.requiredText("DocumentId")))
                .toList();
        if (type == BusinessType.REPLACE && ids.isEmpty()) {
            throw Edxml.invalid(business.path() + " replaces a document but names none in"
                    + " ReplacementInfoList/ReplacementInfo/DocumentId");
        }
        return ids;
    }
}
