package vn.truc.registry;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import vn.truc.core.crypto.Certificates;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;
import vn.truc.core.globalconf.GlobalConf;
import vn.truc.core.registration.RegistrationRequest;
import vn.truc.registry.store.Registration;
import vn.truc.registry.store.RegistryStore;
import vn.truc.registry.trust.CertificateStatus;

/**
 * Accepts registration requests: both signatures verify, both certificates come from an approved
 * CA, are valid and not revoked, and name the server and its owner; the request is fresh. What
 * passes waits, pending, for an administrator.
 */
final class Registrations {
    private static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(10);

    private final RegistryStore store;
    private final Clock clock;

    Registrations(RegistryStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    Registration submit(byte[] signedJson) {
        RegistrationRequest request;
        try {
            request = RegistrationRequest.fromSignedJson(signedJson);
        } catch (TrucException e) {
            throw e.withOrigin(Origin.CLIENT);
        }
        if (!request.serverId().instance().equals(store.instance())) {
            throw refuse(
                    ErrorCode.UNKNOWN_SERVER,
                    "server " + request.serverId() + " is not of instance " + store.instance());
        }
        Instant now = clock.instant();
        if (Duration.between(request.requestedAt(), now).abs().compareTo(MAX_CLOCK_SKEW) > 0) {
            throw refuse(
                    ErrorCode.INVALID_REQUEST,
                    "request time " + request.requestedAt() + " is too far from the registry's clock " + now);
        }
        checkCertificate(request.authCertificate(), request.serverId().toString(), "auth", now);
        checkCertificate(request.signCertificate(), request.serverId().owner().toString(), "sign", now);
        return store.submitRegistration(
                request.serverId(), request.address(), request.authCertificate(), request.signCertificate());
    }

    private void checkCertificate(X509Certificate certificate, String holder, String kind, Instant now) {
        String named = Certificates.subjectSerialNumber(certificate).orElse("(none)");
        if (!named.equals(holder)) {
            throw refuse(ErrorCode.INVALID_CERTIFICATE, kind + " certificate names " + named + ", not " + holder);
        }
        if (!Certificates.isValidAt(certificate, now)) {
            throw refuse(
                    ErrorCode.INVALID_CERTIFICATE,
                    kind + " certificate is not valid now (valid "
                            + certificate.getNotBefore().toInstant() + " to "
                            + certificate.getNotAfter().toInstant() + ")");
        }
        if (!issuedByApprovedCa(certificate, store.certificationAuthorities())) {
            throw refuse(ErrorCode.INVALID_CERTIFICATE, kind + " certificate is not issued by an approved CA");
        }
        if (store.certificateStatus(certificate.getSerialNumber()) instanceof CertificateStatus.Revoked revoked) {
            throw refuse(ErrorCode.INVALID_CERTIFICATE, kind + " certificate was revoked at " + revoked.revokedAt());
        }
    }

    private static boolean issuedByApprovedCa(
            X509Certificate certificate, List<GlobalConf.CertificationAuthority> cas) {
        for (GlobalConf.CertificationAuthority ca : cas) {
            if (!ca.certificate().getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
                continue;
            }
            try {
                certificate.verify(ca.certificate().getPublicKey());
                return true;
            } catch (GeneralSecurityException e) {
                // not this CA; try the next
            }
        }
        return false;
    }

    private static TrucException refuse(ErrorCode code, String message) {
        return new TrucException(Origin.CLIENT, code, "registration refused: " + message);
    }
}
