package vn.truc.registry.trust;

import java.time.Instant;
import java.util.Objects;

/** What the registry knows about one certificate, as an OCSP responder reports it (RFC 6960). */
public sealed interface CertificateStatus {

    /** Issued by us and not revoked. */
    record Good() implements CertificateStatus {}

    /**
     * Revoked at {@code revokedAt} for {@code reason}, an RFC 5280 CRLReason code: 0-10, where 7
     * is not assigned.
     */
    record Revoked(Instant revokedAt, int reason) implements CertificateStatus {
        public Revoked {
            Objects.requireNonNull(revokedAt, "revokedAt");
            if (reason < 0 || reason > 10 || reason == 7) {
                throw new IllegalArgumentException(
                        "reason: " + reason + " (expected: an RFC 5280 CRLReason, 0-10 except 7)");
            }
        }
    }

    /** Not a certificate we know of. */
    record Unknown() implements CertificateStatus {}
}
