package vn.truc.server.store;

import java.util.List;
import vn.truc.core.id.ClientId;

/**
 * One of this server's client subsystems as its administrator set it up.
 *
 * @param certificateHashes SHA-256 (lower-case hex) of the registered TLS certificates, sorted
 * @param logContent whether the content of its messages is logged, not only their metadata
 */
public record LocalClient(
        ClientId id, ConnectionType connectionType, List<String> certificateHashes, boolean logContent) {
    public LocalClient {
        certificateHashes = List.copyOf(certificateHashes);
    }
}
