package vn.truc.server.trust;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import vn.truc.core.crypto.CertificateProfile;
import vn.truc.core.crypto.Certificates;
import vn.truc.core.crypto.KeyStores.KeyAndChain;
import vn.truc.core.globalconf.GlobalConf;
import vn.truc.core.id.ClientId;
import vn.truc.core.id.SecurityServerId;
import vn.truc.core.testing.TestPki;

/** An approved CA with a live OCSP responder, auth certificates, and global configurations naming them. */
final class TestTrust implements AutoCloseable {
    static final SecurityServerId SERVER_A = server("000.00.00.G22", "ss1");
    static final SecurityServerId SERVER_B = server("000.00.00.H41", "ss1");

    final TestPki pki = TestPki.newCa("Truc Test CA");
    final OcspStub ocsp;

    TestTrust() {
        try {
            ocsp = new OcspStub(pki);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SecurityServerId server(String memberCode, String serverCode) {
        return new SecurityServerId(ClientId.member("VN", "GOV", memberCode), serverCode);
    }

    KeyAndChain authCert(SecurityServerId server) {
        return pki.issue(server.toString(), CertificateProfile.AUTH);
    }

    static GlobalConf.SecurityServer published(SecurityServerId id, String address, X509Certificate... authCerts) {
        return new GlobalConf.SecurityServer(
                id,
                address,
                Arrays.stream(authCerts).map(Certificates::sha256Hex).toList());
    }

    /** Our CA approved, with its responder; valid for an hour. */
    GlobalConf conf(GlobalConf.SecurityServer... servers) {
        return conf(new GlobalConf.CertificationAuthority("Truc Test CA", pki.caCertificate(), ocsp.url()), servers);
    }

    static GlobalConf conf(GlobalConf.CertificationAuthority ca, GlobalConf.SecurityServer... servers) {
        Instant now = Instant.now();
        return new GlobalConf(
                "VN",
                1,
                now,
                now.plus(Duration.ofHours(1)),
                List.of(),
                List.of(servers),
                List.of(ca),
                List.of(),
                List.of());
    }

    static OcspClient ocspClient() {
        return new OcspClient(HttpClient.newHttpClient(), Clock.systemUTC(), Duration.ofMinutes(20));
    }

    @Override
    public void close() {
        ocsp.close();
    }
}
