package vn.truc.registry.trust;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.truc.core.crypto.KeyAlgorithm;
import vn.truc.core.crypto.KeyStores;

/**
 * An OCSP responder (RFC 6960) for the certificates of one CA: a DER OCSPRequest in, a DER
 * OCSPResponse out, no transport. It signs as a delegated responder whose certificate the CA
 * issued for OCSP signing, and answers {@code unknown} for certificates of any other CA.
 */
public final class OcspResponder {
    private static final Logger log = LoggerFactory.getLogger(OcspResponder.class);

    private final PrivateKey signingKey;
    private final X509CertificateHolder responder;
    private final X509CertificateHolder ca;
    private final CertificateStatusSource statuses;
    private final Duration validity;
    private final DigestCalculatorProvider digests;

    /**
     * @param validity how long a response may be relied on: nextUpdate minus thisUpdate
     * @throws IllegalArgumentException if the CA did not issue the responder an OCSP-signing certificate
     */
    public OcspResponder(
            KeyStores.KeyAndChain responderKey,
            X509Certificate caCertificate,
            CertificateStatusSource statuses,
            Duration validity) {
        this.statuses = Objects.requireNonNull(statuses, "statuses");
        this.validity = Objects.requireNonNull(validity, "validity");
        if (validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("validity: " + validity + " (expected: positive)");
        }
        requireDelegatedResponder(responderKey.certificate(), caCertificate);
        this.signingKey = responderKey.privateKey();
        this.responder = holder(responderKey.certificate());
        this.ca = holder(caCertificate);
        this.digests = digestProvider();
    }

    /** Answers one request; never throws: bad input is malformedRequest, our own failure internalError. */
    public byte[] respond(byte[] derOcspRequest) {
        Optional<OCSPReq> request = parse(derOcspRequest);
        if (request.isEmpty()) {
            return unsuccessful(OCSPRespBuilder.MALFORMED_REQUEST);
        }
        try {
            return new OCSPRespBuilder()
                    .build(OCSPRespBuilder.SUCCESSFUL, basicResponse(request.get()))
                    .getEncoded();
        } catch (OCSPException | OperatorCreationException | IOException | RuntimeException e) {
            log.warn("OCSP response failed: {}", e.toString(), e);
            return unsuccessful(OCSPRespBuilder.INTERNAL_ERROR);
        }
    }

    private BasicOCSPResp basicResponse(OCSPReq request) throws OCSPException, OperatorCreationException {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Date thisUpdate = Date.from(now);
        Date nextUpdate = Date.from(now.plus(validity));
        BasicOCSPRespBuilder builder =
                new BasicOCSPRespBuilder(responder.getSubjectPublicKeyInfo(), digests.get(CertificateID.HASH_SHA1));
        for (Req single : request.getRequestList()) {
            CertificateID id = single.getCertID();
            builder.addResponse(id, statusOf(id), thisUpdate, nextUpdate);
        }
        Extension nonce = request.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
        if (nonce != null) {
            builder.setResponseExtensions(new Extensions(nonce));
        }
        return builder.build(signer(), new X509CertificateHolder[] {responder}, thisUpdate);
    }

    private org.bouncycastle.cert.ocsp.CertificateStatus statusOf(CertificateID id) {
        if (!issuedByOurCa(id)) {
            return new UnknownStatus();
        }
        CertificateStatus status = Objects.requireNonNull(statuses.statusOf(id.getSerialNumber()), "status");
        if (status instanceof CertificateStatus.Good) {
            return org.bouncycastle.cert.ocsp.CertificateStatus.GOOD;
        }
        if (status instanceof CertificateStatus.Revoked revoked) {
            Instant at = revoked.revokedAt().truncatedTo(ChronoUnit.SECONDS);
            return new RevokedStatus(Date.from(at), revoked.reason());
        }
        return new UnknownStatus();
    }

    /** Compares the request's issuer name and key hashes with our CA's, in the hash the request chose. */
    private boolean issuedByOurCa(CertificateID id) {
        try {
            return id.matchesIssuer(ca, digests);
        } catch (OCSPException e) {
            return false; // a hash algorithm we cannot compute cannot name our CA
        }
    }

    private ContentSigner signer() throws OperatorCreationException {
        return new JcaContentSignerBuilder(KeyAlgorithm.of(signingKey).signatureAlgorithm()).build(signingKey);
    }

    private static Optional<OCSPReq> parse(byte[] der) {
        try {
            OCSPReq request = new OCSPReq(der);
            return request.getRequestList().length == 0 ? Optional.empty() : Optional.of(request);
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // BouncyCastle reports some malformed DER as unchecked exceptions
        }
    }

    private static byte[] unsuccessful(int status) {
        try {
            return new OCSPRespBuilder().build(status, null).getEncoded();
        } catch (OCSPException | IOException e) {
            throw new IllegalStateException("cannot encode OCSP status " + status, e);
        }
    }

    private static void requireDelegatedResponder(X509Certificate responder, X509Certificate ca) {
        try {
            responder.verify(ca.getPublicKey());
            List<String> purposes = responder.getExtendedKeyUsage();
            if (purposes == null || !purposes.contains(KeyPurposeId.id_kp_OCSPSigning.getId())) {
                throw new IllegalArgumentException("responder certificate lacks the OCSPSigning extended key usage");
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("responder certificate was not issued by the CA: " + e, e);
        }
    }

    private static X509CertificateHolder holder(X509Certificate certificate) {
        try {
            return new JcaX509CertificateHolder(certificate);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("unusable certificate: " + e, e);
        }
    }

    private static DigestCalculatorProvider digestProvider() {
        try {
            return new JcaDigestCalculatorProviderBuilder().build();
        } catch (OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }
}
