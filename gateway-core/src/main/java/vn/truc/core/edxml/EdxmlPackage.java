package vn.truc.core.edxml;

import java.util.List;
import java.util.Objects;

/**
 * What the gateway needs to know about one edXML package (QCVN 102:2016/BTTTT): its kind, the document
 * it is or is about, who sends it to whom, its business type and its attachments. Read by {@link
 * Edxml#read}; the package's bytes themselves are delivered unchanged, never rebuilt from this record.
 *
 * @param kind a document or a status
 * @param documentId {@code MessageHeader/DocumentId} of a document; {@code ResponseFor/DocumentId} of a status
 * @param from the sending agency
 * @param to the receiving agencies of a document, in document order; empty for a status
 * @param subject {@code MessageHeader/Subject}, or null
 * @param codeNumber {@code Code/CodeNumber} of a document; null for a status
 * @param codeNotation {@code Code/CodeNotation}, or null
 * @param businessType {@code Bussiness/BussinessDocType}; {@link BusinessType#NEW} when absent and for statuses
 * @param replacedDocumentIds {@code ReplacementInfo/DocumentId} values, present for {@link BusinessType#REPLACE}
 * @param responseFor the documents this package answers; exactly one for a status
 * @param statusCode {@code StatusCode} of a status ({@code 01}-{@code 06}, {@code 13}, {@code 15}, {@code 16});
 *     null for a document
 * @param statusDescription {@code Description} of a status, or null
 * @param statusTimestamp {@code Timestamp} of a status as written ({@code yyyy/MM/dd HH:mm:ss}), or null
 * @param attachments the attachments, in document order
 * @param manifestContentIds {@code edXMLManifest/Reference/ContentId} values, in document order
 */
public record EdxmlPackage(
        Kind kind,
        String documentId,
        Organ from,
        List<Organ> to,
        String subject,
        String codeNumber,
        String codeNotation,
        BusinessType businessType,
        List<String> replacedDocumentIds,
        List<ResponseFor> responseFor,
        String statusCode,
        String statusDescription,
        String statusTimestamp,
        List<AttachmentRef> attachments,
        List<String> manifestContentIds) {

    public EdxmlPackage {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(documentId, "documentId");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(businessType, "businessType");
        to = List.copyOf(to);
        replacedDocumentIds = List.copyOf(replacedDocumentIds);
        responseFor = List.copyOf(responseFor);
        attachments = List.copyOf(attachments);
        manifestContentIds = List.copyOf(manifestContentIds);
    }

    /** Whether a package carries a document or a status about one. */
    public enum Kind {
        DOCUMENT,
        STATUS
    }

    /** {@code Bussiness/BussinessDocType}: what a document does to the document it names. */
    public enum BusinessType {
        NEW(0),
        REVOKE(1),
        UPDATE(2),
        REPLACE(3);

        private final int code;

        BusinessType(int code) {
            this.code = code;
        }

        /** The number written in {@code BussinessDocType}. */
        public int code() {
            return code;
        }
    }

    /**
     * An agency as named in {@code From} or {@code To}.
     *
     * @param organId the agency code, e.g. {@code 000.00.00.G22}; valid as a member code
     * @param organName the agency's name, or null
     */
    public record Organ(String organId, String organName) {
        public Organ {
            Objects.requireNonNull(organId, "organId");
        }
    }

    /**
     * A {@code ResponseFor} element: the document a package answers.
     *
     * @param organId the agency that issued that document; valid as a member code
     * @param code its {@code CodeNumber/CodeNotation}, or null
     * @param promulgationDate its promulgation date as written, or null
     * @param documentId its {@code DocumentId}
     */
    public record ResponseFor(String organId, String code, String promulgationDate, String documentId) {
        public ResponseFor {
            Objects.requireNonNull(organId, "organId");
            Objects.requireNonNull(documentId, "documentId");
        }
    }

    /**
     * An {@code AttachmentEncoded/Attachment}, described without its content.
     *
     * @param contentId {@code ContentId}, matching one {@code edXMLManifest/Reference}
     * @param name {@code AttachmentName}, or null
     * @param contentType {@code ContentType}, or null
     * @param decodedSize the number of bytes the base64 {@code ContentTransferEncoded} text decodes to
     * @param sha256Base64 the base64 SHA-256 digest of those bytes
     */
    public record AttachmentRef(
            String contentId, String name, String contentType, long decodedSize, String sha256Base64) {
        public AttachmentRef {
            Objects.requireNonNull(contentId, "contentId");
            Objects.requireNonNull(sha256Base64, "sha256Base64");
        }
    }
}
