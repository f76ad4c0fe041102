package vn.truc.registry;

import java.security.GeneralSecurityException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
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
 * Accepts registration requests: both signatures verify; the auth, sign and encryption
 * certificates come from an approved CA, are valid and not revoked, and name the server and its
 * owner; the encryption certificate is one (a key to encrypt to, not a CA, not a TLS or OCSP
 * key); the request is fresh. What passes waits, pending, for an administrator.
 */
final class Registrations {
    private static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(10);
    private static final int KEY_ENCIPHERMENT = 2;
    private static final int KEY_AGREEMENT = 4;
    /** serverAuth, clientAuth, OCSPSigning. */
    private static final Set<String> FORBIDDEN_PURPOSES =
            Set.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2", "1.3.6.1.5.5.7.3.9");

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
        // A request of an older version carries no encryption certificate: the server takes no
        // part in document exchange until it registers again with one.
        if (request.encryptionCertificate() != null) {
            checkCertificate(
                    request.encryptionCertificate(), request.serverId().owner().toString(), "encryption", now);
            checkEncryptionUsage(request.encryptionCertificate());
        }
        return store.submitRegistration(
                request.serverId(),
                request.address(),
                request.authCertificate(),
                request.signCertificate(),
                request.encryptionCertificate());
    }

    /** Documents are encrypted to this key: it must be meant for that, and for nothing that trusts it otherwise. */
    private static void checkEncryptionUsage(X509Certificate certificate) {
        boolean[] usage = certificate.getKeyUsage();
        if (usage == null || !(usage[KEY_ENCIPHERMENT] || usage[KEY_AGREEMENT])) {
            throw refuse(
                    ErrorCode.INVALID_CERTIFICATE,
                    "encryption certificate allows neither keyEncipherment nor keyAgreement");
        }
        if (certificate.getBasicConstraints() >= 0) {
            throw refuse(ErrorCode.INVALID_CERTIFICATE, "encryption certificate is a CA certificate");
        }
        List<String> extendedUsage;
        try {
            extendedUsage = certificate.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            throw refuse(ErrorCode.INVALID_CERTIFICATE, "encryption certificate: " + e.getMessage());
        }
        if (extendedUsage != null) {
            for (String purpose : extendedUsage) {
                if (FORBIDDEN_PURPOSES.contains(purpose)) {
                    throw refuse(
                            ErrorCode.INVALID_CERTIFICATE,
                            "encryption certificate has extended key usage " + purpose
                                    + " (TLS or OCSP), so it is not a document-encryption certificate");
                }
            }
        }
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
