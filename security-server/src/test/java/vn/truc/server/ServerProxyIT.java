package vn.truc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.asn1.x500.X500Name;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import vn.truc.core.crypto.CertificateRequests;
import vn.truc.core.crypto.KeyAlgorithm;
import vn.truc.core.crypto.KeyPairs;
import vn.truc.core.crypto.KeyStores;
import vn.truc.core.crypto.KeyStores.KeyAndChain;
import vn.truc.core.document.DocumentManifest;
import vn.truc.core.globalconf.GlobalConf;
import vn.truc.core.id.ClientId;
import vn.truc.core.id.SecurityServerId;
import vn.truc.core.id.ServiceId;
import vn.truc.core.message.BodyDigest;
import vn.truc.core.message.MessageManifest;
import vn.truc.core.message.MessageSignatures;
import vn.truc.server.registration.RegistryClient;
import vn.truc.server.store.AccessSubject;
import vn.truc.server.store.Protocol;
import vn.truc.server.trust.OcspClient;
import vn.truc.server.trust.PeerVerifier;
import vn.truc.server.trust.TlsContexts;

/**
 * What reaches a provider's server proxy directly, as a misbehaving or hostile peer would send it:
 * every forgery is refused with its stable code and nothing reaches the service.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServerProxyIT {
    private static final String G22 = "000.00.00.G22";
    private static final String H41 = "000.00.00.H41";
    private static final ClientId CLIENT = ClientId.parse("VN/GOV/000.00.00.G22/DMS");
    private static final ServiceId SERVICE = ServiceId.parse("VN/GOV/000.00.00.H41/DMS/documents");
    private static final ServiceId SOAP_SERVICE = ServiceId.parse("VN/GOV/000.00.00.H41/DMS/getDocument/v1");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private Federation federation;
    private HttpServer backend;
    private final AtomicInteger backendCalls = new AtomicInteger();
    private GlobalConf conf;
    private OcspClient ocsp;

    @BeforeAll
    void start() throws Exception {
        backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4);
        backend.createContext("/", exchange -> {
            backendCalls.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        backend.start();
        federation = new Federation(dir, "", "", java.util.List.of(G22, H41));
        var provider = federation.server(H41).store();
        provider.services()
                .addService(
                        SERVICE,
                        URI.create("http://127.0.0.1:" + backend.getAddress().getPort() + "/"),
                        Protocol.REST);
        provider.accessRules().grant(SERVICE, AccessSubject.parse(CLIENT.toString()));
        provider.services()
                .addService(
                        SOAP_SERVICE,
                        URI.create("http://127.0.0.1:" + backend.getAddress().getPort() + "/soap"),
                        Protocol.SOAP);
        provider.accessRules().grant(SOAP_SERVICE, AccessSubject.parse(CLIENT.toString()));
        conf = federation.server(G22).requireValidConf();
        ocsp = new OcspClient(HttpClient.newHttpClient(), Clock.systemUTC(), Duration.ofMinutes(20));
    }

    @AfterAll
    void stop() {
        federation.close();
        backend.stop(0);
    }

    @Test
    void aCorrectlySignedRequestIsServed() throws Exception {
        HttpResponse<String> response = send(keys(G22, "auth"), signedBy(keys(G22, "sign")), "hello", "hello", false);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Truc-Status")).contains("200");
    }

    /** A peer that signs in batches: the request carries one CMS of three, with its own path. */
    @Test
    void aRequestSignedInABatchIsServedAndAnotherMessagesPathIsRefused() throws Exception {
        KeyAndChain sign = keys(G22, "sign");
        byte[] ocspDer = ocspFor(sign);
        List<byte[]> others = List.of(
                "{\"another\":1}".getBytes(StandardCharsets.UTF_8), "{\"another\":2}".getBytes(StandardCharsets.UTF_8));
        Signer inBatch =
                manifest -> MessageSignatures.signEach(List.of(others.get(0), manifest, others.get(1)), sign, ocspDer)
                        .get(1);
        Signer othersPath =
                manifest -> MessageSignatures.signEach(List.of(others.get(0), manifest, others.get(1)), sign, ocspDer)
                        .get(2);

        HttpResponse<String> served = send(keys(G22, "auth"), inBatch, "hello", "hello", false);
        int before = backendCalls.get();
        HttpResponse<String> refused = send(keys(G22, "auth"), othersPath, "hello", "hello", false);

        assertThat(served.statusCode()).as(served.body()).isEqualTo(200);
        assertRefused(refused, 400, "server.serverproxy.invalid_signature", "does not verify");
        assertThat(backendCalls.get()).isEqualTo(before);
    }

    @Test
    void bodyChangedAfterSigningIsRefused() throws Exception {
        int before = backendCalls.get();
        HttpResponse<String> response = send(keys(G22, "auth"), signedBy(keys(G22, "sign")), "hello", "HELLO", false);
        assertRefused(response, 400, "server.serverproxy.invalid_signature", "body does not match");
        assertThat(backendCalls.get()).isEqualTo(before);
    }

    @Test
    void tamperedSignatureIsRefused() throws Exception {
        int before = backendCalls.get();
        HttpResponse<String> response = send(keys(G22, "auth"), signedBy(keys(G22, "sign")), "hello", "hello", true);
        assertRefused(response, 400, "server.serverproxy.invalid_signature", "");
        assertThat(backendCalls.get()).isEqualTo(before);
    }

    @Test
    void signatureWithTheCertificateOfAnotherMemberIsRefused() throws Exception {
        int before = backendCalls.get();
        HttpResponse<String> response = send(keys(G22, "auth"), signedBy(keys(H41, "sign")), "hello", "hello", false);
        assertRefused(response, 400, "server.serverproxy.invalid_signature", "certificate of VN/GOV/000.00.00.H41");
        assertThat(backendCalls.get()).isEqualTo(before);
    }

    @Test
    void peerWhoseCertificateIsNotRegisteredIsRefusedAtTheHandshake() throws Exception {
        KeyAndChain unregistered = freshAuthCertificate(G22);
        assertThatThrownBy(() -> send(unregistered, signedBy(keys(G22, "sign")), "hello", "hello", false))
                .isInstanceOf(IOException.class);
    }

    @Test
    void soapEnvelopeNamingAnotherServiceThanTheSignedOneIsRefused() throws Exception {
        int before = backendCalls.get();
        String envelope = "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\""
                + " xmlns:xrd=\"http://x-road.eu/xsd/xroad.xsd\" xmlns:id=\"http://x-road.eu/xsd/identifiers\"><SOAP-ENV:Header>"
                + "<xrd:client id:objectType=\"SUBSYSTEM\"><id:xRoadInstance>VN</id:xRoadInstance><id:memberClass>GOV</id:memberClass>"
                + "<id:memberCode>000.00.00.G22</id:memberCode><id:subsystemCode>DMS</id:subsystemCode></xrd:client>"
                + "<xrd:service id:objectType=\"SERVICE\"><id:xRoadInstance>VN</id:xRoadInstance><id:memberClass>GOV</id:memberClass>"
                + "<id:memberCode>000.00.00.H41</id:memberCode><id:subsystemCode>DMS</id:subsystemCode>"
                + "<id:serviceCode>deleteEverything</id:serviceCode></xrd:service>"
                + "<xrd:id>smuggled</xrd:id><xrd:protocolVersion>4.0</xrd:protocolVersion>"
                + "</SOAP-ENV:Header><SOAP-ENV:Body><x/></SOAP-ENV:Body></SOAP-ENV:Envelope>";
        MessageManifest manifest = new MessageManifest(
                MessageManifest.Kind.REQUEST,
                "smuggled",
                CLIENT,
                SOAP_SERVICE,
                null,
                null,
                "soap",
                "POST",
                null,
                "text/xml",
                BodyDigest.of(envelope.getBytes(StandardCharsets.UTF_8)),
                null,
                Instant.now());

        HttpResponse<String> response = send(keys(G22, "auth"), manifest, signedBy(keys(G22, "sign")), envelope, false);

        assertRefused(response, 400, "server.serverproxy.invalid_signature", "differ from what was signed");
        assertThat(backendCalls.get()).isEqualTo(before);
    }

    @Test
    void restPathThatClimbsOutOfTheServiceIsRefused() throws Exception {
        int before = backendCalls.get();
        for (String path : List.of("/../admin", "/a/%2e%2e/%2E%2e/admin", "@evil/x", "/x#frag")) {
            MessageManifest manifest = new MessageManifest(
                    MessageManifest.Kind.REQUEST,
                    "climb-" + System.nanoTime(),
                    CLIENT,
                    SERVICE,
                    null,
                    null,
                    "rest",
                    "GET",
                    path,
                    null,
                    BodyDigest.of(new byte[0]),
                    null,
                    Instant.now());
            HttpResponse<String> response = send(keys(G22, "auth"), manifest, signedBy(keys(G22, "sign")), "", false);
            assertRefused(response, 400, "server.serverproxy.invalid_request", "not a plain path");
        }
        assertThat(backendCalls.get()).isEqualTo(before);
    }

    @Test
    void aStatusAboutADocumentNeverExchangedWithThePeerIsRefused() throws Exception {
        // G22 claims its DMS finished ("06") a document H41 never sent it: a forged history entry
        String digest = BodyDigest.of("x".getBytes(StandardCharsets.UTF_8));
        DocumentManifest forged = new DocumentManifest(
                "forged-status-" + System.nanoTime(),
                DocumentManifest.Kind.STATUS,
                CLIENT,
                ClientId.parse("VN/GOV/" + H41 + "/DMS"),
                H41 + ",2026/11/23,77/UBND-VP",
                vn.truc.core.edxml.EdxmlPackage.BusinessType.NEW,
                "06",
                "application/json",
                1,
                digest,
                digest,
                Instant.now());
        byte[] manifestBytes = forged.toBytes();
        byte[] signature = signedBy(keys(G22, "sign")).sign(manifestBytes);
        HttpClient client = HttpClient.newBuilder()
                .sslContext(TlsContexts.client(keys(G22, "auth"), new PeerVerifier(() -> conf, ocsp)))
                .build();
        String address = conf.securityServer(new SecurityServerId(ClientId.member("VN", "GOV", H41), "ss1"))
                .orElseThrow()
                .address();
        long statuses = federation
                .server(H41)
                .store()
                .database()
                .queryOne("SELECT COUNT(*) FROM document_status", r -> r.getLong(1))
                .orElseThrow();

        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(URI.create("https://" + address + "/truc/v1/documents"))
                        .header("Truc-Manifest", Base64.getEncoder().encodeToString(manifestBytes))
                        .header("Truc-Signature", Base64.getEncoder().encodeToString(signature))
                        .POST(HttpRequest.BodyPublishers.ofString("x"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertRefused(response, 400, "server.serverproxy.invalid_request", "exchanged no document");
        assertThat(federation
                        .server(H41)
                        .store()
                        .database()
                        .queryOne("SELECT COUNT(*) FROM document_status", r -> r.getLong(1))
                        .orElseThrow())
                .isEqualTo(statuses);
    }

    // ---- helpers

    private interface Signer {
        byte[] sign(byte[] manifest);
    }

    private Signer signedBy(KeyAndChain sign) {
        byte[] ocspDer = ocspFor(sign);
        return manifest -> MessageSignatures.sign(manifest, sign, ocspDer);
    }

    private byte[] ocspFor(KeyAndChain sign) {
        var ca = conf.certificationAuthorities().get(0);
        return ocsp.fetch(sign.certificate(), ca.certificate(), URI.create(ca.ocspUrl()))
                .responseDer();
    }

    private HttpResponse<String> send(
            KeyAndChain auth, Signer signer, String signedBody, String sentBody, boolean breakSignature)
            throws Exception {
        MessageManifest manifest = new MessageManifest(
                MessageManifest.Kind.REQUEST,
                "forged-" + System.nanoTime(),
                CLIENT,
                SERVICE,
                null,
                null,
                "rest",
                "POST",
                null,
                "text/plain",
                BodyDigest.of(signedBody.getBytes(StandardCharsets.UTF_8)),
                null,
                Instant.now());
        return send(auth, manifest, signer, sentBody, breakSignature);
    }

    private HttpResponse<String> send(
            KeyAndChain auth, MessageManifest manifest, Signer signer, String sentBody, boolean breakSignature)
            throws Exception {
        byte[] manifestBytes = manifest.toBytes();
        byte[] signature = signer.sign(manifestBytes);
        if (breakSignature) {
            signature[signature.length - 10] ^= 0x01;
        }
        PeerVerifier verifier = new PeerVerifier(() -> conf, ocsp);
        HttpClient client = HttpClient.newBuilder()
                .sslContext(TlsContexts.client(auth, verifier))
                .build();
        String address = conf.securityServer(new SecurityServerId(ClientId.member("VN", "GOV", H41), "ss1"))
                .orElseThrow()
                .address();
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://" + address + "/truc/v1/exchange"))
                .header("Truc-Manifest", Base64.getEncoder().encodeToString(manifestBytes))
                .header("Truc-Signature", Base64.getEncoder().encodeToString(signature))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(sentBody))
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private KeyAndChain keys(String memberCode, String usage) {
        return KeyStores.load(federation.serverDir(memberCode).resolve("keys/" + usage + ".p12"), Federation.PIN);
    }

    /** A genuine auth certificate from the federation's CA that was never registered. */
    private KeyAndChain freshAuthCertificate(String memberCode) {
        KeyPair pair = KeyPairs.generate(KeyAlgorithm.RSA);
        String csr = CertificateRequests.toPem(CertificateRequests.create(pair, new X500Name("CN=rogue")));
        RegistryClient registry = new RegistryClient(federation.registryConfig.publicUrl(), HttpClient.newHttpClient());
        var chain = registry.requestCertificate(
                "auth", "VN/GOV/" + memberCode + "/ss1", csr, federation.tokens.get(memberCode));
        return new KeyAndChain(pair.getPrivate(), chain);
    }

    private static void assertRefused(HttpResponse<String> response, int status, String type, String message)
            throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("X-Road-Error")).contains(type);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("message").asText()).contains(message);
        assertThat(Optional.ofNullable(body.get("detail")).map(JsonNode::asText).orElse(""))
                .hasSize(16);
    }
}
