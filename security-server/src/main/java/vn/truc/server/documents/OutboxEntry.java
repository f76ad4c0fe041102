package vn.truc.server.documents;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import vn.truc.core.edxml.EdxmlPackage.BusinessType;
import vn.truc.core.id.ClientId;

/**
 * A document a client of this server sends, accepted into the outbox.
 *
 * @param id the outbox id the sender is answered with
 * @param contentSha256 lower-case hex SHA-256 of the stored package
 * @param storedPath where the package lives on disk
 * @param duplicate whether this accept repeated an earlier one: the entry is the first one, and
 *     nothing was stored for the repeat
 */
public record OutboxEntry(
        long id,
        ClientId sender,
        String documentId,
        BusinessType businessType,
        String contentSha256,
        long contentSize,
        Path storedPath,
        Instant createdAt,
        PackageInfo info,
        boolean duplicate) {
    public OutboxEntry {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(documentId, "documentId");
        Objects.requireNonNull(businessType, "businessType");
        Objects.requireNonNull(contentSha256, "contentSha256");
        Objects.requireNonNull(storedPath, "storedPath");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    OutboxEntry asDuplicate() {
        return new OutboxEntry(
                id, sender, documentId, businessType, contentSha256, contentSize, storedPath, createdAt, info, true);
    }
}
