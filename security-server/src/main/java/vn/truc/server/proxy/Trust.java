package vn.truc.server.proxy;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import vn.truc.core.crypto.Certificates;
import vn.truc.core.crypto.KeyStores.KeyAndChain;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;
import vn.truc.core.globalconf.GlobalConf;
import vn.truc.core.id.ClientId;
import vn.truc.core.message.BatchSigner;
import vn.truc.core.message.MessageSignatures;
import vn.truc.core.message.VerifiedSignature;
import vn.truc.server.trust.ApprovedCas;
import vn.truc.server.trust.OcspClient;
import vn.truc.server.trust.OcspStatus;

/**
 * Signing with this server's member key, and checking what peers signed: the signature, that the
 * signer is the member that claims to send, that its certificate comes from an approved CA, is
 * valid, and that the OCSP response carried with the message says it is good and is fresh.
 */
final class Trust {
    private final KeyAndChain signKey;
    private final BatchSigner signer;
    private final OcspClient ocsp;
    private final Clock clock;
    private final Duration ocspMaxAge;

    /** {@code signingBatchMax}: how many messages one signature may cover (1: a signature each). */
    Trust(KeyAndChain signKey, OcspClient ocsp, Clock clock, Duration ocspMaxAge, int signingBatchMax) {
        this.signKey = signKey;
        this.signer = new BatchSigner(signKey, signingBatchMax);
        this.ocsp = ocsp;
        this.clock = clock;
        this.ocspMaxAge = ocspMaxAge;
    }

    /** Our member's sign certificate, the one {@link #sign} signs with. */
    X509Certificate certificate() {
        return signKey.certificate();
    }

    /**
     * A CMS signature over {@code manifest}, carrying our sign certificate's fresh OCSP response;
     * under load, a batch signature shared with the other messages waiting (see {@link BatchSigner}).
     */
    byte[] sign(byte[] manifest, GlobalConf conf) {
        return signer.sign(manifest, ocspResponse(conf));
    }

    /**
     * A plain CMS signature over {@code content}, never batched: for what people check with
     * {@code openssl cms -verify -content} as it is, such as a document's receipt.
     */
    byte[] signAlone(byte[] content, GlobalConf conf) {
        return MessageSignatures.sign(content, signKey, ocspResponse(conf));
    }

    /** How many messages {@link #sign} signed, and with how many private-key operations. */
    record SigningCounts(long messages, long signatures) {}

    SigningCounts signingCounts() {
        return new SigningCounts(signer.signed(), signer.signatures());
    }

    private byte[] ocspResponse(GlobalConf conf) {
        X509Certificate cert = signKey.certificate();
        GlobalConf.CertificationAuthority ca = ApprovedCas.issuerOf(conf, cert, clock.instant());
        OcspStatus status = ocsp.fetch(cert, ca.certificate(), ApprovedCas.ocspUrl(ca, cert));
        return status.responseDer();
    }

    /**
     * Verifies a peer's signature over {@code manifest} as made by {@code member}; {@code origin}
     * is where the check happens (it is who reports the failure).
     */
    VerifiedSignature verify(byte[] cms, byte[] manifest, ClientId member, GlobalConf conf, Origin origin) {
        VerifiedSignature signature;
        try {
            signature = MessageSignatures.verify(cms, manifest);
        } catch (TrucException e) {
            throw e.withOrigin(origin);
        }
        X509Certificate signer = signature.signer();
        String holder = Certificates.subjectSerialNumber(signer).orElse("(nobody)");
        if (!holder.equals(member.memberId().toString())) {
            throw new TrucException(
                    origin,
                    ErrorCode.INVALID_SIGNATURE,
                    "message signed with the certificate of " + holder + ", not of " + member.memberId());
        }
        if (!Certificates.isValidAt(signer, clock.instant())) {
            throw new TrucException(
                    origin,
                    ErrorCode.INVALID_CERTIFICATE,
                    "signing certificate of " + holder + " is not valid now (until "
                            + signer.getNotAfter().toInstant() + ")");
        }
        checkSignCertificate(signer, holder, origin);
        GlobalConf.CertificationAuthority ca;
        try {
            ca = ApprovedCas.issuerOf(conf, signer, clock.instant());
            ApprovedCas.ocspUrl(ca, signer);
        } catch (TrucException e) {
            throw e.withOrigin(origin);
        }
        if (signature.ocspResponseDer() == null) {
            throw new TrucException(
                    origin, ErrorCode.INVALID_CERTIFICATE, "message carries no OCSP response for its signer");
        }
        try {
            ocsp.checkCarried(signature.ocspResponseDer(), signer, ca.certificate(), clock.instant(), ocspMaxAge);
        } catch (TrucException e) {
            throw e.withOrigin(origin);
        }
        return signature;
    }

    /**
     * A sign certificate is for signing and nothing else: non-repudiation key usage, not a CA, no
     * TLS or OCSP purposes (an auth certificate naming the member must not pass for it).
     */
    private static void checkSignCertificate(X509Certificate cert, String holder, Origin origin) {
        boolean[] usage = cert.getKeyUsage();
        boolean nonRepudiation = usage != null && usage.length > 1 && usage[1];
        boolean tlsOrOcsp;
        try {
            var purposes = cert.getExtendedKeyUsage();
            tlsOrOcsp = purposes != null
                    && (purposes.contains("1.3.6.1.5.5.7.3.1")
                            || purposes.contains("1.3.6.1.5.5.7.3.2")
                            || purposes.contains("1.3.6.1.5.5.7.3.9"));
        } catch (java.security.cert.CertificateParsingException e) {
            tlsOrOcsp = true;
        }
        if (!nonRepudiation || tlsOrOcsp || cert.getBasicConstraints() >= 0) {
            throw new TrucException(
                    origin,
                    ErrorCode.INVALID_CERTIFICATE,
                    "the certificate of " + holder + " that signed the message is not a sign certificate");
        }
    }
}
