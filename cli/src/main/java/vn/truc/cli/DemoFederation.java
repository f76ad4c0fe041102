package vn.truc.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.bouncycastle.asn1.x500.X500Name;
import vn.truc.core.audit.AuditReport;
import vn.truc.core.audit.AuditVerifier;
import vn.truc.core.crypto.CertificateProfile;
import vn.truc.core.crypto.Certificates;
import vn.truc.core.crypto.KeyAlgorithm;
import vn.truc.core.crypto.KeyPairs;
import vn.truc.core.crypto.Pem;
import vn.truc.core.error.TrucException;
import vn.truc.core.globalconf.Anchor;
import vn.truc.core.globalconf.GlobalConf;
import vn.truc.core.globalconf.SignedGlobalConf;
import vn.truc.core.id.ClientId;
import vn.truc.core.id.SecurityServerId;
import vn.truc.core.id.ServiceId;
import vn.truc.registry.CentralRegistry;
import vn.truc.registry.RegistryAdmin;
import vn.truc.registry.RegistryConfig;
import vn.truc.registry.RegistrySetup;
import vn.truc.server.SecurityServer;
import vn.truc.server.ServerConfig;
import vn.truc.server.ServerSetup;
import vn.truc.server.audit.AuditExport;
import vn.truc.server.registration.RegistrationState;
import vn.truc.server.store.AccessSubject;
import vn.truc.server.store.Protocol;

/** The demo's federation and its scripted steps; each step either passes with a detail or fails with why. */
final class DemoFederation implements AutoCloseable {
    static final String PIN = "demo-pin";
    private static final String INSTANCE = "VN";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    /** One agency of the demo: member, name, and the code of its security server. */
    private record Agency(ClientId member, String name, String serverCode) {
        SecurityServerId serverId() {
            return new SecurityServerId(member, serverCode);
        }
    }

    private static final List<Agency> AGENCIES = List.of(
            new Agency(ClientId.member(INSTANCE, "GOV", "000.00.00.G22"), "Văn phòng Chính phủ", "ss1"),
            new Agency(ClientId.member(INSTANCE, "GOV", "000.00.00.H41"), "UBND tỉnh Nghệ An", "ss1"));

    record Step(String name, boolean ok, String detail) {}

    record ServerInfo(String id, String address, String clientProxy, String dir) {}

    record Result(
            boolean ok,
            List<Step> steps,
            String registryUrl,
            List<ServerInfo> servers,
            Path globalConf,
            Path globalConfCert,
            Path auditExport,
            Path auditTrust,
            Path auditContentKey) {}

    @FunctionalInterface
    private interface Action {
        String run() throws Exception;
    }

    private final Path folder;
    private final IntSupplier ports;
    private final List<Step> steps = new ArrayList<>();
    private final List<SecurityServer> running = new ArrayList<>();
    private final List<ServerConfig> serverConfigs = new ArrayList<>();
    private final List<String> tokens = new ArrayList<>();
    private final List<Long> requests = new ArrayList<>();
    private RegistryConfig registryConfig;
    private CentralRegistry registry;
    private PrintWriter progress;
    private DemoService service;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();
    private static final String DOCUMENT_ID = "000.00.00.G22,2026/11/23,1234/VPCP-TTĐT";
    private byte[] document;
    private Path auditExport;
    private Path auditTrust;
    private Path contentKey;
    private long outboxId;
    private long inboxId;

    DemoFederation(Path folder, IntSupplier ports) {
        this.folder = folder;
        this.ports = ports;
    }

    /** Runs every step in order, stopping at the first that fails. */
    Result run(PrintWriter progressOrNull) {
        this.progress = progressOrNull;
        boolean ok = step("registry_init", this::initRegistry)
                && step("registry_start", this::startRegistry)
                && step("members_added", this::addMembers)
                && step("servers_initialized", this::initServers)
                && step("registration_pending", this::checkPending)
                && step("registration_approved", this::approve)
                && step("registration_rejection_reported", this::rejectRogue)
                && step("servers_started", this::startServers)
                && step("globalconf_valid", this::awaitValidConf)
                && step("globalconf_signature_verified", this::verifyDownloadedConf)
                && (!Xmlsec1.available() || step("globalconf_xmlsec1_verified", this::verifyWithXmlsec1))
                && step("services_registered", this::registerServices)
                && step("rest_call", this::restCall)
                && step("soap_call", this::soapCall)
                && step("access_denied_refused", this::refusedCall)
                && step("document_sent", this::sendDocument)
                && step("document_delivered", this::awaitDelivery)
                && step("document_fetched", this::fetchDocument)
                && step("status_sent", this::sendStatus)
                && step("status_seen_by_sender", this::awaitStatus)
                && step("audit_exported", this::exportAudit)
                && step("audit_verified", this::verifyAudit);
        List<ServerInfo> servers = new ArrayList<>();
        for (ServerConfig c : serverConfigs) {
            servers.add(new ServerInfo(
                    c.serverId().toString(),
                    c.address(),
                    "http://" + c.clientProxyHost() + ":" + c.clientProxyPort(),
                    c.dir().toAbsolutePath().toString()));
        }
        return new Result(
                ok,
                List.copyOf(steps),
                registryConfig == null ? null : registryConfig.publicUrl().toString(),
                servers,
                serverConfigs.isEmpty() ? null : globalConfFile(serverConfigs.get(0)),
                registryConfig == null ? null : registryConfig.confSigningCertificateFile(),
                auditExport,
                auditTrust,
                contentKey);
    }

    private boolean step(String name, Action action) {
        Step step;
        try {
            step = new Step(name, true, action.run());
        } catch (TrucException e) {
            step = new Step(name, false, e.describe());
        } catch (Exception e) {
            step = new Step(name, false, e.toString());
        }
        steps.add(step);
        if (progress != null) {
            progress.printf("[%s] %-34s %s%n", step.ok() ? " ok " : "FAIL", name, step.detail());
            progress.flush();
        }
        return step.ok();
    }

    private String initRegistry() {
        registryConfig = RegistrySetup.init(
                folder.resolve("registry"), INSTANCE, "127.0.0.1", ports.getAsInt(), PIN.toCharArray());
        return "instance " + INSTANCE + " in " + registryConfig.dir() + "; embedded CA, OCSP responder and TSA";
    }

    private String startRegistry() {
        registry = CentralRegistry.start(registryConfig, PIN.toCharArray());
        return "listening at " + registry.url();
    }

    private String addMembers() {
        try (RegistryAdmin admin = RegistryAdmin.open(registryConfig)) {
            List<String> added = new ArrayList<>();
            for (Agency agency : AGENCIES) {
                tokens.add(admin.addMember(agency.member(), agency.name()));
                admin.addSubsystem(agency.member().subsystem("DMS"));
                admin.setDocumentSubsystem(agency.member().subsystem("DMS"));
                added.add(agency.member() + " (" + agency.name() + ") with subsystem DMS, which takes its documents");
            }
            return String.join("; ", added);
        }
    }

    private String initServers() throws IOException {
        List<String> done = new ArrayList<>();
        for (int i = 0; i < AGENCIES.size(); i++) {
            Agency agency = AGENCIES.get(i);
            RegistrationState state =
                    initServer(agency.serverId(), "server-" + agency.member().memberCode(), tokens.get(i));
            requests.add(state.id());
            Path dir = folder.resolve("server-" + agency.member().memberCode());
            // the demo's log is timestamped every two seconds, not every minute, so it can be exported at once
            Files.writeString(
                    dir.resolve(ServerConfig.FILE),
                    "audit.timestamp-interval = 2s\n" + (i == 0 ? contentCertificate(dir) : ""),
                    java.nio.file.StandardOpenOption.APPEND);
            serverConfigs.add(ServerConfig.load(dir));
            done.add(agency.serverId() + " request " + state.id() + " " + state.state());
        }
        return String.join("; ", done);
    }

    /**
     * The operator's key pair for logged contents, as {@code openssl req -x509} would make it: the
     * certificate in the server's directory, the private key outside it. Returns the setting.
     */
    private String contentCertificate(Path serverDir) throws IOException {
        KeyPair pair = KeyPairs.generate(KeyAlgorithm.RSA);
        java.security.cert.X509Certificate certificate = Certificates.selfSigned(
                pair,
                new X500Name("CN=Log content operator, O=Demo"),
                Duration.ofDays(365),
                CertificateProfile.ENCRYPTION);
        Files.writeString(serverDir.resolve("log-content.pem"), Certificates.toPem(certificate));
        contentKey = Files.createDirectories(folder.resolve("operator")).resolve("log-content-key.pem");
        Files.writeString(contentKey, Pem.write(pair.getPrivate()));
        return "audit.content-certificate = log-content.pem\n";
    }

    private RegistrationState initServer(SecurityServerId id, String dirName, String token) {
        return ServerSetup.init(
                new ServerSetup.InitRequest(
                        folder.resolve(dirName),
                        registryConfig.anchorFile(),
                        id,
                        "127.0.0.1:" + ports.getAsInt(),
                        token,
                        Duration.ofSeconds(1),
                        ports.getAsInt()),
                PIN.toCharArray());
    }

    private String checkPending() {
        for (ServerConfig config : serverConfigs) {
            String state = SecurityServer.readStatus(config).registration().state();
            if (!"PENDING".equals(state)) {
                throw new IllegalStateException(
                        config.serverId() + " is " + state + ", expected PENDING before approval");
            }
        }
        return "both requests wait for the administrator; neither server is in the global configuration yet";
    }

    private String approve() {
        try (RegistryAdmin admin = RegistryAdmin.open(registryConfig)) {
            requests.forEach(admin::approve);
        }
        for (ServerConfig config : serverConfigs) {
            String state = SecurityServer.readStatus(config).registration().state();
            if (!"APPROVED".equals(state)) {
                throw new IllegalStateException(config.serverId() + " reads " + state + " after approval");
            }
        }
        return "requests " + requests + " approved; both servers read APPROVED from the registry";
    }

    private String rejectRogue() throws IOException {
        SecurityServerId rogue = new SecurityServerId(AGENCIES.get(1).member(), "rogue");
        RegistrationState state = initServer(rogue, "server-rogue", tokens.get(1));
        try (RegistryAdmin admin = RegistryAdmin.open(registryConfig)) {
            admin.reject(state.id(), "unknown machine, not in the agency's inventory");
        }
        RegistrationState seen = SecurityServer.readStatus(ServerConfig.load(folder.resolve("server-rogue")))
                .registration();
        if (!"REJECTED".equals(seen.state()) || seen.reason() == null) {
            throw new IllegalStateException("rogue server reads " + seen.state() + ", expected REJECTED with a reason");
        }
        return rogue + " rejected; its server reads REJECTED: " + seen.reason();
    }

    private String startServers() {
        for (ServerConfig config : serverConfigs) {
            running.add(SecurityServer.start(config, PIN.toCharArray()));
        }
        ClientId senderDms = AGENCIES.get(0).member().subsystem("DMS");
        running.get(0).store().clients().setLogContent(senderDms, true);
        return running.size() + " security servers polling the registry every second; " + senderDms
                + " logs the content of its messages, sealed for the operator's key";
    }

    private String awaitValidConf() throws InterruptedException {
        List<String> details = new ArrayList<>();
        for (SecurityServer server : running) {
            if (!server.awaitReady(READY_TIMEOUT)) {
                throw new IllegalStateException(server.config().serverId() + " not ready after " + READY_TIMEOUT + ": "
                        + server.status().globalConf().lastError());
            }
            GlobalConf conf = server.requireValidConf();
            details.add(server.config().serverId() + " holds serial " + conf.serial() + " listing "
                    + conf.securityServers().size() + " servers, valid until " + conf.expiresAt());
        }
        return String.join("; ", details);
    }

    private String verifyDownloadedConf() throws IOException {
        Anchor anchor = new Anchor(
                INSTANCE,
                registryConfig.publicUrl(),
                Certificates.fromPem(Files.readString(registryConfig.confSigningCertificateFile())),
                Instant.now());
        byte[] downloaded = Files.readAllBytes(globalConfFile(serverConfigs.get(0)));
        GlobalConf conf = SignedGlobalConf.verify(downloaded, anchor);
        byte[] tampered = downloaded.clone();
        int at = new String(downloaded, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("H41");
        tampered[at + 2] = (byte) '2';
        try {
            SignedGlobalConf.verify(tampered, anchor);
            throw new IllegalStateException("a tampered copy verified");
        } catch (TrucException expected) {
            return "serial " + conf.serial()
                    + " verifies with the registry's certificate; a one-byte change is refused ("
                    + expected.code().code() + ")";
        }
    }

    private String verifyWithXmlsec1() throws IOException, InterruptedException {
        Xmlsec1.Result result =
                Xmlsec1.verify(globalConfFile(serverConfigs.get(0)), registryConfig.confSigningCertificateFile());
        if (!result.ok()) {
            throw new IllegalStateException("xmlsec1 refused the configuration: " + result.output());
        }
        return "xmlsec1 --verify OK with only the registry's certificate";
    }

    private String registerServices() throws IOException {
        service = new DemoService();
        var provider = running.get(1).store();
        ClientId client = AGENCIES.get(0).member().subsystem("DMS");
        ServiceId rest = ServiceId.parse(AGENCIES.get(1).member().subsystem("DMS") + "/getDocument");
        ServiceId soap = ServiceId.parse(AGENCIES.get(1).member().subsystem("DMS") + "/getDocumentSoap/v1");
        ServiceId secret = ServiceId.parse(AGENCIES.get(1).member().subsystem("DMS") + "/internalReport");
        provider.services().addService(rest, java.net.URI.create(service.restBase()), Protocol.REST);
        provider.services().addService(soap, java.net.URI.create(service.soapUrl()), Protocol.SOAP);
        provider.services().addService(secret, java.net.URI.create(service.restBase()), Protocol.REST);
        provider.accessRules().grant(rest, new AccessSubject.Subsystem(client));
        provider.accessRules().grant(soap, new AccessSubject.Subsystem(client));
        return rest + " (REST) and " + soap + " (SOAP) granted to " + client + "; " + secret + " not granted";
    }

    private String restCall() throws Exception {
        HttpResponse<String> response =
                demoCall(HttpRequest.newBuilder(clientProxy("/r1/VN/GOV/000.00.00.H41/DMS/getDocument/7816"))
                        .header("X-Road-Client", "VN/GOV/000.00.00.G22/DMS")
                        .header("X-Road-Id", "demo-rest-1")
                        .GET());
        if (response.statusCode() != 200 || !response.body().contains("\"documentId\":\"7816\"")) {
            throw new IllegalStateException("REST call answered " + response.statusCode() + ": " + response.body());
        }
        String hash = response.headers()
                .firstValue("X-Road-Request-Hash")
                .orElseThrow(() -> new IllegalStateException("no X-Road-Request-Hash in the answer"));
        return "GET /r1/VN/GOV/000.00.00.H41/DMS/getDocument/7816 from VN/GOV/000.00.00.G22/DMS -> 200 "
                + response.body() + " (signed both ways, request hash " + hash.substring(0, 12) + "…)";
    }

    private String soapCall() throws Exception {
        String envelope = "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\""
                + " xmlns:xrd=\"http://x-road.eu/xsd/xroad.xsd\" xmlns:id=\"http://x-road.eu/xsd/identifiers\""
                + " xmlns:dms=\"" + DemoService.SOAP_NS + "\"><SOAP-ENV:Header>"
                + "<xrd:client id:objectType=\"SUBSYSTEM\"><id:xRoadInstance>VN</id:xRoadInstance><id:memberClass>GOV</id:memberClass>"
                + "<id:memberCode>000.00.00.G22</id:memberCode><id:subsystemCode>DMS</id:subsystemCode></xrd:client>"
                + "<xrd:service id:objectType=\"SERVICE\"><id:xRoadInstance>VN</id:xRoadInstance><id:memberClass>GOV</id:memberClass>"
                + "<id:memberCode>000.00.00.H41</id:memberCode><id:subsystemCode>DMS</id:subsystemCode>"
                + "<id:serviceCode>getDocumentSoap</id:serviceCode><id:serviceVersion>v1</id:serviceVersion></xrd:service>"
                + "<xrd:id>demo-soap-1</xrd:id><xrd:userId>VN-demo</xrd:userId><xrd:protocolVersion>4.0</xrd:protocolVersion>"
                + "</SOAP-ENV:Header><SOAP-ENV:Body><dms:getDocument>7816</dms:getDocument></SOAP-ENV:Body></SOAP-ENV:Envelope>";
        HttpResponse<String> response = demoCall(HttpRequest.newBuilder(clientProxy("/"))
                .header("Content-Type", "text/xml; charset=utf-8")
                .header("SOAPAction", "\"\"")
                .POST(HttpRequest.BodyPublishers.ofString(envelope)));
        if (response.statusCode() != 200
                || !response.body().contains("getDocumentResponse")
                || !response.body().contains("requestHash")) {
            throw new IllegalStateException("SOAP call answered " + response.statusCode() + ": " + response.body());
        }
        return "X-Road 4.0 SOAP getDocumentSoap/v1 -> 200 getDocumentResponse with xrd:requestHash";
    }

    private String refusedCall() throws Exception {
        HttpResponse<String> response =
                demoCall(HttpRequest.newBuilder(clientProxy("/r1/VN/GOV/000.00.00.H41/DMS/internalReport/1"))
                        .header("X-Road-Client", "VN/GOV/000.00.00.G22/DMS")
                        .GET());
        String type = response.headers().firstValue("X-Road-Error").orElse("");
        if (response.statusCode() != 403 || !type.equals("server.serverproxy.access_denied")) {
            throw new IllegalStateException("expected 403 access_denied, got " + response.statusCode() + " " + type);
        }
        return "a service not granted is refused by the provider's server: 403 " + type;
    }

    private String sendDocument() throws Exception {
        document = resource("demo/document.edxml");
        HttpResponse<String> response = demoCall(documents(0, "outbox")
                .header("Content-Type", "application/xml")
                .POST(HttpRequest.BodyPublishers.ofByteArray(document)));
        if (response.statusCode() != 202) {
            throw new IllegalStateException("send answered " + response.statusCode() + ": " + response.body());
        }
        outboxId = JSON.readTree(response.body()).get("id").asLong();
        return "edXML " + DOCUMENT_ID + " (" + document.length + " bytes) from VN/GOV/000.00.00.G22/DMS to"
                + " 000.00.00.H41 -> 202, outbox entry " + outboxId;
    }

    private String awaitDelivery() throws Exception {
        JsonNode delivery = awaitOutbox(
                        e -> "delivered".equals(e.at("/deliveries/0/state").asText()))
                .at("/deliveries/0");
        var receipt = vn.truc.core.document.DeliveryReceipt.fromBytes(java.util.Base64.getDecoder()
                .decode(delivery.at("/receipt/receipt").asText()));
        return "encrypted for and delivered to " + delivery.get("recipient").asText() + " at "
                + delivery.get("deliveredAt").asText() + "; receipt signed by the recipient, received "
                + receipt.receivedAt();
    }

    private String fetchDocument() throws Exception {
        JsonNode inbox = JSON.readTree(demoCall(documents(1, "inbox").GET()).body());
        JsonNode entry = null;
        for (JsonNode e : inbox.get("documents")) {
            if (DOCUMENT_ID.equals(e.get("documentId").asText())) {
                entry = e;
            }
        }
        if (entry == null) {
            throw new IllegalStateException("the recipient's inbox does not list " + DOCUMENT_ID + ": " + inbox);
        }
        inboxId = entry.get("id").asLong();
        HttpResponse<byte[]> fetched =
                HTTP.send(documents(1, "inbox/" + inboxId).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        if (!java.util.Arrays.equals(fetched.body(), document)) {
            throw new IllegalStateException("the fetched document differs from the one sent");
        }
        JsonNode report = JSON.readTree(
                demoCall(documents(1, "inbox/" + inboxId + "/verification").GET())
                        .body());
        String signer = report.at("/signer/member").asText();
        if (!"VN/GOV/000.00.00.G22".equals(signer)) {
            throw new IllegalStateException("verification names signer " + signer + ": " + report);
        }
        HttpResponse<String> ack = demoCall(documents(1, "inbox/" + inboxId + "/ack")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"result\":\"done\"}")));
        if (ack.statusCode() != 200) {
            throw new IllegalStateException("ack answered " + ack.statusCode() + ": " + ack.body());
        }
        return "VN/GOV/000.00.00.H41/DMS listed and fetched inbox entry " + inboxId + ", byte-identical;"
                + " signed by " + signer + " at " + report.get("signedAt").asText() + "; acknowledged";
    }

    private String sendStatus() throws Exception {
        HttpResponse<String> response = demoCall(documents(1, "outbox")
                .header("Content-Type", "application/xml")
                .POST(HttpRequest.BodyPublishers.ofByteArray(resource("demo/status-06.edxml"))));
        if (response.statusCode() != 202) {
            throw new IllegalStateException("status answered " + response.statusCode() + ": " + response.body());
        }
        return "edXML status 06 (done) about " + DOCUMENT_ID + " from VN/GOV/000.00.00.H41/DMS -> 202, back to "
                + JSON.readTree(response.body()).get("recipients").get(0).asText();
    }

    private String awaitStatus() throws Exception {
        JsonNode entry = awaitOutbox(
                e -> e.get("statuses").findValuesAsText("statusCode").contains("06"));
        JsonNode status = entry.get("statuses").get(entry.get("statuses").size() - 1);
        return "VN/GOV/000.00.00.G22/DMS sees status "
                + status.get("statusCode").asText() + " ("
                + status.path("description").asText() + ") from "
                + status.get("from").asText()
                + " on outbox entry " + outboxId;
    }

    /** Exports the sending server's log, once all of it is timestamped, with the certificates an auditor needs. */
    private String exportAudit() throws Exception {
        SecurityServer sender = running.get(0);
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (sender.store().messageLog().awaitingTimestamp() > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the log is not all timestamped after " + READY_TIMEOUT + ": "
                        + sender.status().globalConf().lastError());
            }
            Thread.sleep(200);
        }
        Path dir = Files.createDirectories(folder.resolve("audit"));
        Path out = dir.resolve("VN-GOV-000.00.00.G22-ss1.p7m");
        var result = AuditExport.write(
                sender.config(),
                PIN.toCharArray(),
                new AuditExport.Selection(Instant.EPOCH, Instant.now().plusSeconds(1), null),
                Pem.privateKey(Files.readString(contentKey)),
                out);
        GlobalConf conf = sender.requireValidConf();
        StringBuilder trust = new StringBuilder();
        conf.certificationAuthorities().forEach(ca -> trust.append(Certificates.toPem(ca.certificate())));
        conf.timestampingAuthorities().forEach(tsa -> trust.append(Certificates.toPem(tsa.certificate())));
        Files.writeString(dir.resolve("trust.pem"), trust.toString());
        auditExport = out;
        auditTrust = dir.resolve("trust.pem");
        return result.records() + " log records (ids " + result.firstId() + ".." + result.lastId() + ") in "
                + result.batches().size() + " timestamped batches, " + result.contents()
                + " logged contents opened with the operator's key, signed by "
                + sender.config().serverId()
                + " -> " + out;
    }

    /** Verifies the export offline against the trust bundle, and sees a one-byte change refused. */
    private String verifyAudit() throws Exception {
        var trusted = new ArrayList<java.security.cert.X509Certificate>();
        for (String pem : Files.readString(auditTrust).split("(?<=-----END CERTIFICATE-----\\n)")) {
            if (!pem.isBlank()) {
                trusted.add(Certificates.fromPem(pem));
            }
        }
        byte[] export = Files.readAllBytes(auditExport);
        AuditReport report = AuditVerifier.verify(export, trusted);
        if (!report.ok()) {
            throw new IllegalStateException("the export does not verify: " + report.problems());
        }
        byte[] changed = export.clone();
        changed[changed.length / 2] ^= 1;
        if (AuditVerifier.verify(changed, trusted).ok()) {
            throw new IllegalStateException("an export with one byte changed verified");
        }
        if (report.notes().stream().noneMatch(n -> n.contains("logged content(s) checked"))) {
            throw new IllegalStateException("no logged content was checked: " + report.notes());
        }
        return "chain, Merkle paths, RFC 3161 timestamps, logged contents and the export signature verify"
                + " offline against " + auditTrust.getFileName() + "; a one-byte change is refused";
    }

    private JsonNode awaitOutbox(java.util.function.Predicate<JsonNode> until) throws Exception {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        JsonNode entry;
        do {
            entry = JSON.readTree(
                    demoCall(documents(0, "outbox/" + outboxId).GET()).body());
            if (until.test(entry)) {
                return entry;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new IllegalStateException("outbox entry " + outboxId + " after " + READY_TIMEOUT + ": " + entry);
    }

    /** A request to the document API of agency {@code i}'s server, as its DMS. */
    private HttpRequest.Builder documents(int i, String path) {
        return HttpRequest.newBuilder(java.net.URI.create(
                        "http://127.0.0.1:" + running.get(i).clientProxyPort() + "/documents/v1/" + path))
                .header(
                        "X-Road-Client",
                        AGENCIES.get(i).member().subsystem("DMS").toString())
                .timeout(Duration.ofSeconds(30));
    }

    private static byte[] resource(String name) throws IOException {
        try (var in = DemoFederation.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("resource " + name + " is missing from the build");
            }
            return in.readAllBytes();
        }
    }

    private java.net.URI clientProxy(String path) {
        return java.net.URI.create("http://127.0.0.1:" + running.get(0).clientProxyPort() + path);
    }

    private static HttpResponse<String> demoCall(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Path globalConfFile(ServerConfig config) {
        return config.files().globalConfDir().resolve("globalconf.xml");
    }

    @Override
    public void close() {
        if (service != null) {
            service.close();
            service = null;
        }
        running.forEach(SecurityServer::close);
        running.clear();
        if (registry != null) {
            registry.close();
            registry = null;
        }
    }

    /** The independent XML-DSig implementation, when installed. */
    static final class Xmlsec1 {
        record Result(boolean ok, String output) {}

        static boolean available() {
            return Files.isExecutable(Path.of("/usr/bin/xmlsec1"));
        }

        static Result verify(Path xml, Path certificatePem) throws IOException, InterruptedException {
            Process process = new ProcessBuilder(
                            "xmlsec1",
                            "--verify",
                            "--pubkey-cert-pem",
                            certificatePem.toString(),
                            "--enabled-reference-uris",
                            "empty",
                            xml.toString())
                    .redirectErrorStream(true)
                    .start();
            String output =
                    new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(false, "xmlsec1 timed out");
            }
            return new Result(process.exitValue() == 0, output.strip());
        }
    }
}
