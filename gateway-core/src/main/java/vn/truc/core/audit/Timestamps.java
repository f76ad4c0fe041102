package vn.truc.core.audit;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerId;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampToken;
import org.bouncycastle.tsp.TimeStampTokenInfo;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;

/**
 * An RFC 3161 time-stamp client and verifier over SHA-256 digests, such as a Merkle root of log
 * records. {@link #fetch} asks a TSA over HTTP and checks the answer belongs to the question;
 * {@link #verify} checks a stored token against trusted TSA certificates, offline.
 */
public final class Timestamps {
    /** A reply holds one token and a certificate or two; more is not a TSA talking. */
    static final int MAX_REPLY_BYTES = 256 * 1024;

    private static final String QUERY_TYPE = "application/timestamp-query";
    private static final String REPLY_TYPE = "application/timestamp-reply";
    private static final int SHA256_LENGTH = 32;
    private static final Provider BC = new BouncyCastleProvider();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Timestamps() {}

    /** A DER TimeStampReq for {@code sha256Digest}: SHA-256 imprint, certReq true, with {@code nonce}. */
    public static byte[] request(byte[] sha256Digest, BigInteger nonce) {
        return encoded(timeStampRequest(sha256Digest, nonce));
    }

    /**
     * Asks the TSA at {@code tsaUrl} to stamp {@code sha256Digest}. The answer must be granted and
     * carry our nonce and imprint; its signature is not checked here, that is {@link #verify}'s job
     * against the TSA certificates the caller trusts.
     *
     * @throws TrucException {@code network_error} if the TSA cannot be reached in {@code timeout},
     *     {@code invalid_response} if it answers anything but a matching granted token
     */
    public static TimestampToken fetch(HttpClient http, URI tsaUrl, byte[] sha256Digest, Duration timeout) {
        TimeStampRequest request = timeStampRequest(sha256Digest, new BigInteger(64, RANDOM));
        byte[] reply = post(http, tsaUrl, encoded(request), timeout);
        TimeStampResponse response = parseReply(tsaUrl, reply);
        requireGranted(tsaUrl, response);
        try {
            response.validate(request);
        } catch (TSPException e) {
            throw badReply(tsaUrl, "the token does not answer our request: " + e.getMessage(), e);
        }
        TimeStampToken token = response.getTimeStampToken();
        return toRecord(token, embeddedSigner(token));
    }

    /**
     * Checks that {@code tokenDer} is a time-stamp token over {@code expectedSha256Digest}, signed
     * by one of {@code trustedTsaCerts} (or by a certificate the token carries that one of them
     * issued) whose certificate has the critical timeStamping extended key usage and was valid at
     * the token's time.
     *
     * @throws TrucException {@code invalid_signature}, saying which check failed
     */
    public static TimestampToken verify(
            byte[] tokenDer, byte[] expectedSha256Digest, List<X509Certificate> trustedTsaCerts) {
        requireSha256(expectedSha256Digest);
        TimeStampToken token = parseToken(tokenDer);
        TimeStampTokenInfo info = token.getTimeStampInfo();
        if (!TSPAlgorithms.SHA256.equals(info.getMessageImprintAlgOID())) {
            throw invalidToken("its imprint is not SHA-256 but " + info.getMessageImprintAlgOID());
        }
        if (!MessageDigest.isEqual(info.getMessageImprintDigest(), expectedSha256Digest)) {
            throw invalidToken("it stamps "
                    + HexFormat.of().formatHex(info.getMessageImprintDigest())
                    + ", not the expected "
                    + HexFormat.of().formatHex(expectedSha256Digest));
        }
        X509Certificate signer = trustedSigner(token, trustedTsaCerts);
        try {
            token.validate(
                    new JcaSimpleSignerInfoVerifierBuilder().setProvider(BC).build(signer));
        } catch (TSPException | OperatorCreationException e) {
            throw invalidToken(signer.getSubjectX500Principal().getName() + ": " + e.getMessage(), e);
        }
        return toRecord(token, signer);
    }

    private static TimeStampRequest timeStampRequest(byte[] sha256Digest, BigInteger nonce) {
        requireSha256(sha256Digest);
        TimeStampRequestGenerator generator = new TimeStampRequestGenerator();
        generator.setCertReq(true);
        return generator.generate(TSPAlgorithms.SHA256, sha256Digest, nonce);
    }

    private static byte[] encoded(TimeStampRequest request) {
        try {
            return request.getEncoded();
        } catch (IOException e) {
            throw new IllegalStateException("encoding a request we just built", e);
        }
    }

    private static byte[] post(HttpClient http, URI tsaUrl, byte[] query, Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(tsaUrl)
                .timeout(timeout)
                .header("Content-Type", QUERY_TYPE)
                .header("Accept", REPLY_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(query))
                .build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw unreachable(tsaUrl, "no answer within " + timeout.toMillis() + " ms", e);
        } catch (ConnectException e) {
            throw unreachable(tsaUrl, "cannot connect (" + e + ")", e);
        } catch (IOException e) {
            throw unreachable(tsaUrl, e.toString(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable(tsaUrl, "interrupted", e);
        }
        try (InputStream body = response.body()) {
            byte[] bytes = body.readNBytes(MAX_REPLY_BYTES + 1);
            requireReply(tsaUrl, response, bytes);
            return bytes;
        } catch (IOException e) {
            throw unreachable(tsaUrl, "reading the reply failed (" + e + ")", e);
        }
    }

    private static void requireReply(URI tsaUrl, HttpResponse<?> response, byte[] body) {
        if (response.statusCode() != 200) {
            throw badReply(tsaUrl, "HTTP status " + response.statusCode(), null);
        }
        String type = response.headers().firstValue("Content-Type").orElse("(none)");
        if (!type.toLowerCase(Locale.ROOT).startsWith(REPLY_TYPE)) {
            throw badReply(tsaUrl, "Content-Type " + type + " (expected: " + REPLY_TYPE + ")", null);
        }
        if (body.length > MAX_REPLY_BYTES) {
            throw badReply(tsaUrl, "reply larger than " + MAX_REPLY_BYTES + " bytes", null);
        }
    }

    private static TimeStampResponse parseReply(URI tsaUrl, byte[] reply) {
        try {
            return new TimeStampResponse(reply);
        } catch (TSPException | IOException | RuntimeException e) {
            throw badReply(tsaUrl, "not a TimeStampResp (" + e.getMessage() + ")", e);
        }
    }

    private static void requireGranted(URI tsaUrl, TimeStampResponse response) {
        if (response.getTimeStampToken() == null) {
            String text = response.getStatusString();
            throw badReply(
                    tsaUrl,
                    "request not granted: status "
                            + response.getStatus()
                            + (text == null ? "" : " (" + text + ")")
                            + (response.getFailInfo() == null ? "" : ", failInfo " + response.getFailInfo()),
                    null);
        }
    }

    private static TimeStampToken parseToken(byte[] tokenDer) {
        try {
            return new TimeStampToken(new CMSSignedData(tokenDer));
        } catch (CMSException | TSPException | IOException | RuntimeException e) {
            throw invalidToken("not a time-stamp token (" + e.getMessage() + ")", e);
        }
    }

    /** A trusted certificate that is the signer, or that issued the signer certificate the token carries. */
    private static X509Certificate trustedSigner(TimeStampToken token, List<X509Certificate> trusted) {
        SignerId signerId = token.getSID();
        for (X509Certificate cert : trusted) {
            if (signerId.match(holder(cert))) {
                return cert;
            }
        }
        X509Certificate carried = embeddedSigner(token);
        if (carried != null) {
            for (X509Certificate issuer : trusted) {
                if (issued(issuer, carried)) {
                    return carried;
                }
            }
        }
        throw invalidToken("it is signed by "
                + (carried == null ? signerId.getIssuer() + " serial " + signerId.getSerialNumber() : describe(carried))
                + ", which is not a trusted TSA certificate nor issued by one");
    }

    private static boolean issued(X509Certificate issuer, X509Certificate cert) {
        if (!issuer.getSubjectX500Principal().equals(cert.getIssuerX500Principal())) {
            return false;
        }
        try {
            cert.verify(issuer.getPublicKey());
            return true;
        } catch (java.security.GeneralSecurityException e) {
            return false;
        }
    }

    private static X509Certificate embeddedSigner(TimeStampToken token) {
        @SuppressWarnings("unchecked") // BouncyCastle hands out a raw Store
        Collection<X509CertificateHolder> matches = token.getCertificates().getMatches(token.getSID());
        if (matches.isEmpty()) {
            return null;
        }
        try {
            return new JcaX509CertificateConverter()
                    .setProvider(BC)
                    .getCertificate(matches.iterator().next());
        } catch (java.security.cert.CertificateException e) {
            throw invalidToken("the signer certificate it carries cannot be read (" + e.getMessage() + ")", e);
        }
    }

    private static TimestampToken toRecord(TimeStampToken token, X509Certificate signer) {
        TimeStampTokenInfo info = token.getTimeStampInfo();
        try {
            return new TimestampToken(
                    token.getEncoded(), info.getGenTime().toInstant(), info.getSerialNumber(), signer);
        } catch (IOException e) {
            throw new IllegalStateException("re-encoding a parsed token", e);
        }
    }

    private static X509CertificateHolder holder(X509Certificate cert) {
        try {
            return new JcaX509CertificateHolder(cert);
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("unreadable trusted certificate " + describe(cert), e);
        }
    }

    private static String describe(X509Certificate cert) {
        return cert.getSubjectX500Principal().getName() + " (serial "
                + cert.getSerialNumber().toString(16) + ")";
    }

    private static void requireSha256(byte[] digest) {
        if (digest == null || digest.length != SHA256_LENGTH) {
            throw new IllegalArgumentException("a SHA-256 digest must be " + SHA256_LENGTH + " bytes");
        }
    }

    private static TrucException unreachable(URI tsaUrl, String what, Throwable cause) {
        return new TrucException(
                Origin.SERVER, ErrorCode.NETWORK_ERROR, "time-stamping authority " + tsaUrl + ": " + what, cause);
    }

    private static TrucException badReply(URI tsaUrl, String what, Throwable cause) {
        return new TrucException(
                Origin.SERVER, ErrorCode.INVALID_RESPONSE, "time-stamping authority " + tsaUrl + ": " + what, cause);
    }

    private static TrucException invalidToken(String why) {
        return invalidToken(why, null);
    }

    private static TrucException invalidToken(String why, Throwable cause) {
        return new TrucException(Origin.SERVER, ErrorCode.INVALID_SIGNATURE, "time-stamp token refused: " + why, cause);
    }
}
