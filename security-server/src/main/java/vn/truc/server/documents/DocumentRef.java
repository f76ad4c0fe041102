package vn.truc.server.documents;

import java.util.Objects;
import vn.truc.core.id.ClientId;

/**
 * The document a status is about, named as edXML names it: by its sender and DocumentId.
 *
 * @param direction OUT for a document a client of this server sent, IN for one it received
 */
public record DocumentRef(Direction direction, ClientId sender, String documentId) {
    public DocumentRef {
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(sender, "sender");
        DocumentChecks.text("documentId", documentId, DocumentChecks.MAX_ID);
    }

    /** Which way the document went, seen from this server. */
    public enum Direction {
        IN,
        OUT
    }
}
