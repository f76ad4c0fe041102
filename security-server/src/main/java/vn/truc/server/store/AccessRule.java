package vn.truc.server.store;

import java.time.Instant;
import java.util.Objects;
import vn.truc.core.id.ServiceId;

/** One access right: {@code subject} may call {@code service}, since {@code grantedAt}. */
public record AccessRule(ServiceId service, AccessSubject subject, Instant grantedAt) {
    public AccessRule {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(grantedAt, "grantedAt");
    }
}
