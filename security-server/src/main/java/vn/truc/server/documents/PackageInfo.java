package vn.truc.server.documents;

import java.util.Objects;
import vn.truc.core.document.DocumentManifest.Kind;
import vn.truc.core.edxml.EdxmlPackage.BusinessType;

/**
 * What kind of package an outbox or inbox entry holds, and the key that recognises it again.
 *
 * @param statusCode the status code of a status; null for a document
 * @param dedupeKey with the sender and DocumentId, what makes two sends the same package: the
 *     business type for a document, {@code STATUS:{code}:{timestamp}} for a status
 * @param contentType the media type the package was submitted with, which it is fetched with
 * @param messageId names the package on every delivery attempt and in the message log
 */
public record PackageInfo(Kind kind, String statusCode, String dedupeKey, String contentType, String messageId) {
    public PackageInfo {
        Objects.requireNonNull(kind, "kind");
        DocumentChecks.text("dedupeKey", dedupeKey, 64);
        DocumentChecks.text("contentType", contentType, 255);
        DocumentChecks.text("messageId", messageId, 64);
        if ((kind == Kind.STATUS) != (statusCode != null)) {
            throw new IllegalArgumentException("a status, and only a status, has a status code");
        }
    }

    /** A document with business type {@code type}. */
    public static PackageInfo document(BusinessType type, String contentType, String messageId) {
        return new PackageInfo(Kind.DOCUMENT, null, type.name(), contentType, messageId);
    }

    /** A status {@code code} stamped {@code timestamp} by its sender. */
    public static PackageInfo status(String code, String timestamp, String contentType, String messageId) {
        String key = "STATUS:" + code + ":" + (timestamp == null ? "" : timestamp);
        return new PackageInfo(
                Kind.STATUS, code, key.length() > 64 ? key.substring(0, 64) : key, contentType, messageId);
    }
}
