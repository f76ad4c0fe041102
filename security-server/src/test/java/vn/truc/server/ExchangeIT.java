package vn.truc.server;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import vn.truc.core.id.ServiceId;
import vn.truc.core.testing.Processes;
import vn.truc.server.store.AccessSubject;
import vn.truc.server.store.LogRecord;
import vn.truc.server.store.Protocol;

/**
 * Two agencies' security servers on loopback, a WireMock service behind the provider, and calls
 * made with curl as a client system would make them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExchangeIT {
    private static final String G22 = "000.00.00.G22";
    private static final String H41 = "000.00.00.H41";
    private static final String CLIENT = "VN/GOV/000.00.00.G22/DMS";
    private static final ServiceId DOCUMENTS = ServiceId.parse("VN/GOV/000.00.00.H41/DMS/documents");
    private static final ServiceId SECRET = ServiceId.parse("VN/GOV/000.00.00.H41/DMS/secret");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_BODY = 4 << 20;
    /** Debian's interpreter, where python3-zeep is installed (another python3 may come first on PATH). */
    private static final String DEBIAN_PYTHON = "/usr/bin/python3";

    @TempDir
    static Path dir;

    private static final ServiceId SOAP_SERVICE = ServiceId.parse("VN/GOV/000.00.00.H41/DMS/getDocument/v1");

    private Federation federation;
    private WireMockServer backend;
    private SoapEchoService soapBackend;

    @BeforeAll
    void start() throws Exception {
        backend = new WireMockServer(
                WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        backend.start();
        federation = new Federation(
                dir,
                "",
                "limits.max-body-bytes = " + MAX_BODY + "\ntimeouts.backend = 2s\ntimeouts.idle = 2s\n",
                List.of(G22, H41));
        var provider = federation.server(H41).store();
        URI base = URI.create("http://127.0.0.1:" + backend.port() + "/api");
        provider.services().addService(DOCUMENTS, base, Protocol.REST);
        provider.services().addService(SECRET, base, Protocol.REST);
        provider.accessRules().grant(DOCUMENTS, AccessSubject.parse(CLIENT));
        soapBackend = new SoapEchoService();
        provider.services().addService(SOAP_SERVICE, soapBackend.url(), Protocol.SOAP);
        provider.accessRules().grant(SOAP_SERVICE, AccessSubject.parse(CLIENT));
    }

    @AfterAll
    void stop() {
        federation.close();
        backend.stop();
        soapBackend.close();
    }

    @BeforeEach
    void resetBackend() {
        backend.resetAll();
    }

    @Test
    void restCallFromCurlReachesTheServiceAndComesBackWithXRoadHeaders() throws Exception {
        backend.stubFor(get(urlEqualTo("/api/42?format=json"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"doc\":42}")));

        Curl answer = curl(
                "-H",
                "X-Road-Client: " + CLIENT,
                "-H",
                "X-Road-Id: call-1",
                "-H",
                "X-Road-UserId: VN123",
                clientProxy() + "/r1/VN/GOV/000.00.00.H41/DMS/documents/42?format=json");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("{\"doc\":42}");
        assertThat(answer.header("X-Road-Id")).isEqualTo("call-1");
        assertThat(answer.header("X-Road-Client")).isEqualTo(CLIENT);
        assertThat(answer.header("X-Road-Service")).isEqualTo(DOCUMENTS.toString());
        assertThat(answer.header("X-Road-Request-Hash")).isNotBlank();
        backend.verify(getRequestedFor(urlEqualTo("/api/42?format=json"))
                .withHeader("X-Road-Client", equalTo(CLIENT))
                .withHeader("X-Road-UserId", equalTo("VN123")));
        assertThat(logged(G22, "call-1")).containsExactly("OUT REQUEST", "IN RESPONSE");
        assertThat(logged(H41, "call-1")).containsExactly("IN REQUEST", "OUT RESPONSE");
    }

    @Test
    void postedBodyArrivesByteForByteAndServiceErrorsPassThroughUnchanged() throws Exception {
        backend.stubFor(post(urlPathEqualTo("/api/upload"))
                .willReturn(aResponse()
                        .withStatus(422)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":\"bad form\"}")));
        byte[] payload = new byte[1 << 20];
        new java.util.Random(7).nextBytes(payload);
        Path file = Files.write(dir.resolve("payload.bin"), payload);

        Curl answer = curl(
                "-X",
                "POST",
                "-H",
                "X-Road-Client: " + CLIENT,
                "-H",
                "Content-Type: application/octet-stream",
                "--data-binary",
                "@" + file,
                clientProxy() + "/r1/VN/GOV/000.00.00.H41/DMS/documents/upload");

        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.body()).isEqualTo("{\"error\":\"bad form\"}");
        assertThat(answer.header("X-Road-Error")).isNull();
        var received = backend.findAll(anyRequestedFor(anyUrl()));
        assertThat(received).singleElement().satisfies(r -> assertThat(r.getBody())
                .isEqualTo(payload));
    }

    @Test
    void clientWithoutAccessRightIsRefusedAndNothingReachesTheService() throws Exception {
        Curl answer = curl("-H", "X-Road-Client: " + CLIENT, clientProxy() + "/r1/VN/GOV/000.00.00.H41/DMS/secret/1");

        assertGatewayError(answer, 403, "server.serverproxy.access_denied");
        assertThat(backend.findAll(anyRequestedFor(anyUrl()))).isEmpty();
    }

    @Test
    void unknownServiceAndUnknownProviderAreNamed() throws Exception {
        assertGatewayError(
                curl("-H", "X-Road-Client: " + CLIENT, clientProxy() + "/r1/VN/GOV/000.00.00.H41/DMS/nothing"),
                404,
                "server.serverproxy.unknown_service");
        assertGatewayError(
                curl("-H", "X-Road-Client: " + CLIENT, clientProxy() + "/r1/VN/GOV/000.00.00.X99/DMS/documents"),
                404,
                "client.unknown_member");
        assertGatewayError(
                curl(
                        "-H",
                        "X-Road-Client: VN/GOV/000.00.00.G22/UNPUBLISHED",
                        clientProxy() + "/r1/VN/GOV/000.00.00.H41/DMS/documents"),
                404,
                "client.unknown_member");
        assertThat(backend.findAll(anyRequestedFor(anyUrl()))).isEmpty();
    }

    @Test
    void malformedCallsAreRefusedWithTheirReason() throws Exception {
        assertGatewayError(
                curl(clientProxy() + "/r1/VN/GOV/000.00.00.H41/DMS/documents/1"), 400, "client.invalid_request");
        assertGatewayError(
                curl(
                        "-H",
                        "X-Road-Client: VN/GOV/000.00.00.H41/DMS",
                        clientProxy() + "/r1/VN/GOV/000.00.00.H41/DMS/documents/1"),
                403,
                "client.access_denied");
        assertGatewayError(
                curl("-H", "X-Road-Client: " + CLIENT, clientProxy() + "/r1/VN/GOV"), 400, "client.invalid_request");
        assertThat(backend.findAll(anyRequestedFor(anyUrl()))).isEmpty();
    }

    @Test
    void bodyOverTheLimitIsRefusedBeforeAnythingIsSent() throws Exception {
        Path big = Files.write(dir.resolve("big.bin"), new byte[(int) MAX_BODY + 1]);
        Curl answer = curl(
                "-X",
                "POST",
                "-H",
                "X-Road-Client: " + CLIENT,
                "--data-binary",
                "@" + big,
                clientProxy() + "/r1/VN/GOV/000.00.00.H41/DMS/documents/upload");
        assertGatewayError(answer, 413, "client.body_too_large");
        assertThat(backend.findAll(anyRequestedFor(anyUrl()))).isEmpty();
    }

    @Test
    void metadataServicesListClientsAndMethods() throws Exception {
        JsonNode clients = JSON.readTree(curl(clientProxy() + "/listClients").body());
        assertThat(clients.get("member").findValuesAsText("member_code")).contains(G22, H41);

        JsonNode methods = JSON.readTree(
                curl("-H", "X-Road-Client: " + CLIENT, clientProxy() + "/r1/VN/GOV/000.00.00.H41/DMS/listMethods")
                        .body());
        JsonNode allowed = JSON.readTree(
                curl("-H", "X-Road-Client: " + CLIENT, clientProxy() + "/r1/VN/GOV/000.00.00.H41/DMS/allowedMethods")
                        .body());

        assertThat(methods.get("service").findValuesAsText("service_code"))
                .containsExactlyInAnyOrder("documents", "secret", "getDocument");
        assertThat(allowed.get("service").findValuesAsText("service_code"))
                .containsExactlyInAnyOrder("documents", "getDocument");
    }

    @Test
    void soapFormsOfListMethodsAndAllowedMethods() throws Exception {
        Path list = Files.writeString(
                dir.resolve("list.xml"), soapRequest("meta-1", "VN/GOV/000.00.00.H41/DMS/listMethods"));
        Path allowed = Files.writeString(
                dir.resolve("allowed.xml"), soapRequest("meta-2", "VN/GOV/000.00.00.H41/DMS/allowedMethods"));

        Curl listed =
                curl("-X", "POST", "-H", "Content-Type: text/xml", "--data-binary", "@" + list, clientProxy() + "/");
        Curl allowedAnswer =
                curl("-X", "POST", "-H", "Content-Type: text/xml", "--data-binary", "@" + allowed, clientProxy() + "/");

        assertThat(listed.status()).as(listed.body()).isEqualTo(200);
        assertThat(listed.body())
                .contains("listMethodsResponse")
                .contains("<id:serviceCode>secret</id:serviceCode>")
                .contains("<id:serviceCode>documents</id:serviceCode>")
                .contains("requestHash");
        assertThat(allowedAnswer.status()).as(allowedAnswer.body()).isEqualTo(200);
        assertThat(allowedAnswer.body())
                .contains("allowedMethodsResponse")
                .contains("<id:serviceCode>documents</id:serviceCode>")
                .doesNotContain("<id:serviceCode>secret</id:serviceCode>");
    }

    @Test
    void healthReportsConfigurationCertificatesOcspAndDatabase() throws Exception {
        JsonNode health = JSON.readTree(curl(clientProxy() + "/health").body());
        assertThat(health.get("ok").asBoolean()).as(health.toString()).isTrue();
        assertThat(health.at("/globalConf/valid").asBoolean()).isTrue();
        assertThat(health.at("/ocsp/ok").asBoolean()).isTrue();
        assertThat(health.at("/database/ok").asBoolean()).isTrue();
    }

    @Test
    void soapCallFromCurlGetsTheEchoedHeadersAndARequestHash() throws Exception {
        Path request = Files.writeString(
                dir.resolve("request.xml"), soapRequest("soap-1", "VN/GOV/000.00.00.H41/DMS/getDocument/v1"));

        Curl answer = curl(
                "-X",
                "POST",
                "-H",
                "Content-Type: text/xml; charset=utf-8",
                "-H",
                "SOAPAction: \"\"",
                "--data-binary",
                "@" + request,
                clientProxy() + "/");

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body())
                .contains("getDocumentResponse")
                .contains("Công văn 7816")
                .contains("requestHash")
                .contains("<xrd:id>soap-1</xrd:id>");
        assertThat(logged(H41, "soap-1")).containsExactly("IN REQUEST", "OUT RESPONSE");
    }

    @Test
    void soapWithAttachmentsTravelsWholeAndTheAnswerGetsItsRequestHash() throws Exception {
        byte[] pdf = "%PDF-1.4 công văn".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] body = vn.truc.core.soap.MultipartSoap.build(
                "client-boundary",
                soapRequest("swa-1", SOAP_SERVICE.toString()).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                List.of(new vn.truc.core.soap.MultipartSoap.Attachment("doc1", "application/pdf", pdf)));
        Path request = Files.write(dir.resolve("swa.bin"), body);

        Curl answer = curl(
                "-X",
                "POST",
                "-H",
                "Content-Type: " + vn.truc.core.soap.MultipartSoap.contentType("client-boundary"),
                "--data-binary",
                "@" + request,
                clientProxy() + "/");

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.header("Content-Type")).startsWith("multipart/related");
        var parts = vn.truc.core.soap.MultipartSoap.parse(
                answer.header("Content-Type"),
                new java.io.ByteArrayInputStream(answer.body().getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                10,
                1 << 20);
        assertThat(new String(parts.soapPart(), java.nio.charset.StandardCharsets.UTF_8))
                .contains("requestHash");
        assertThat(parts.attachments()).singleElement().satisfies(a -> assertThat(a.content())
                .isEqualTo(pdf));
    }

    @Test
    void stockSoapClientZeepCallsThroughTheGateway() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                Processes.run(List.of(DEBIAN_PYTHON, "-c", "import zeep")).exitCode() == 0,
                "python3-zeep (Debian) is installed by .ci/run");
        Path wsdl = copyResource("soap/dms.wsdl");
        Path script = copyResource("soap/zeep_call.py");

        Processes.Result result =
                Processes.run(List.of(DEBIAN_PYTHON, script.toString(), wsdl.toString(), clientProxy() + "/", "7816"));

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("Công văn 7816");
    }

    @Test
    void malformedAndHostileSoapAreRefusedWithAFaultAndNothingIsSent() throws Exception {
        int before = soapBackend.received.get();
        Path broken = Files.writeString(
                dir.resolve("broken.xml"),
                "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\"><oops>");
        Path hostile = Files.writeString(
                dir.resolve("hostile.xml"),
                "<?xml version=\"1.0\"?><!DOCTYPE e [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                        + soapRequest("&x;", "VN/GOV/000.00.00.H41/DMS/getDocument/v1"));
        Path noHeaders = Files.writeString(
                dir.resolve("noheaders.xml"),
                "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\"><SOAP-ENV:Header/>"
                        + "<SOAP-ENV:Body><x/></SOAP-ENV:Body></SOAP-ENV:Envelope>");

        for (Path file : List.of(broken, hostile, noHeaders)) {
            Curl answer = curl(
                    "-X", "POST", "-H", "Content-Type: text/xml", "--data-binary", "@" + file, clientProxy() + "/");
            assertThat(answer.status()).as(file + ": " + answer.body()).isEqualTo(500);
            assertThat(answer.body()).contains("Fault").contains("faultcode");
        }
        Curl hostileAnswer =
                curl("-X", "POST", "-H", "Content-Type: text/xml", "--data-binary", "@" + hostile, clientProxy() + "/");
        assertThat(hostileAnswer.body()).contains("hostile_xml").doesNotContain("root:");
        assertThat(soapBackend.received.get()).isEqualTo(before);
    }

    @Test
    void slowServiceTimesOutWithItsCode() throws Exception {
        backend.stubFor(get(urlEqualTo("/api/slow"))
                .willReturn(aResponse().withStatus(200).withFixedDelay(5000)));

        Curl answer =
                curl("-H", "X-Road-Client: " + CLIENT, clientProxy() + "/r1/VN/GOV/000.00.00.H41/DMS/documents/slow");

        assertGatewayError(answer, 504, "server.serverproxy.timeout");
    }

    @Test
    void aStalledClientIsDisconnectedAndDoesNotBlockOthers() throws Exception {
        backend.stubFor(get(urlEqualTo("/api/42"))
                .willReturn(aResponse().withStatus(200).withBody("ok")));
        try (java.net.Socket stalled =
                new java.net.Socket("127.0.0.1", federation.server(G22).clientProxyPort())) {
            stalled.getOutputStream()
                    .write(("POST /r1/VN/GOV/000.00.00.H41/DMS/documents/42 HTTP/1.1\r\nHost: x\r\n" + "X-Road-Client: "
                                    + CLIENT + "\r\nContent-Length: 1000\r\n\r\nonly a little")
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            stalled.getOutputStream().flush();

            Curl meanwhile =
                    curl("-H", "X-Road-Client: " + CLIENT, clientProxy() + "/r1/VN/GOV/000.00.00.H41/DMS/documents/42");
            assertThat(meanwhile.status()).isEqualTo(200);

            stalled.setSoTimeout(30_000); // the idle timeout is 2 s: a read that times out instead fails the test
            assertThat(stalled.getInputStream().read())
                    .as("the gateway closes the stalled connection")
                    .isEqualTo(-1);
        }
        assertThat(backend.findAll(getRequestedFor(urlEqualTo("/api/42")))).hasSize(1);
    }

    // ---- helpers

    private static String soapRequest(String id, String service) {
        ServiceId s = ServiceId.parse(service);
        return "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\""
                + " xmlns:xrd=\"http://x-road.eu/xsd/xroad.xsd\" xmlns:id=\"http://x-road.eu/xsd/identifiers\""
                + " xmlns:dms=\"urn:truc:test:dms\"><SOAP-ENV:Header>"
                + "<xrd:client id:objectType=\"SUBSYSTEM\"><id:xRoadInstance>VN</id:xRoadInstance><id:memberClass>GOV</id:memberClass>"
                + "<id:memberCode>000.00.00.G22</id:memberCode><id:subsystemCode>DMS</id:subsystemCode></xrd:client>"
                + "<xrd:service id:objectType=\"SERVICE\"><id:xRoadInstance>VN</id:xRoadInstance><id:memberClass>GOV</id:memberClass>"
                + "<id:memberCode>" + s.provider().memberCode()
                + "</id:memberCode><id:subsystemCode>DMS</id:subsystemCode>"
                + "<id:serviceCode>" + s.serviceCode() + "</id:serviceCode>"
                + (s.serviceVersion() == null
                        ? ""
                        : "<id:serviceVersion>" + s.serviceVersion() + "</id:serviceVersion>")
                + "</xrd:service>"
                + "<xrd:id>" + id + "</xrd:id><xrd:protocolVersion>4.0</xrd:protocolVersion>"
                + "</SOAP-ENV:Header><SOAP-ENV:Body><dms:getDocument><dms:documentId>7816</dms:documentId></dms:getDocument>"
                + "</SOAP-ENV:Body></SOAP-ENV:Envelope>";
    }

    private Path copyResource(String name) throws Exception {
        Path target = dir.resolve(name.substring(name.lastIndexOf('/') + 1));
        try (var in = ExchangeIT.class.getClassLoader().getResourceAsStream(name)) {
            Files.write(target, in.readAllBytes());
        }
        return target;
    }

    private String clientProxy() {
        return "http://127.0.0.1:" + federation.server(G22).clientProxyPort();
    }

    private List<String> logged(String memberCode, String messageId) {
        List<String> kinds = new ArrayList<>();
        for (LogRecord r : federation.server(memberCode).store().messageLog().records(messageId)) {
            kinds.add(r.direction() + " " + r.kind());
        }
        return kinds;
    }

    private static void assertGatewayError(Curl answer, int status, String type) throws Exception {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.header("X-Road-Error")).isEqualTo(type);
        JsonNode body = JSON.readTree(answer.body());
        assertThat(body.get("type").asText()).isEqualTo(type);
        assertThat(body.get("message").asText()).isNotBlank();
        assertThat(body.get("detail").asText()).hasSize(16);
    }

    /** What curl saw: status, headers, body. */
    record Curl(int status, java.util.Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    private Curl curl(String... args) throws Exception {
        Path headers = Files.createTempFile(dir, "headers", ".txt");
        List<String> command = new ArrayList<>(List.of("curl", "-s", "-S", "-D", headers.toString(), "-o", "-"));
        command.addAll(List.of(args));
        Processes.Result result = Processes.run(command);
        java.util.Map<String, String> parsed = new java.util.HashMap<>();
        int status = 0;
        for (String line : Files.readAllLines(headers)) {
            if (line.startsWith("HTTP/")) {
                status = Integer.parseInt(line.split(" ")[1]);
            } else if (line.contains(":")) {
                parsed.put(
                        line.substring(0, line.indexOf(':')).trim().toLowerCase(java.util.Locale.ROOT),
                        line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return new Curl(status, parsed, result.output());
    }
}
