package vn.truc.server.trust;

import static vn.truc.server.trust.CertificateNames.describe;
import static vn.truc.server.trust.CertificateNames.subject;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import vn.truc.core.crypto.Certificates;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;

/** The checks behind {@link OcspClient#check}: one method per question, each failure said plainly. */
final class OcspResponseCheck {
    /** How far a response's thisUpdate may lie ahead of our clock. */
    static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

    private static final String[] RESPONSE_STATUS = {
        "successful", "malformedRequest", "internalError", "tryLater", "4 (unassigned)", "sigRequired", "unauthorized"
    };
    private static final String[] CRL_REASON = {
        "unspecified",
        "keyCompromise",
        "cACompromise",
        "affiliationChanged",
        "superseded",
        "cessationOfOperation",
        "certificateHold",
        "7 (unassigned)",
        "removeFromCRL",
        "privilegeWithdrawn",
        "aACompromise"
    };

    private OcspResponseCheck() {}

    static OcspStatus check(byte[] der, X509Certificate cert, X509Certificate issuer, Instant now, Duration maxAge) {
        Verified verified = verify(der, cert, issuer, now);
        requireFresh(cert, verified.status(), now, maxAge);
        return verified.status();
    }

    /**
     * What {@link #verify} found: the status, and until when the response's signer may be relied
     * on (a delegated responder's certificate expires; null when the CA itself signed).
     */
    record Verified(OcspStatus status, Instant signerValidUntil) {
        boolean signerValidAt(Instant now) {
            return signerValidUntil == null || !now.isAfter(signerValidUntil);
        }
    }

    /** Every check of {@link #check} but freshness, which depends on the time of use only. */
    static Verified verify(byte[] der, X509Certificate cert, X509Certificate issuer, Instant now) {
        requireIssuedBy(cert, issuer);
        BasicOCSPResp basic = basicResponse(der, cert);
        X509Certificate delegate = requireSignedByCaOrDelegate(basic, cert, issuer, now);
        SingleResp single = answerFor(basic, cert, issuer);
        requireGood(single, cert);
        Instant thisUpdate = single.getThisUpdate().toInstant();
        Instant nextUpdate =
                single.getNextUpdate() == null ? null : single.getNextUpdate().toInstant();
        return new Verified(
                new OcspStatus(der, thisUpdate, nextUpdate),
                delegate == null ? null : delegate.getNotAfter().toInstant());
    }

    static BasicOCSPResp basicResponse(byte[] der, X509Certificate cert) {
        OCSPResp response = parse(der, cert);
        if (response.getStatus() != OCSPResp.SUCCESSFUL) {
            throw invalid("OCSP responder did not answer for " + describe(cert) + ": "
                    + name(RESPONSE_STATUS, response.getStatus()));
        }
        Object body;
        try {
            body = response.getResponseObject();
        } catch (OCSPException | RuntimeException e) {
            throw unparseable(cert, e);
        }
        if (body instanceof BasicOCSPResp basic) {
            return basic;
        }
        throw invalid("OCSP response for " + describe(cert) + " is not a basic OCSP response");
    }

    private static OCSPResp parse(byte[] der, X509Certificate cert) {
        try {
            return new OCSPResp(der);
        } catch (IOException | RuntimeException e) { // BouncyCastle reports some bad DER unchecked
            throw unparseable(cert, e);
        }
    }

    private static TrucException unparseable(X509Certificate cert, Exception e) {
        return invalid("OCSP response for " + describe(cert) + " cannot be parsed: " + e.getMessage());
    }

    private static void requireIssuedBy(X509Certificate cert, X509Certificate issuer) {
        if (!cert.getIssuerX500Principal().equals(issuer.getSubjectX500Principal()) || !signedBy(cert, issuer)) {
            throw invalid(describe(cert) + " was not issued by " + subject(issuer));
        }
    }

    /** The delegated responder that signed {@code basic}, or null if the CA itself did. */
    private static X509Certificate requireSignedByCaOrDelegate(
            BasicOCSPResp basic, X509Certificate cert, X509Certificate issuer, Instant now) {
        if (signedBy(basic, issuer.getPublicKey())) {
            return null;
        }
        String why = "";
        for (X509CertificateHolder holder : basic.getCerts()) {
            X509Certificate responder = convert(holder);
            if (signedBy(basic, responder.getPublicKey())) {
                String problem = delegationProblem(responder, issuer, now);
                if (problem == null) {
                    return responder;
                }
                why = " (it was signed by " + subject(responder) + ", which " + problem + ")";
            }
        }
        throw invalid("OCSP response for " + describe(cert) + " not signed by the CA " + subject(issuer)
                + " or its delegated responder" + why);
    }

    /** Why {@code responder} may not answer for {@code issuer}'s certificates, or null if it may. */
    private static String delegationProblem(X509Certificate responder, X509Certificate issuer, Instant now) {
        if (!responder.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())
                || !signedBy(responder, issuer)) {
            return "the CA did not issue";
        }
        try {
            List<String> purposes = responder.getExtendedKeyUsage();
            if (purposes == null || !purposes.contains(KeyPurposeId.id_kp_OCSPSigning.getId())) {
                return "lacks the OCSPSigning extended key usage";
            }
        } catch (GeneralSecurityException e) {
            return "has an unreadable extended key usage";
        }
        return Certificates.isValidAt(responder, now) ? null : "is not valid at " + now;
    }

    private static SingleResp answerFor(BasicOCSPResp basic, X509Certificate cert, X509Certificate issuer) {
        try {
            X509CertificateHolder issuerHolder = new JcaX509CertificateHolder(issuer);
            var digests = new JcaDigestCalculatorProviderBuilder().build();
            for (SingleResp single : basic.getResponses()) {
                if (single.getCertID().getSerialNumber().equals(cert.getSerialNumber())
                        && single.getCertID().matchesIssuer(issuerHolder, digests)) {
                    return single;
                }
            }
        } catch (GeneralSecurityException | OCSPException | OperatorCreationException e) {
            throw invalid("OCSP response for " + describe(cert) + " cannot be matched: " + e.getMessage());
        }
        throw invalid("OCSP response does not answer for " + describe(cert));
    }

    private static void requireGood(SingleResp single, X509Certificate cert) {
        CertificateStatus status = single.getCertStatus();
        if (status == CertificateStatus.GOOD) {
            return;
        }
        if (status instanceof RevokedStatus revoked) {
            String reason = revoked.hasRevocationReason() ? ", " + name(CRL_REASON, revoked.getRevocationReason()) : "";
            throw invalid(describe(cert) + " is revoked (since "
                    + revoked.getRevocationTime().toInstant() + reason + ")");
        }
        throw invalid(describe(cert) + " is unknown to its CA's OCSP responder");
    }

    static void requireFresh(X509Certificate cert, OcspStatus status, Instant now, Duration maxAge) {
        Instant thisUpdate = status.thisUpdate();
        Instant nextUpdate = status.nextUpdate();
        if (thisUpdate.isAfter(now.plus(MAX_CLOCK_SKEW))) {
            throw invalid("OCSP response for " + describe(cert) + " comes from the future: produced " + thisUpdate
                    + ", now is " + now);
        }
        if (thisUpdate.plus(maxAge).isBefore(now)) {
            throw invalid("OCSP response for " + describe(cert) + " is stale: produced " + thisUpdate + ", older than "
                    + maxAge);
        }
        if (nextUpdate != null && nextUpdate.isBefore(now)) {
            throw invalid("OCSP response for " + describe(cert) + " has expired: its nextUpdate " + nextUpdate
                    + " has passed");
        }
    }

    private static boolean signedBy(BasicOCSPResp basic, PublicKey key) {
        try {
            return basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key));
        } catch (OCSPException | OperatorCreationException e) {
            return false;
        }
    }

    static boolean signedBy(X509Certificate cert, X509Certificate issuer) {
        try {
            cert.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static X509Certificate convert(X509CertificateHolder holder) {
        try {
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (GeneralSecurityException e) {
            throw invalid("OCSP response carries an unreadable certificate: " + e.getMessage());
        }
    }

    private static String name(String[] names, int value) {
        return value >= 0 && value < names.length ? names[value] : String.valueOf(value);
    }

    static TrucException invalid(String message) {
        return new TrucException(Origin.SERVER, ErrorCode.INVALID_CERTIFICATE, message);
    }
}
