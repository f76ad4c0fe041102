package vn.truc.server;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import vn.truc.core.crypto.CertificateProfile;
import vn.truc.core.crypto.Certificates;
import vn.truc.core.crypto.KeyStores.KeyAndChain;
import vn.truc.core.crypto.Pem;
import vn.truc.core.id.ClientId;
import vn.truc.core.id.ServiceId;
import vn.truc.core.net.FreePorts;
import vn.truc.core.testing.Processes;
import vn.truc.core.testing.TestPki;
import vn.truc.server.store.AccessSubject;
import vn.truc.server.store.ClientStore;
import vn.truc.server.store.ConnectionType;
import vn.truc.server.store.Protocol;

/**
 * The client proxy's HTTPS listener and the connection type of a client subsystem: its
 * information system calls over real TLS, with or without its registered certificate.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientTlsIT {
    private static final String G22 = "000.00.00.G22";
    private static final String H41 = "000.00.00.H41";
    private static final ClientId CLIENT = ClientId.parse("VN/GOV/000.00.00.G22/DMS");
    private static final ServiceId DOCUMENTS = ServiceId.parse("VN/GOV/000.00.00.H41/DMS/documents");
    private static final String PATH = "/r1/VN/GOV/000.00.00.H41/DMS/documents/42";
    private static final char[] SECRET = "secret".toCharArray();

    @TempDir
    static Path dir;

    private Federation federation;
    private WireMockServer backend;
    private KeyAndChain registered;
    private KeyAndChain other;
    private X509Certificate serverCertificate;

    @BeforeAll
    void start() throws Exception {
        backend = new WireMockServer(
                WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        backend.start();
        backend.stubFor(get(urlPathMatching("/api/.*"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"doc\":42}")));
        int httpsPort = FreePorts.next();
        federation = new Federation(
                dir,
                "",
                code -> G22.equals(code) ? "client-proxy.https-port = " + httpsPort + "\n" : "",
                List.of(G22, H41));
        var provider = federation.server(H41).store();
        provider.services()
                .addService(DOCUMENTS, URI.create("http://127.0.0.1:" + backend.port() + "/api"), Protocol.REST);
        provider.accessRules().grant(DOCUMENTS, AccessSubject.parse(CLIENT.toString()));

        TestPki pki = TestPki.newCa("DMS systems of G22");
        registered = pki.issue("dms.g22.gov.vn", CertificateProfile.AUTH);
        other = pki.issue("other.g22.gov.vn", CertificateProfile.AUTH);
        clients().addCertificate(CLIENT, registered.certificate());
        serverCertificate =
                Certificates.fromPem(Files.readString(federation.serverDir(G22).resolve("keys/internal-tls.pem")));
        assertThat(federation.server(G22).clientProxyHttpsPort()).isEqualTo(httpsPort);
        assertThat(federation.server(H41).clientProxyHttpsPort())
                .as("no HTTPS listener unless configured")
                .isZero();
    }

    @AfterEach
    void requireRegisteredCertificate() {
        clients().setConnectionType(CLIENT, ConnectionType.HTTPS);
    }

    @AfterAll
    void stop() {
        federation.close();
        backend.stop();
    }

    @Test
    void callOverHttpsWithTheRegisteredCertificateReachesTheService() throws Exception {
        clients().setConnectionType(CLIENT, ConnectionType.HTTPS);

        HttpResponse<String> answer = call(https(registered), httpsUrl());

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("{\"doc\":42}");
        assertThat(answer.headers().firstValue("X-Road-Client")).contains(CLIENT.toString());
    }

    @Test
    void callOverPlainHttpIsRefusedForAnHttpsSubsystem() throws Exception {
        clients().setConnectionType(CLIENT, ConnectionType.HTTPS);

        HttpResponse<String> answer = call(HttpClient.newHttpClient(), httpUrl());

        assertRefused(answer);
        assertThat(answer.body())
                .contains("client " + CLIENT + " must call over HTTPS with its registered certificate");
    }

    @Test
    void callOverHttpsWithoutCertificateOrWithAnotherOneIsRefused() throws Exception {
        clients().setConnectionType(CLIENT, ConnectionType.HTTPS);

        HttpResponse<String> withoutCertificate = call(https(null), httpsUrl());
        HttpResponse<String> withAnother = call(https(other), httpsUrl());

        assertRefused(withoutCertificate);
        assertThat(withoutCertificate.body()).contains("no client certificate");
        assertRefused(withAnother);
        assertThat(withAnother.body())
                .contains(Certificates.sha256Hex(other.certificate()) + ", which is not registered");
    }

    @Test
    void httpsNoAuthAcceptsHttpsWithoutCertificateButNotPlainHttp() throws Exception {
        clients().setConnectionType(CLIENT, ConnectionType.HTTPS_NO_AUTH);

        assertThat(call(https(null), httpsUrl()).statusCode()).isEqualTo(200);
        assertThat(call(https(other), httpsUrl()).statusCode()).isEqualTo(200);
        HttpResponse<String> plain = call(HttpClient.newHttpClient(), httpUrl());
        assertRefused(plain);
        assertThat(plain.body()).contains("must call over HTTPS (this call came over plain HTTP)");
    }

    @Test
    void httpSubsystemMayUseEitherListener() throws Exception {
        clients().setConnectionType(CLIENT, ConnectionType.HTTP);

        assertThat(call(HttpClient.newHttpClient(), httpUrl()).statusCode()).isEqualTo(200);
        assertThat(call(https(null), httpsUrl()).statusCode()).isEqualTo(200);
    }

    @Test
    void curlWithTheRegisteredCertificateGetsThroughAsAClientSystemWould() throws Exception {
        clients().setConnectionType(CLIENT, ConnectionType.HTTPS);
        Path cert = Files.writeString(dir.resolve("dms.pem"), Certificates.toPem(registered.certificate()));
        Path key = Files.writeString(dir.resolve("dms.key"), Pem.write(registered.privateKey()));

        Processes.Result ok = curl("--fail-with-body", "--cert", cert.toString(), "--key", key.toString());
        Processes.Result noCert = curl("-o", "/dev/null", "-w", "%{http_code}");

        assertThat(ok.exitCode()).as(ok.output()).isZero();
        assertThat(ok.output()).isEqualTo("{\"doc\":42}");
        assertThat(noCert.output()).isEqualTo("403");
    }

    /** curl calling the HTTPS listener as G22/DMS, trusting only the server's internal TLS certificate. */
    private Processes.Result curl(String... options) throws Exception {
        Path ca = federation.serverDir(G22).resolve("keys/internal-tls.pem");
        List<String> command = new ArrayList<>(List.of("curl", "-s", "-S", "--cacert", ca.toString()));
        command.addAll(List.of(options));
        command.addAll(List.of("-H", "X-Road-Client: " + CLIENT, httpsUrl()));
        return Processes.run(command);
    }

    private ClientStore clients() {
        return federation.server(G22).store().clients();
    }

    private String httpsUrl() {
        return "https://127.0.0.1:" + federation.server(G22).clientProxyHttpsPort() + PATH;
    }

    private String httpUrl() {
        return "http://127.0.0.1:" + federation.server(G22).clientProxyPort() + PATH;
    }

    private static HttpResponse<String> call(HttpClient client, String url) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("X-Road-Client", CLIENT.toString())
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void assertRefused(HttpResponse<String> answer) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(403);
        assertThat(answer.headers().firstValue("X-Road-Error")).contains("client.access_denied");
    }

    /** A client that trusts only the server's pinned internal TLS certificate and presents {@code key}, if any. */
    private HttpClient https(KeyAndChain key) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("internal-tls", serverCertificate);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        KeyStore own = KeyStore.getInstance("PKCS12");
        own.load(null, null);
        if (key != null) {
            own.setKeyEntry("dms", key.privateKey(), SECRET, key.chain().toArray(new X509Certificate[0]));
        }
        keys.init(own, SECRET);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
        return HttpClient.newBuilder()
                .sslContext(context)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }
}
