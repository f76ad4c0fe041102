package vn.truc.server.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static vn.truc.server.trust.TestTrust.SERVER_A;
import static vn.truc.server.trust.TestTrust.SERVER_B;
import static vn.truc.server.trust.TestTrust.published;

import java.security.cert.X509Certificate;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import vn.truc.core.crypto.CertificateProfile;
import vn.truc.core.crypto.KeyStores.KeyAndChain;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;
import vn.truc.core.globalconf.GlobalConf;
import vn.truc.core.testing.TestPki;

class PeerVerifierTest {
    private final TestTrust trust = new TestTrust();
    private final KeyAndChain authA = trust.authCert(SERVER_A);
    private final KeyAndChain authB = trust.authCert(SERVER_B);
    private final GlobalConf conf = trust.conf(
            published(SERVER_A, "ss1.g22.example:5500", authA.certificate()),
            published(SERVER_B, "ss1.h41.example:5500", authB.certificate()));
    private final PeerVerifier verifier = new PeerVerifier(() -> conf, TestTrust.ocspClient());

    @AfterEach
    void stop() {
        trust.close();
    }

    @Test
    void returnsTheServerARegisteredCertificateBelongsTo() {
        assertThat(verifier.verify(chain(authA), Optional.empty())).isEqualTo(SERVER_A);
        assertThat(verifier.verify(chain(authB), Optional.of(SERVER_B))).isEqualTo(SERVER_B);
        assertThat(trust.ocsp.requests()).isEqualTo(2);
    }

    @Test
    void refusesACertificateFromTheApprovedCaThatIsNotRegistered() {
        KeyAndChain unregistered = trust.authCert(TestTrust.server("000.00.00.G01", "ss1"));

        assertRefused(
                () -> verifier.verify(chain(unregistered), Optional.empty()),
                ErrorCode.ACCESS_DENIED,
                "is not registered for any security server");
    }

    @Test
    void refusesACertificateFromACaThatIsNotApproved() {
        KeyAndChain foreign = TestPki.newCa("Other CA").issue(SERVER_A.toString(), CertificateProfile.AUTH);

        assertRefused(
                () -> verifier.verify(chain(foreign), Optional.empty()),
                ErrorCode.INVALID_CERTIFICATE,
                "is issued by CN=Other CA, which is not an approved CA");
    }

    @Test
    void refusesACertificateFromAnImpostorBearingTheApprovedCasName() {
        KeyAndChain forged = TestPki.newCa("Truc Test CA").issue(SERVER_A.toString(), CertificateProfile.AUTH);
        GlobalConf withForgedHash = trust.conf(published(SERVER_A, "ss1.g22.example:5500", forged.certificate()));
        PeerVerifier verifying = new PeerVerifier(() -> withForgedHash, TestTrust.ocspClient());

        assertRefused(
                () -> verifying.verify(chain(forged), Optional.empty()),
                ErrorCode.INVALID_CERTIFICATE,
                "its signature does not verify with that CA's key");
    }

    @Test
    void refusesTheCertificateOfAnotherServerThanTheOneExpected() {
        assertRefused(
                () -> verifier.verify(chain(authB), Optional.of(SERVER_A)),
                ErrorCode.ACCESS_DENIED,
                "peer presented the certificate of " + SERVER_B + ", expected " + SERVER_A);
    }

    @Test
    void refusesAnExpiredCertificate() {
        KeyAndChain expired = trust.pki.issueExpired(SERVER_A.toString(), CertificateProfile.AUTH);
        GlobalConf registered = trust.conf(published(SERVER_A, "ss1.g22.example:5500", expired.certificate()));
        PeerVerifier verifying = new PeerVerifier(() -> registered, TestTrust.ocspClient());

        assertRefused(
                () -> verifying.verify(chain(expired), Optional.empty()),
                ErrorCode.INVALID_CERTIFICATE,
                "has expired (valid until");
    }

    @Test
    void refusesARevokedCertificate() {
        trust.ocsp.revoke(authA.certificate());

        assertRefused(
                () -> verifier.verify(chain(authA), Optional.of(SERVER_A)),
                ErrorCode.INVALID_CERTIFICATE,
                "is revoked (since",
                "keyCompromise");
    }

    @Test
    void refusesWhenTheCaHasNoOcspResponder() {
        GlobalConf noOcsp = TestTrust.conf(
                new GlobalConf.CertificationAuthority("Truc Test CA", trust.pki.caCertificate(), null),
                published(SERVER_A, "ss1.g22.example:5500", authA.certificate()));
        PeerVerifier verifying = new PeerVerifier(() -> noOcsp, TestTrust.ocspClient());

        assertRefused(
                () -> verifying.verify(chain(authA), Optional.empty()),
                ErrorCode.INVALID_CERTIFICATE,
                "no OCSP responder");
    }

    @Test
    void refusesEveryPeerOnceGlobalConfigurationHasExpired() {
        PeerVerifier expired = new PeerVerifier(
                () -> {
                    throw new TrucException(Origin.SERVER, ErrorCode.CONF_EXPIRED, "global configuration expired");
                },
                TestTrust.ocspClient());

        assertRefused(() -> expired.verify(chain(authA), Optional.empty()), ErrorCode.CONF_EXPIRED, "expired");
    }

    @Test
    void findsTheServerPublishedAtAnAddress() {
        assertThat(verifier.serverAt("SS1.H41.example", 5500)).isEqualTo(SERVER_B);
        assertRefused(
                () -> verifier.serverAt("ss1.h41.example", 5501), ErrorCode.UNKNOWN_SERVER, "ss1.h41.example:5501");
    }

    private static X509Certificate[] chain(KeyAndChain key) {
        return key.chain().toArray(new X509Certificate[0]);
    }

    private static void assertRefused(ThrowingCallable call, ErrorCode code, String... messageParts) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(
                        TrucException.class, e -> assertThat(e.code()).isEqualTo(code))
                .hasMessageContainingAll(messageParts);
    }
}
