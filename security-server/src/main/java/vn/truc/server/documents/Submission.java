package vn.truc.server.documents;

import java.util.List;
import java.util.Objects;
import vn.truc.core.document.DocumentManifest.Kind;
import vn.truc.core.edxml.EdxmlPackage.BusinessType;

/**
 * What a DMS submitted, as read from the package: what it is, which document it is or is about,
 * and whom it names as recipients. The package's bytes travel unchanged; this is only what routing,
 * de-duplication and tracking need.
 *
 * @param recipients the recipients as the package names them: agency codes (edXML {@code To/OrganId})
 *     or subsystem identifiers (JSON); for an edXML status, the agency that issued the document
 *     ({@code ResponseFor/OrganId}), which picks among documents that share a DocumentId; empty
 *     for a JSON status, which goes back to the sender of the latest document with its DocumentId
 * @param relatedDocumentIds documents a replace replaces (their recipients get it too)
 * @param statusDescription the status's description, or null
 * @param statusTimestamp the status's own timestamp as written, or null
 * @param staff who set the status, or null
 * @param fromAgency the agency code the package says it comes from (edXML {@code From/OrganId}), or
 *     null when the package does not say (JSON)
 */
public record Submission(
        Kind kind,
        String documentId,
        BusinessType businessType,
        String statusCode,
        List<String> recipients,
        List<String> relatedDocumentIds,
        String statusDescription,
        String statusTimestamp,
        String staff,
        String fromAgency) {
    public Submission {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(documentId, "documentId");
        Objects.requireNonNull(businessType, "businessType");
        recipients = List.copyOf(recipients);
        relatedDocumentIds = List.copyOf(relatedDocumentIds);
    }

    /** How the package is recognised again when the DMS repeats the send. */
    public PackageInfo info(String contentType, String messageId) {
        return kind == Kind.STATUS
                ? PackageInfo.status(statusCode, statusTimestamp, contentType, messageId)
                : PackageInfo.document(businessType, contentType, messageId);
    }
}
