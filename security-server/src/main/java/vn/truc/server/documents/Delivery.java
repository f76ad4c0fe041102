package vn.truc.server.documents;

import java.time.Instant;
import java.util.Objects;
import vn.truc.core.id.ClientId;

/**
 * Where the delivery of one outbox document to one recipient stands. The recipient's receipt is
 * read apart, through {@link DocumentStore#receipt}.
 *
 * @param attempts how many attempts failed and were retried
 * @param nextAttemptAt when the delivery is due: after the back-off of a QUEUED one, or when the
 *     lease of a DELIVERING one runs out
 * @param lastError why the last attempt failed, or null
 * @param deliveredAt when the recipient's receipt arrived; null unless DELIVERED
 */
public record Delivery(
        long outboxId,
        ClientId recipient,
        State state,
        int attempts,
        Instant nextAttemptAt,
        String lastError,
        Instant deliveredAt) {
    public Delivery {
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
    }

    /** A delivery's state: DELIVERED and FAILED are final. */
    public enum State {
        QUEUED,
        DELIVERING,
        DELIVERED,
        FAILED
    }
}
