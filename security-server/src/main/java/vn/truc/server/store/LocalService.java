package vn.truc.server.store;

import java.net.URI;
import java.util.Objects;
import vn.truc.core.id.ServiceId;

/**
 * A service this security server provides for one of its subsystems: where its backend listens
 * and which protocol it speaks. A disabled service stays configured, with its access rules, but
 * is not called.
 */
public record LocalService(ServiceId id, URI backend, Protocol protocol, boolean enabled) {
    public LocalService {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(protocol, "protocol");
    }
}
