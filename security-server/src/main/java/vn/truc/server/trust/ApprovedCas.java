package vn.truc.server.trust;

import static vn.truc.server.trust.CertificateNames.describe;
import static vn.truc.server.trust.CertificateNames.issuer;

import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import vn.truc.core.crypto.Certificates;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;
import vn.truc.core.globalconf.GlobalConf;
import vn.truc.core.globalconf.GlobalConf.CertificationAuthority;

/**
 * Which approved CA of the global configuration stands behind a certificate, and which OCSP
 * responder answers for it: the one rule for TLS peers and for message signers alike.
 */
public final class ApprovedCas {
    private ApprovedCas() {}

    /**
     * The approved CA that issued {@code leaf}: named as its issuer, its key verifies the
     * signature, and its own certificate is valid now. Otherwise {@code invalid_certificate}
     * saying which of these fails.
     */
    public static CertificationAuthority issuerOf(GlobalConf conf, X509Certificate leaf, Instant now) {
        List<CertificationAuthority> named = conf.certificationAuthorities().stream()
                .filter(ca -> ca.certificate().getSubjectX500Principal().equals(leaf.getIssuerX500Principal()))
                .collect(Collectors.toList());
        if (named.isEmpty()) {
            throw invalid(describe(leaf) + " is issued by " + issuer(leaf) + ", which is not an approved CA");
        }
        for (CertificationAuthority ca : named) {
            if (OcspResponseCheck.signedBy(leaf, ca.certificate())) {
                if (!Certificates.isValidAt(ca.certificate(), now)) {
                    throw invalid(describe(leaf) + " is issued by the approved CA " + ca.name()
                            + ", whose own certificate is not valid now");
                }
                return ca;
            }
        }
        throw invalid(describe(leaf) + " names the approved CA " + issuer(leaf)
                + " as issuer, but its signature does not verify with that CA's key");
    }

    /** Where to ask about {@code leaf}: the CA's OCSP responder, which must be configured. */
    public static URI ocspUrl(CertificationAuthority ca, X509Certificate leaf) {
        if (ca.ocspUrl() == null || ca.ocspUrl().isBlank()) {
            throw invalid("no OCSP responder is configured for the approved CA " + ca.name() + ", so the status of "
                    + describe(leaf) + " cannot be checked");
        }
        try {
            return URI.create(ca.ocspUrl());
        } catch (IllegalArgumentException e) {
            throw invalid("the OCSP responder URL of the approved CA " + ca.name() + " is not a URL: " + ca.ocspUrl());
        }
    }

    private static TrucException invalid(String message) {
        return new TrucException(Origin.SERVER, ErrorCode.INVALID_CERTIFICATE, message);
    }
}
