package vn.truc.server.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.truc.core.crypto.CertificateProfile;
import vn.truc.core.crypto.KeyStores.KeyAndChain;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.TrucException;
import vn.truc.core.net.FreePorts;
import vn.truc.core.testing.MutableClock;
import vn.truc.core.testing.TestPki;

/** {@link OcspClient} against a real {@code openssl ocsp} responder. */
class OcspClientTest {
    private static final Duration MAX_AGE = Duration.ofMinutes(20);

    private final TestPki pki = TestPki.newCa("Truc Test CA");
    private final X509Certificate ca = pki.caCertificate();
    /** Valid since yesterday, so that answers can be checked as of a few minutes ago. */
    private final KeyAndChain responderKey = pki.issue(
            "Test OCSP responder",
            CertificateProfile.OCSP,
            Instant.now().minus(Duration.ofDays(1)),
            Instant.now().plus(Duration.ofDays(30)));

    private final X509Certificate good =
            pki.issue("VN/GOV/000.00.00.G22/ss1", CertificateProfile.AUTH).certificate();
    private final X509Certificate revoked =
            pki.issue("VN/GOV/000.00.00.H41/ss1", CertificateProfile.AUTH).certificate();
    private final String index = OpensslOcsp.index(List.of(good), List.of(revoked));
    private final MutableClock clock = new MutableClock(Instant.now());
    private final OcspClient client = new OcspClient(HttpClient.newHttpClient(), clock, MAX_AGE);

    @TempDir
    Path dir;

    private OpensslOcsp openssl;
    private HttpServer replayer;

    @AfterEach
    void stop() {
        if (openssl != null) {
            openssl.close();
        }
        if (replayer != null) {
            replayer.stop(0);
        }
    }

    @Test
    void returnsTheVerifiedStatusOfAGoodCertificate() throws Exception {
        openssl = OpensslOcsp.start(dir, index, ca, responderKey);

        OcspStatus status = client.fetch(good, ca, openssl.url());

        assertThat(status.thisUpdate())
                .isBetween(clock.instant().minusSeconds(60), clock.instant().plusSeconds(60));
        assertThat(status.nextUpdate()).isNull();
        assertThat(OcspClient.check(status.responseDer(), good, ca, clock.instant(), MAX_AGE))
                .isEqualTo(status);
    }

    @Test
    void acceptsAnAnswerSignedByTheCaItself() throws Exception {
        openssl = OpensslOcsp.start(dir, index, ca, pki.ca());

        assertThat(client.fetch(good, ca, openssl.url()).responseDer()).isNotEmpty();
    }

    @Test
    void refusesARevokedCertificate() throws Exception {
        openssl = OpensslOcsp.start(dir, index, ca, responderKey);

        assertRefused(() -> client.fetch(revoked, ca, openssl.url()), "is revoked (since", "keyCompromise");
    }

    @Test
    void refusesACertificateTheResponderDoesNotKnow() throws Exception {
        X509Certificate unlisted =
                pki.issue("VN/GOV/000.00.00.G01/ss1", CertificateProfile.AUTH).certificate();
        openssl = OpensslOcsp.start(dir, index, ca, responderKey);

        assertRefused(() -> client.fetch(unlisted, ca, openssl.url()), "unknown to its CA's OCSP responder");
    }

    @Test
    void refusesAnAnswerSignedByAnUnrelatedKey() throws Exception {
        KeyAndChain rogue = TestPki.newCa("Rogue CA").issue("Rogue OCSP responder", CertificateProfile.OCSP);
        openssl = OpensslOcsp.start(dir, index, ca, rogue);

        assertRefused(
                () -> client.fetch(good, ca, openssl.url()),
                "not signed by the CA CN=Truc Test CA or its delegated responder");
    }

    @Test
    void refusesAnAnswerSignedByACertificateWithoutTheOcspSigningPurpose() throws Exception {
        KeyAndChain notResponder = pki.issue("VN/GOV/000.00.00.G01/ss9", CertificateProfile.AUTH);
        openssl = OpensslOcsp.start(dir, index, ca, notResponder);

        assertRefused(() -> client.fetch(good, ca, openssl.url()), "lacks the OCSPSigning extended key usage");
    }

    @Test
    void refusesAStaleAnswer() throws Exception {
        openssl = OpensslOcsp.start(dir, index, ca, responderKey);
        byte[] der = client.fetch(good, ca, openssl.url()).responseDer();

        assertRefused(
                () -> OcspClient.check(der, good, ca, Instant.now().plus(Duration.ofHours(1)), MAX_AGE),
                "is stale: produced",
                "older than PT20M");
    }

    @Test
    void refusesAnAnswerFromTheFuture() throws Exception {
        openssl = OpensslOcsp.start(dir, index, ca, responderKey);
        byte[] der = client.fetch(good, ca, openssl.url()).responseDer();

        assertRefused(
                () -> OcspClient.check(der, good, ca, Instant.now().minus(Duration.ofMinutes(10)), MAX_AGE),
                "comes from the future");
    }

    @Test
    void refusesAnAnswerWhoseNextUpdateHasPassed() throws Exception {
        openssl = OpensslOcsp.start(dir, index, ca, responderKey, "-nmin", "1");
        OcspStatus status = client.fetch(good, ca, openssl.url());
        assertThat(status.nextUpdate()).isAfter(status.thisUpdate());

        assertRefused(
                () -> OcspClient.check(
                        status.responseDer(), good, ca, Instant.now().plus(Duration.ofMinutes(3)), MAX_AGE),
                "nextUpdate",
                "has passed");
    }

    @Test
    void refusesAnAnswerAboutAnotherCertificate() throws Exception {
        openssl = OpensslOcsp.start(dir, index, ca, responderKey);
        byte[] aboutGood = client.fetch(good, ca, openssl.url()).responseDer();
        X509Certificate other =
                pki.issue("VN/GOV/000.00.00.G01/ss1", CertificateProfile.AUTH).certificate();

        assertRefused(() -> OcspClient.check(aboutGood, other, ca, Instant.now(), MAX_AGE), "does not answer for");
    }

    @Test
    void refusesAReplayedAnswer() throws Exception {
        openssl = OpensslOcsp.start(dir, index, ca, responderKey);
        byte[] old = client.fetch(good, ca, openssl.url()).responseDer();
        URI replaying = serve(old);
        OcspClient another = new OcspClient(HttpClient.newHttpClient(), clock, MAX_AGE);

        assertRefused(() -> another.fetch(good, ca, replaying), "carries another request's nonce");
    }

    @Test
    void reportsAResponderThatIsDownAsANetworkError() throws Exception {
        URI nobody = URI.create("http://127.0.0.1:" + FreePorts.next() + "/");

        assertThatThrownBy(() -> client.fetch(good, ca, nobody))
                .isInstanceOfSatisfying(
                        TrucException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NETWORK_ERROR))
                .hasMessageContaining(nobody.toString());
    }

    @Test
    void servesAGoodAnswerFromTheCacheWhileYoungerThanHalfTheMaxAge() throws Exception {
        openssl = OpensslOcsp.start(dir, index, ca, responderKey);
        OcspStatus first = client.fetch(good, ca, openssl.url());
        openssl.close();

        clock.advance(MAX_AGE.dividedBy(2).minusSeconds(90));
        assertThat(client.fetch(good, ca, openssl.url())).isEqualTo(first);

        clock.advance(Duration.ofMinutes(2));
        assertThatThrownBy(() -> client.fetch(good, ca, openssl.url()))
                .isInstanceOfSatisfying(
                        TrucException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NETWORK_ERROR));
    }

    @Test
    void aCarriedAnswerThatPassedIsStillCheckedForFreshnessEachTime() throws Exception {
        openssl = OpensslOcsp.start(dir, index, ca, responderKey);
        OcspStatus status = client.fetch(good, ca, openssl.url());
        Instant now = clock.instant();

        assertThat(client.checkCarried(status.responseDer(), good, ca, now, MAX_AGE))
                .isEqualTo(status);
        assertThat(client.checkCarried(status.responseDer(), good, ca, now.plusSeconds(60), MAX_AGE))
                .isEqualTo(status);
        assertRefused(
                () -> client.checkCarried(status.responseDer(), good, ca, now.plus(Duration.ofHours(1)), MAX_AGE),
                "is stale: produced");
        assertRefused(
                () -> client.checkCarried(status.responseDer(), revoked, ca, now, MAX_AGE),
                "OCSP response does not answer for");
    }

    @Test
    void aCarriedAnswerIsNotReliedOnOnceItsDelegatedResponderHasExpired() throws Exception {
        KeyAndChain shortLived = pki.issue(
                "Short-lived OCSP responder",
                CertificateProfile.OCSP,
                Instant.now().minus(Duration.ofDays(1)),
                Instant.now().plus(Duration.ofHours(1)));
        openssl = OpensslOcsp.start(dir, index, ca, shortLived);
        byte[] der = client.fetch(good, ca, openssl.url()).responseDer();
        Duration day = Duration.ofDays(1);

        assertThat(client.checkCarried(der, good, ca, clock.instant(), day).responseDer())
                .isEqualTo(der);
        assertRefused(
                () -> client.checkCarried(der, good, ca, clock.instant().plus(Duration.ofHours(2)), day),
                "or its delegated responder",
                "is not valid at");
    }

    @Test
    void refusesAnAnswerTooLargeToBeAnOcspResponse() throws Exception {
        URI flooding = serve(new byte[OcspClient.MAX_RESPONSE_BYTES + 1]);

        assertThatThrownBy(() -> client.fetch(good, ca, flooding))
                .isInstanceOfSatisfying(
                        TrucException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NETWORK_ERROR))
                .hasMessageContaining("larger than " + OcspClient.MAX_RESPONSE_BYTES + " bytes");
    }

    /** Serves {@code answer} to every request, as a man in the middle replaying it would. */
    private URI serve(byte[] answer) throws IOException {
        replayer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        replayer.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        replayer.start();
        return URI.create("http://127.0.0.1:" + replayer.getAddress().getPort() + "/");
    }

    private static void assertRefused(ThrowingCallable call, String... messageParts) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(
                        TrucException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CERTIFICATE))
                .hasMessageContainingAll(messageParts);
    }
}
