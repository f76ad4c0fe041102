package vn.truc.server.documents;

import java.time.Instant;
import java.util.Objects;
import vn.truc.core.id.ClientId;

/**
 * One status message recorded about a document.
 *
 * @param description the status's {@code Description}, or null
 * @param staff who at the other side set it ({@code StaffInfo}), or null
 * @param at the status's own {@code Timestamp}
 * @param from the member that sent the status
 * @param recordedAt when this server recorded it
 */
public record DocumentStatus(
        long id,
        DocumentRef document,
        StatusCode code,
        String description,
        String staff,
        Instant at,
        ClientId from,
        Instant recordedAt) {
    public DocumentStatus {
        Objects.requireNonNull(document, "document");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(recordedAt, "recordedAt");
    }
}
