package vn.truc.core.edxml;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import vn.truc.core.edxml.EdxmlPackage.AttachmentRef;

/**
 * The attachments of a package ({@code AttachmentEncoded/Attachment}, after the envelope) and the
 * manifest that lists them ({@code edXMLBody/edXMLManifest/Reference}). Every reference must name an
 * attachment and every attachment must be referenced, each content id once. Reading checks the
 * structure only; {@link #refs()} decodes the contents.
 */
final class EdxmlAttachments {
    private final List<EdxmlNode> attachments;
    private final List<String> contentIds;
    private final List<String> manifestContentIds;

    private EdxmlAttachments(List<EdxmlNode> attachments, List<String> contentIds, List<String> manifestContentIds) {
        this.attachments = attachments;
        this.contentIds = contentIds;
        this.manifestContentIds = manifestContentIds;
    }

    static EdxmlAttachments read(EdxmlNode root, EdxmlNode envelope, int maxAttachments) {
        List<EdxmlNode> attachments = root.optional("AttachmentEncoded")
                .map(encoded -> encoded.all("Attachment"))
                .orElse(List.of());
        List<EdxmlNode> references = envelope.optional("edXMLBody")
                .flatMap(body -> body.optional("edXMLManifest"))
                .map(manifest -> manifest.all("Reference"))
                .orElse(List.of());
        int count = Math.max(attachments.size(), references.size());
        if (count > maxAttachments) {
            throw Edxml.invalid(
                    "a package with " + count + " attachments has too many (limit: " + maxAttachments + ")");
        }
        List<String> contentIds = contentIds(attachments);
        List<String> manifestContentIds = contentIds(references);
        Set<String> attached = Set.copyOf(contentIds);
        Set<String> listed = Set.copyOf(manifestContentIds);
        for (String id : manifestContentIds) {
            if (!attached.contains(id)) {
                throw Edxml.invalid(
                        "attachment '" + id + "' listed in edXMLManifest is missing from AttachmentEncoded");
            }
        }
        for (String id : contentIds) {
            if (!listed.contains(id)) {
                throw Edxml.invalid("attachment '" + id + "' is not listed in edXMLManifest");
            }
        }
        return new EdxmlAttachments(attachments, contentIds, manifestContentIds);
    }

    List<String> manifestContentIds() {
        return manifestContentIds;
    }

    /** Decodes every attachment's content to measure and hash it. */
    List<AttachmentRef> refs() {
        List<AttachmentRef> refs = new ArrayList<>(attachments.size());
        for (int i = 0; i < attachments.size(); i++) {
            refs.add(ref(attachments.get(i), contentIds.get(i)));
        }
        return refs;
    }

    private static AttachmentRef ref(EdxmlNode attachment, String contentId) {
        String name = attachment.text("AttachmentName");
        EdxmlNode content = attachment.required("ContentTransferEncoded");
        Base64Digest.Result decoded;
        try {
            decoded = Base64Digest.of(content.element().getTextContent());
        } catch (IllegalArgumentException e) {
            throw Edxml.invalid("attachment '" + Objects.requireNonNullElse(name, contentId) + "' is not valid base64 ("
                    + content.path() + ": " + e.getMessage() + ")");
        }
        return new AttachmentRef(
                contentId, name, attachment.text("ContentType"), decoded.size(), decoded.sha256Base64());
    }

    private static List<String> contentIds(List<EdxmlNode> nodes) {
        Set<String> ids = new LinkedHashSet<>();
        for (EdxmlNode node : nodes) {
            String id = node.requiredText("ContentId");
            if (!ids.add(id)) {
                throw Edxml.invalid(node.pathOf("ContentId") + " '" + id + "' is not unique");
            }
        }
        return List.copyOf(ids);
    }
}
