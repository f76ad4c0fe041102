package vn.truc.server.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static vn.truc.server.trust.TestTrust.SERVER_A;
import static vn.truc.server.trust.TestTrust.SERVER_B;
import static vn.truc.server.trust.TestTrust.published;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import vn.truc.core.crypto.KeyStores.KeyAndChain;
import vn.truc.core.globalconf.GlobalConf;
import vn.truc.core.id.SecurityServerId;

/** Real TLS 1.3 handshakes on loopback between a Netty server and java.net.http.HttpClient. */
class TlsContextsTest {
    static final SecurityServerId SERVER_C = TestTrust.server("000.00.00.G01", "ss1");

    private final TestTrust trust = new TestTrust();
    private final KeyAndChain authA = trust.authCert(SERVER_A);
    private final KeyAndChain authB = trust.authCert(SERVER_B);
    private final RefusalLog refusals = new RefusalLog();
    private volatile GlobalConf conf;
    private final PeerVerifier verifier = new PeerVerifier(() -> conf, TestTrust.ocspClient());
    private TestTlsServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        refusals.close();
        trust.close();
    }

    @Test
    void acceptsRegisteredPeersOverTls13WithoutLookingAtHostNames() throws Exception {
        int port = listen(authB);
        conf = bothRegistered(port);

        HttpResponse<String> response = get(client(authA), "127.0.0.1", port);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("TLSv1.3 " + CertificateNames.subject(authA.certificate()));
        assertThat(response.sslSession().orElseThrow().getProtocol()).isEqualTo("TLSv1.3");
        assertThat(refusals.lines()).isEmpty();
    }

    @Test
    void refusesAClientWhoseCertificateIsNotRegistered() throws Exception {
        KeyAndChain unregistered = trust.authCert(SERVER_C);
        int port = listen(authB);
        conf = trust.conf(published(SERVER_B, "127.0.0.1:" + port, authB.certificate()));

        assertThatThrownBy(() -> get(client(unregistered), "127.0.0.1", port)).isInstanceOf(IOException.class);
        refusals.assertLogged(
                "refused peer " + CertificateNames.subject(unregistered.certificate()),
                "is not registered for any security server");
    }

    @Test
    void refusesAServerPresentingTheCertificateOfAnotherServer() throws Exception {
        int port = listen(authB);
        conf = trust.conf(
                published(SERVER_A, "127.0.0.1:1", authA.certificate()),
                published(SERVER_B, "127.0.0.1:2", authB.certificate()),
                published(
                        SERVER_C, "127.0.0.1:" + port, trust.authCert(SERVER_C).certificate()));

        assertThatThrownBy(() -> get(client(authA), "127.0.0.1", port)).isInstanceOf(IOException.class);
        refusals.assertLogged("peer presented the certificate of " + SERVER_B + ", expected " + SERVER_C);
    }

    @Test
    void refusesAServerAtAnAddressNotPublishedAsDialled() throws Exception {
        int port = listen(authB);
        conf = bothRegistered(port);

        assertThatThrownBy(() -> get(client(authA), "localhost", port)).isInstanceOf(IOException.class);
        refusals.assertLogged("no security server is published at localhost:" + port);
    }

    /** JSSE skips the trust manager when it resumes a session; the client must never resume. */
    @Test
    void verifiesTheServerAgainOnEveryNewConnection() throws Exception {
        int port = listen(authB);
        conf = bothRegistered(port);
        SSLContext context = TlsContexts.client(authA, verifier);
        assertThat(get(client(context), "127.0.0.1", port).statusCode()).isEqualTo(200);

        conf = trust.conf(
                published(SERVER_A, "127.0.0.1:1", authA.certificate()),
                published(SERVER_B, "127.0.0.1:2", authB.certificate()),
                published(
                        SERVER_C, "127.0.0.1:" + port, trust.authCert(SERVER_C).certificate()));

        assertThatThrownBy(() -> get(client(context), "127.0.0.1", port)).isInstanceOf(IOException.class);
        refusals.assertLogged("peer presented the certificate of " + SERVER_B + ", expected " + SERVER_C);
    }

    /** A stock JSSE client offers to resume; the server must judge it afresh all the same. */
    @Test
    void verifiesTheClientAgainOnEveryNewConnection() throws Exception {
        int port = listen(authB);
        conf = bothRegistered(port);
        ResumingClient stock = new ResumingClient(authA);
        assertThat(stock.get(port)).startsWith("HTTP/1.1 200");

        conf = trust.conf(published(SERVER_B, "127.0.0.1:" + port, authB.certificate()));

        assertThatThrownBy(() -> stock.get(port)).isInstanceOf(IOException.class);
        refusals.assertLogged(
                "refused peer " + CertificateNames.subject(authA.certificate()),
                "is not registered for any security server");
    }

    @Test
    void refusesAClientOfferingOnlyTls12() throws Exception {
        int port = listen(authB);
        conf = bothRegistered(port);
        SSLParameters tls12 = new SSLParameters();
        tls12.setProtocols(new String[] {"TLSv1.2"});
        HttpClient oldClient = HttpClient.newBuilder()
                .sslContext(TlsContexts.client(authA, verifier))
                .sslParameters(tls12)
                .version(HttpClient.Version.HTTP_1_1)
                .build();

        assertThatThrownBy(() -> get(oldClient, "127.0.0.1", port)).isInstanceOf(IOException.class);
    }

    @Test
    void offersTls13AloneToHttpClient() {
        SSLContext context = TlsContexts.client(authA, verifier);

        assertThat(context.getDefaultSSLParameters().getProtocols()).containsExactly("TLSv1.3");
        assertThat(context.createSSLEngine("127.0.0.1", 443).getEnabledProtocols())
                .containsExactly("TLSv1.3");
        assertThatThrownBy(context::getSocketFactory).isInstanceOf(UnsupportedOperationException.class);
    }

    private GlobalConf bothRegistered(int portOfB) {
        return trust.conf(
                published(SERVER_A, "127.0.0.1:1", authA.certificate()),
                published(SERVER_B, "127.0.0.1:" + portOfB, authB.certificate()));
    }

    private int listen(KeyAndChain auth) throws InterruptedException {
        server = new TestTlsServer(TlsContexts.server(auth, verifier));
        return server.port();
    }

    private HttpClient client(KeyAndChain auth) {
        return client(TlsContexts.client(auth, verifier));
    }

    private static HttpClient client(SSLContext context) {
        return HttpClient.newBuilder()
                .sslContext(context)
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    private static HttpResponse<String> get(HttpClient client, String host, int port)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://" + host + ":" + port + "/"))
                .timeout(Duration.ofSeconds(15))
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
