package vn.truc.server;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static vn.truc.server.Dms.all;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import vn.truc.core.audit.AuditExportFormat;
import vn.truc.core.audit.AuditReport;
import vn.truc.core.audit.AuditVerifier;
import vn.truc.core.audit.ExportContent;
import vn.truc.core.audit.LoggedContent;
import vn.truc.core.crypto.CertificateProfile;
import vn.truc.core.crypto.Certificates;
import vn.truc.core.crypto.Digests;
import vn.truc.core.crypto.KeyStores.KeyAndChain;
import vn.truc.core.id.ClientId;
import vn.truc.core.id.ServiceId;
import vn.truc.core.testing.TestPki;
import vn.truc.server.audit.AuditExport;
import vn.truc.server.store.AccessSubject;
import vn.truc.server.store.LogRecord;
import vn.truc.server.store.Protocol;

/**
 * Message content logging per subsystem between two real servers: the office's DMS logs in full,
 * the ministry's logs metadata until it is switched to full. Contents are sealed for the operator's
 * certificate on disk, go into exports sealed or opened, and an export verifies only with every
 * content the records commit to.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContentLoggingIT {
    private static final String G22 = "000.00.00.G22";
    private static final String H41 = "000.00.00.H41";
    private static final ClientId OFFICE = ClientId.parse("VN/GOV/" + G22 + "/DMS");
    private static final ClientId MINISTRY = ClientId.parse("VN/GOV/" + H41 + "/DMS");
    private static final ServiceId LOOKUP = ServiceId.parse("VN/GOV/" + H41 + "/DMS/lookup");
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final byte[] ANSWER = "{\"found\":\"Quyết định 42\"}".getBytes(StandardCharsets.UTF_8);

    @TempDir
    static Path dir;

    private final TestPki operatorCa = TestPki.newCa("Operator CA");
    private final KeyAndChain operator = operatorCa.issue("log content key", CertificateProfile.ENCRYPTION);
    private Federation federation;
    private WireMockServer backend;

    @BeforeAll
    void start() throws Exception {
        Path certificate = Files.writeString(dir.resolve("operator.pem"), Certificates.toPem(operator.certificate()));
        backend = new WireMockServer(
                WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        backend.start();
        backend.stubFor(post(urlPathEqualTo("/lookup"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody(ANSWER)));
        federation = new Federation(
                dir,
                "",
                "audit.content-certificate = " + certificate.toAbsolutePath() + "\n"
                        + "audit.timestamp-interval = 200ms\ndocuments.retry.initial-delay = 100ms\n",
                List.of(G22, H41));
        var provider = federation.server(H41).store();
        provider.services()
                .addService(LOOKUP, URI.create("http://127.0.0.1:" + backend.port() + "/lookup"), Protocol.REST);
        provider.accessRules().grant(LOOKUP, AccessSubject.parse(OFFICE.toString()));
        federation.server(G22).store().clients().setLogContent(OFFICE, true);
    }

    @AfterAll
    void stop() {
        if (federation != null) {
            federation.close();
        }
        if (backend != null) {
            backend.stop();
        }
    }

    @Test
    void aFullSubsystemsRequestsAndResponsesAreKeptSealedAndAMetadataOnesAreNot() throws Exception {
        byte[] query = "{\"so\":\"42/QĐ-TTg\"}".getBytes(StandardCharsets.UTF_8);
        HttpResponse<byte[]> answer = call("content-rest-1", query);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo(ANSWER);

        assertThat(records(G22, "content-rest-1"))
                .extracting(LogRecord::content)
                .containsExactly(true, true);
        assertThat(records(H41, "content-rest-1"))
                .extracting(LogRecord::content)
                .containsExactly(false, false);
        assertThat(open(sealedFile(G22, query))).isEqualTo(query);
        assertThat(open(sealedFile(G22, ANSWER))).isEqualTo(ANSWER);
        assertThat(Files.exists(sealedFile(H41, query))).isFalse();
        // sealed: the plaintext is nowhere in the file
        assertThat(new String(Files.readAllBytes(sealedFile(G22, query)), StandardCharsets.ISO_8859_1))
                .doesNotContain("42/Q");
    }

    @Test
    void documentsAreKeptAtTheSenderAndAtARecipientOnceItsSubsystemLogsInFull() throws Exception {
        Dms office = new Dms(federation.server(G22), OFFICE.toString());
        byte[] first = Edxmls.document(G22 + ",2026/11/23,701/VPCP-TTĐT", G22, List.of(H41), 0, List.of());
        office.awaitOutbox(office.sendAccepted(first, "application/xml"), all("delivered"), WAIT);
        assertThat(open(sealedFile(G22, first))).isEqualTo(first);
        assertThat(Files.exists(sealedFile(H41, first))).isFalse();

        federation.server(H41).store().clients().setLogContent(MINISTRY, true);
        byte[] second = Edxmls.document(G22 + ",2026/11/23,702/VPCP-TTĐT", G22, List.of(H41), 0, List.of());
        office.awaitOutbox(office.sendAccepted(second, "application/xml"), all("delivered"), WAIT);
        assertThat(open(sealedFile(H41, second))).isEqualTo(second);
        List<LogRecord> arrivals = federation.server(H41).store().messageLog().records(messageIdOf(H41, second));
        assertThat(arrivals)
                .filteredOn(r -> r.kind() == LogRecord.Kind.DOCUMENT)
                .extracting(LogRecord::content)
                .containsExactly(true);
    }

    @Test
    void exportsCarryTheContentsSealedOrOpenedAndAMissingContentNamesItsRecord() throws Exception {
        byte[] query = "{\"so\":\"77/CT-TTg\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(call("content-rest-2", query).statusCode()).isEqualTo(200);
        SecurityServer office = federation.server(G22);
        AuditExport.Selection all =
                new AuditExport.Selection(Instant.EPOCH, Instant.now().plusSeconds(1), null);
        List<java.security.cert.X509Certificate> trust = trust(office);

        Path opened = dir.resolve("opened.p7m");
        AuditExport.Result result =
                AuditExport.write(office.config(), Federation.PIN, all, operator.privateKey(), opened);
        assertThat(result.contents()).isPositive();
        assertThat(result.contentsMissing()).isZero();
        byte[] openedExport = Files.readAllBytes(opened);
        Map<String, byte[]> entries = entries(openedExport);
        assertThat(entries.get(AuditExportFormat.contentEntry(Digests.sha256Hex(query))))
                .isEqualTo(query);
        AuditReport report = AuditVerifier.verify(openedExport, trust);
        assertThat(report.problems()).isEmpty();
        assertThat(report.notes()).anyMatch(n -> n.contains("logged content(s) checked"));

        Path sealed = dir.resolve("sealed.p7m");
        AuditExport.write(office.config(), Federation.PIN, all, null, sealed);
        byte[] sealedExport = Files.readAllBytes(sealed);
        assertThat(entries(sealedExport)).containsKey(AuditExportFormat.sealedContentEntry(Digests.sha256Hex(query)));
        AuditReport unopened = AuditVerifier.verify(sealedExport, trust);
        assertThat(unopened.problems()).isEmpty();
        assertThat(unopened.notes()).anyMatch(n -> n.contains("sealed for the operator's content key, not checked"));
        AuditReport withKey = AuditVerifier.verify(sealedExport, trust, null, operator.privateKey());
        assertThat(withKey.problems()).isEmpty();
        assertThat(withKey.notes()).anyMatch(n -> n.contains("logged content(s) checked"));

        // a content removed from the server's store: the export says so and verify names the records
        Files.delete(sealedFile(G22, query));
        Path missing = dir.resolve("missing.p7m");
        assertThat(AuditExport.write(office.config(), Federation.PIN, all, null, missing)
                        .contentsMissing())
                .isEqualTo(1);
        long requestId = records(G22, "content-rest-2").get(0).id();
        AuditReport broken = AuditVerifier.verify(Files.readAllBytes(missing), trust);
        assertThat(broken.firstFailingRecord()).hasValueSatisfying(p -> {
            assertThat(p.recordId()).isEqualTo(requestId);
            assertThat(p.message()).contains("content was logged but is not in the export");
        });
    }

    private HttpResponse<byte[]> call(String id, byte[] body) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                        + federation.server(G22).clientProxyPort() + "/r1/" + LOOKUP))
                                .header("X-Road-Client", OFFICE.toString())
                                .header("X-Road-Id", id)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
    }

    private List<LogRecord> records(String code, String messageId) {
        return federation.server(code).store().messageLog().records(messageId);
    }

    private Path sealedFile(String code, byte[] content) {
        return federation.server(code).config().audit().contentDir().resolve(Digests.sha256Hex(content) + ".cms");
    }

    private byte[] open(Path sealed) throws Exception {
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        String hex = LoggedContent.open(new ByteArrayInputStream(Files.readAllBytes(sealed)), plain, operator);
        assertThat(sealed.getFileName().toString()).isEqualTo(hex + ".cms");
        return plain.toByteArray();
    }

    /** The message id under which {@code code}'s server logged the arrival of {@code document}. */
    private String messageIdOf(String code, byte[] document) {
        String digest = java.util.Base64.getEncoder().encodeToString(Digests.sha256(document));
        return federation
                .server(code)
                .store()
                .database()
                .query(
                        "SELECT message_id FROM message_log WHERE kind = 'DOCUMENT' AND direction = 'IN'"
                                + " AND manifest LIKE ?",
                        row -> row.getString(1),
                        "%" + digest + "%")
                .get(0);
    }

    private static List<java.security.cert.X509Certificate> trust(SecurityServer server) {
        var conf = server.requireValidConf();
        List<java.security.cert.X509Certificate> certs = new java.util.ArrayList<>();
        conf.certificationAuthorities().forEach(ca -> certs.add(ca.certificate()));
        conf.timestampingAuthorities().forEach(tsa -> certs.add(tsa.certificate()));
        return certs;
    }

    private static Map<String, byte[]> entries(byte[] export) throws Exception {
        return ExportContent.read((byte[]) new org.bouncycastle.cms.CMSSignedData(export)
                .getSignedContent()
                .getContent());
    }
}
