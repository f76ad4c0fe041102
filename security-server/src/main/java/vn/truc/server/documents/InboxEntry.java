package vn.truc.server.documents;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import vn.truc.core.edxml.EdxmlPackage.BusinessType;
import vn.truc.core.id.ClientId;

/**
 * A document received for a client of this server, waiting for or picked up by its DMS.
 *
 * @param id the inbox id, also the cursor of {@link DocumentStore#newSince}
 * @param recipient the client of this server the document is for
 * @param sender the sending member (never a subsystem: de-duplication is per agency)
 * @param senderClient the sending subsystem, which statuses about the document go back to
 * @param messageId the exchange message that carried the document
 * @param contentSha256 lower-case hex SHA-256 of the stored package
 * @param pickedUpAt when the DMS acknowledged it, or null
 * @param duplicate whether this receive repeated an earlier one: the entry is the first one, and
 *     nothing was stored for the repeat
 */
public record InboxEntry(
        long id,
        ClientId recipient,
        ClientId sender,
        String documentId,
        BusinessType businessType,
        String messageId,
        String contentSha256,
        long contentSize,
        Path storedPath,
        Instant receivedAt,
        Instant pickedUpAt,
        PickupState pickupState,
        PackageInfo info,
        ClientId senderClient,
        boolean duplicate) {
    public InboxEntry {
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(documentId, "documentId");
        Objects.requireNonNull(businessType, "businessType");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(contentSha256, "contentSha256");
        Objects.requireNonNull(storedPath, "storedPath");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(pickupState, "pickupState");
    }

    InboxEntry asDuplicate() {
        return new InboxEntry(
                id,
                recipient,
                sender,
                documentId,
                businessType,
                messageId,
                contentSha256,
                contentSize,
                storedPath,
                receivedAt,
                pickedUpAt,
                pickupState,
                info,
                senderClient,
                true);
    }

    /** Whether the recipient's DMS has taken the document: NEW until it acknowledges. */
    public enum PickupState {
        NEW,
        DONE,
        FAILED
    }
}
