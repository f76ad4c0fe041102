package vn.truc.registry.store;

import java.time.Instant;
import vn.truc.core.id.SecurityServerId;

/** A security server's registration request and what became of it. */
public record Registration(
        long id,
        SecurityServerId serverId,
        String address,
        String authCertHash,
        State state,
        String reason,
        Instant createdAt,
        Instant decidedAt) {

    /** Pending until an administrator approves or rejects it; then final. */
    public enum State {
        PENDING,
        APPROVED,
        REJECTED
    }
}
