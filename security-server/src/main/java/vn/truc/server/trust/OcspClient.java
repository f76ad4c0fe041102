package vn.truc.server.trust;

import static vn.truc.server.trust.CertificateNames.describe;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import vn.truc.core.crypto.Certificates;
import vn.truc.core.crypto.Digests;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;

/**
 * Asks a CA's OCSP responder (RFC 6960, over HTTP POST) whether a certificate is good, and checks
 * the answer: signed by the CA or its delegated responder, about exactly that certificate, fresh,
 * and carrying the nonce we sent. Good answers are cached per certificate and reused while younger
 * than half of {@code maxAge}, so a busy listener asks once per certificate every few minutes.
 *
 * <p>Thread-safe. Two threads missing the cache at once both ask; the later answer wins.
 */
public final class OcspClient {
    /** The whole exchange with a responder: connect, send, receive the headers. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** OCSP responses are a few KiB; anything far larger is not one. */
    static final int MAX_RESPONSE_BYTES = 64 * 1024;

    /** Carried responses remembered at most; one per peer member's certificate is usual. */
    static final int MAX_CARRIED = 10_000;

    private static final int NONCE_BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final HttpClient http;
    private final Clock clock;
    private final Duration maxAge;
    private final ConcurrentMap<String, OcspStatus> cache = new ConcurrentHashMap<>();
    /** Responses peers carried that passed every check but freshness, by response and certificates. */
    private final ConcurrentMap<String, OcspResponseCheck.Verified> carried = new ConcurrentHashMap<>();

    /** @param maxAge how old (by thisUpdate) a response may be and still be relied on */
    public OcspClient(HttpClient http, Clock clock, Duration maxAge) {
        this.http = Objects.requireNonNull(http, "http");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("maxAge: " + maxAge + " (expected: positive)");
        }
    }

    /**
     * The verified GOOD status of {@code cert}, from the cache or from the responder at
     * {@code responderUrl}.
     *
     * @throws TrucException {@link ErrorCode#INVALID_CERTIFICATE} if the certificate is revoked or
     *     unknown or the answer cannot be trusted, {@link ErrorCode#NETWORK_ERROR} if the responder
     *     cannot be reached
     */
    public OcspStatus fetch(X509Certificate cert, X509Certificate issuer, URI responderUrl) {
        String key = Certificates.sha256Hex(cert);
        OcspStatus cached = cache.get(key);
        if (cached != null && reusable(cached, clock.instant())) {
            return cached;
        }
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        byte[] response = post(responderUrl, request(cert, issuer, nonce), cert);
        OcspStatus status = check(response, cert, issuer, clock.instant(), maxAge);
        requireNonce(response, nonce, cert, responderUrl);
        Instant now = clock.instant();
        cache.values().removeIf(old -> !reusable(old, now));
        cache.put(key, status);
        return status;
    }

    /**
     * Verifies a DER OCSPResponse about {@code cert} (issued by {@code issuer}) as of {@code now}:
     * status successful; signed by the issuer or by a responder certificate, included in the
     * response, that the issuer gave the OCSPSigning extended key usage; an answer for exactly this
     * certificate, GOOD; thisUpdate within {@code maxAge} of now and at most five minutes ahead;
     * nextUpdate, if any, not passed.
     *
     * @throws TrucException {@link ErrorCode#INVALID_CERTIFICATE} saying which check failed
     */
    public static OcspStatus check(
            byte[] responseDer, X509Certificate cert, X509Certificate issuer, Instant now, Duration maxAge) {
        return OcspResponseCheck.check(responseDer, cert, issuer, now, maxAge);
    }

    /**
     * {@link #check} of a response a peer carried with its message, remembering the responses that
     * passed: a peer sends the same response with every message until it fetches a new one, and its
     * signature need not be verified again each time. Freshness, and a delegated responder's
     * validity, are still checked against {@code now} on every call.
     */
    public OcspStatus checkCarried(
            byte[] responseDer, X509Certificate cert, X509Certificate issuer, Instant now, Duration maxAge) {
        String key = Digests.sha256Hex(responseDer)
                + ' '
                + Certificates.sha256Hex(cert)
                + ' '
                + Certificates.sha256Hex(issuer);
        OcspResponseCheck.Verified verified = carried.get(key);
        if (verified == null || !verified.signerValidAt(now)) {
            verified = OcspResponseCheck.verify(responseDer, cert, issuer, now);
            if (carried.size() >= MAX_CARRIED) {
                carried.values()
                        .removeIf(old -> old.status().thisUpdate().plus(maxAge).isBefore(now));
            }
            if (carried.size() < MAX_CARRIED) {
                carried.put(key, verified);
            }
        }
        OcspResponseCheck.requireFresh(cert, verified.status(), now, maxAge);
        return verified.status();
    }

    Clock clock() {
        return clock;
    }

    private boolean reusable(OcspStatus status, Instant now) {
        return now.isBefore(status.thisUpdate().plus(maxAge.dividedBy(2)))
                && (status.nextUpdate() == null || now.isBefore(status.nextUpdate()));
    }

    /** A request for one certificate, with a SHA-1 CertID (what openssl and most responders expect). */
    private static byte[] request(X509Certificate cert, X509Certificate issuer, byte[] nonce) {
        try {
            CertificateID id = new CertificateID(
                    new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
                    new JcaX509CertificateHolder(issuer),
                    cert.getSerialNumber());
            return new OCSPReqBuilder()
                    .addRequest(id)
                    .setRequestExtensions(new Extensions(nonceExtension(nonce)))
                    .build()
                    .getEncoded();
        } catch (GeneralSecurityException | OCSPException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot build an OCSP request for " + describe(cert), e);
        }
    }

    /** RFC 8954: the extension's value is the DER of an OCTET STRING holding the random bytes. */
    private static Extension nonceExtension(byte[] nonce) {
        try {
            return new Extension(
                    OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false, new DEROctetString(nonce).getEncoded());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A response without our nonce could be a replay of an older answer (one from before a
     * revocation, say), so the nonce is required, not merely compared when present.
     */
    private static void requireNonce(byte[] response, byte[] nonce, X509Certificate cert, URI url) {
        Extension echoed =
                OcspResponseCheck.basicResponse(response, cert).getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
        if (echoed == null
                || !echoed.getExtnValue().equals(nonceExtension(nonce).getExtnValue())) {
            throw OcspResponseCheck.invalid("OCSP response from " + url + " for " + describe(cert)
                    + (echoed == null ? " does not echo our nonce" : " carries another request's nonce"));
        }
    }

    private byte[] post(URI url, byte[] body, X509Certificate cert) {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(url)
                    .timeout(TIMEOUT)
                    .header("Content-Type", "application/ocsp-request")
                    .header("Accept", "application/ocsp-response")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
        } catch (IllegalArgumentException e) {
            throw OcspResponseCheck.invalid("OCSP responder URL " + url + " is not usable: " + e.getMessage());
        }
        try {
            HttpResponse<byte[]> response = http.send(request, LimitedBody.handler(MAX_RESPONSE_BYTES));
            if (response.statusCode() != 200) {
                throw network(
                        "OCSP responder " + url + " answered HTTP " + response.statusCode() + " for " + describe(cert),
                        null);
            }
            return response.body();
        } catch (IOException e) {
            throw network("cannot ask OCSP responder " + url + " about " + describe(cert) + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw network("interrupted while asking OCSP responder " + url + " about " + describe(cert), e);
        }
    }

    private static TrucException network(String message, Exception cause) {
        return new TrucException(Origin.SERVER, ErrorCode.NETWORK_ERROR, message, cause);
    }
}
