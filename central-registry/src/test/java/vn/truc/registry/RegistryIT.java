package vn.truc.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.truc.core.crypto.CertificateProfile;
import vn.truc.core.crypto.CertificateRequests;
import vn.truc.core.crypto.Certificates;
import vn.truc.core.crypto.KeyAlgorithm;
import vn.truc.core.crypto.KeyPairs;
import vn.truc.core.crypto.KeyStores.KeyAndChain;
import vn.truc.core.error.TrucException;
import vn.truc.core.globalconf.Anchor;
import vn.truc.core.globalconf.GlobalConf;
import vn.truc.core.globalconf.SignedGlobalConf;
import vn.truc.core.id.ClientId;
import vn.truc.core.id.SecurityServerId;
import vn.truc.core.registration.RegistrationRequest;
import vn.truc.core.testing.Processes;
import vn.truc.core.testing.TestPki;
import vn.truc.core.testing.Threads;

class RegistryIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ClientId G22 = ClientId.member("VN", "GOV", "000.00.00.G22");
    private static final SecurityServerId SS1 = new SecurityServerId(G22, "ss1");

    @TempDir
    Path dir;

    private RunningRegistry reg;
    private String token;

    @BeforeEach
    void start() throws Exception {
        reg = new RunningRegistry(dir.resolve("registry"));
        token = reg.admin.addMember(G22, "Văn phòng Chính phủ");
    }

    @AfterEach
    void stop() {
        reg.close();
    }

    @Test
    void publishesAConfigurationThatVerifiesAgainstItsAnchor() throws Exception {
        GlobalConf conf = download();
        assertThat(conf.instance()).isEqualTo("VN");
        assertThat(Duration.between(conf.generatedAt(), conf.expiresAt())).isEqualTo(Duration.ofMinutes(10));
        assertThat(conf.members()).extracting(GlobalConf.Member::id).containsExactly(G22);
        assertThat(conf.certificationAuthorities()).singleElement().satisfies(ca -> assertThat(ca.ocspUrl())
                .endsWith("/ocsp"));
        assertThat(conf.timestampingAuthorities()).singleElement().satisfies(tsa -> assertThat(tsa.url())
                .endsWith("/tsa"));
    }

    @Test
    void aSecondRegistryOnTheSamePortSaysWhyAndLeavesNoThreadRunning() throws Exception {
        RegistryConfig second =
                RegistrySetup.init(dir.resolve("second"), "VN", "127.0.0.1", reg.config.port(), RunningRegistry.PIN);
        Set<Thread> before = Threads.now();

        assertThatThrownBy(() -> CentralRegistry.start(second, RunningRegistry.PIN))
                .isInstanceOf(TrucException.class)
                .hasMessageContaining("cannot listen on " + second.bindHost() + ":" + second.port())
                .hasMessageContaining("Address already in use");

        assertThat(Threads.leftRunningSince(before))
                .as("threads the failed start left running")
                .isEmpty();
        assertThat(download().serial()).as("the first registry still answers").isPositive();
    }

    @Test
    void signsANewSerialWhenTheDataChanges() throws Exception {
        long before = download().serial();
        assertThat(download().serial()).as("unchanged data keeps its serial").isEqualTo(before);
        reg.admin.addSubsystem(G22.subsystem("DMS"));
        GlobalConf after = download();
        assertThat(after.serial()).isGreaterThan(before);
        assertThat(after.member(G22).orElseThrow().subsystems()).containsExactly("DMS");
    }

    @Test
    void registrationStaysPendingUntilApprovedThenTheServerIsPublished() throws Exception {
        Enrolled server = enrol(SS1);
        JsonNode submitted = submit(server.request(), 202);
        long id = submitted.get("id").asLong();
        assertThat(submitted.get("state").asText()).isEqualTo("PENDING");
        assertThat(state(id).get("state").asText()).isEqualTo("PENDING");
        assertThat(download().securityServers()).isEmpty();

        reg.admin.approve(id);

        assertThat(state(id).get("state").asText()).isEqualTo("APPROVED");
        assertThat(download().securityServer(SS1).orElseThrow().authCertHashes())
                .containsExactly(Certificates.sha256Hex(server.auth().certificate()));
    }

    @Test
    void rejectionIsReportedToTheServerWithItsReason() throws Exception {
        long id = submit(enrol(SS1).request(), 202).get("id").asLong();
        reg.admin.reject(id, "not in the inventory");

        JsonNode state = state(id);
        assertThat(state.get("state").asText()).isEqualTo("REJECTED");
        assertThat(state.get("reason").asText()).isEqualTo("not in the inventory");
        assertThatThrownBy(() -> reg.admin.approve(id))
                .isInstanceOf(TrucException.class)
                .hasMessageContaining("already rejected");
        assertThat(download().securityServers()).isEmpty();
    }

    @Test
    void refusesCertificatesWithoutTheMembersEnrolmentToken() throws Exception {
        KeyPair keys = KeyPairs.generate(KeyAlgorithm.RSA);
        HttpResponse<byte[]> response =
                reg.post("certificates", certificateRequest("sign", G22.toString(), keys, "guess"));
        assertError(response, 403, "registry.access_denied", "enrolment token is not valid");
    }

    @Test
    void refusesRegistrationWithCertificatesFromAnUnapprovedCa() throws Exception {
        TestPki rogueCa = TestPki.newCa("Rogue CA");
        KeyAndChain auth = rogueCa.issue(SS1.toString(), CertificateProfile.AUTH);
        KeyAndChain sign = rogueCa.issue(G22.toString(), CertificateProfile.SIGN);
        KeyAndChain encryption = rogueCa.issue(G22.toString(), CertificateProfile.ENCRYPTION);
        byte[] request = request(SS1, auth, sign, encryption.certificate());
        assertError(
                reg.post("registrations", request), 400, "client.invalid_certificate", "not issued by an approved CA");
    }

    @Test
    void refusesAnAuthCertificateIssuedToAnotherServer() throws Exception {
        Enrolled other = enrol(new SecurityServerId(G22, "ss2"));
        Enrolled mine = enrol(SS1);
        byte[] request =
                request(SS1, other.auth(), mine.sign(), mine.encryption().certificate());
        assertError(
                reg.post("registrations", request),
                400,
                "client.invalid_certificate",
                "names VN/GOV/000.00.00.G22/ss2");
    }

    @Test
    void publishesTheEncryptionCertificateOnlyOnceTheServerIsApproved() throws Exception {
        Enrolled ss1 = enrol(SS1);
        Enrolled ss2 = enrol(new SecurityServerId(G22, "ss2"));
        long first = submit(ss1.request(), 202).get("id").asLong();
        long second = submit(ss2.request(), 202).get("id").asLong();
        assertThat(download().member(G22).orElseThrow().encryptionCertificates())
                .as("pending")
                .isEmpty();

        reg.admin.approve(second);
        assertThat(download().member(G22).orElseThrow().encryptionCertificates())
                .containsExactly(ss2.encryption().certificate());
        reg.admin.approve(first);

        assertThat(download().member(G22).orElseThrow().encryptionCertificates())
                .as("in the order the servers were approved")
                .containsExactly(
                        ss2.encryption().certificate(), ss1.encryption().certificate());
    }

    @Test
    void aRejectedServersEncryptionCertificateIsNeverPublished() throws Exception {
        long id = submit(enrol(SS1).request(), 202).get("id").asLong();
        reg.admin.reject(id, "unknown server");
        assertThat(download().member(G22).orElseThrow().encryptionCertificates())
                .isEmpty();
    }

    @Test
    void publishesTheDocumentSubsystemOnceSetAndNoLongerOnceCleared() throws Exception {
        reg.admin.addSubsystem(G22.subsystem("DMS"));
        reg.admin.addSubsystem(G22.subsystem("HR"));
        assertThat(download().member(G22).orElseThrow().documentSubsystem()).isNull();

        reg.admin.setDocumentSubsystem(G22.subsystem("DMS"));
        GlobalConf.Member set = download().member(G22).orElseThrow();
        reg.admin.approve(submit(enrol(SS1).request(), 202).get("id").asLong());
        GlobalConf.Member ready = download().member(G22).orElseThrow();
        reg.admin.clearDocumentSubsystem(G22);
        GlobalConf.Member cleared = download().member(G22).orElseThrow();

        assertThat(set.documentSubsystem()).isEqualTo("DMS");
        assertThat(set.acceptsDocuments())
                .as("no approved server, so no key yet")
                .isFalse();
        assertThat(ready.acceptsDocuments()).isTrue();
        assertThat(cleared.documentSubsystem()).isNull();
        assertThat(cleared.acceptsDocuments()).isFalse();
    }

    @Test
    void refusesADocumentSubsystemTheMemberDoesNotHave() {
        assertThatThrownBy(() -> reg.admin.setDocumentSubsystem(G22.subsystem("DMS")))
                .isInstanceOf(TrucException.class)
                .hasMessageContaining("has no subsystem DMS");
        assertThatThrownBy(() -> reg.admin.setDocumentSubsystem(
                        ClientId.member("VN", "GOV", "000.00.00.H41").subsystem("DMS")))
                .isInstanceOf(TrucException.class)
                .hasMessageContaining("no member VN/GOV/000.00.00.H41");
    }

    @Test
    void refusesASignOrAuthCertificatePassedAsTheEncryptionCertificate() throws Exception {
        Enrolled mine = enrol(SS1);
        byte[] withSign = request(SS1, mine.auth(), mine.sign(), mine.sign().certificate());
        assertError(
                reg.post("registrations", withSign),
                400,
                "client.invalid_certificate",
                "encryption certificate allows neither keyEncipherment nor keyAgreement");

        TestPki approved = approvedTestCa();
        KeyAndChain memberAuth = approved.issue(G22.toString(), CertificateProfile.AUTH);
        byte[] withAuth = request(SS1, mine.auth(), mine.sign(), memberAuth.certificate());
        assertError(
                reg.post("registrations", withAuth),
                400,
                "client.invalid_certificate",
                "encryption certificate has extended key usage 1.3.6.1.5.5.7.3.1");
    }

    @Test
    void refusesAnEncryptionCertificateOfAnotherMember() throws Exception {
        ClientId h41 = ClientId.member("VN", "GOV", "000.00.00.H41");
        String mine = token;
        token = reg.admin.addMember(h41, "UBND tỉnh Nghệ An");
        KeyAndChain theirs = certificate("encrypt", h41.toString());
        token = mine;
        Enrolled me = enrol(SS1);

        assertError(
                reg.post("registrations", request(SS1, me.auth(), me.sign(), theirs.certificate())),
                400,
                "client.invalid_certificate",
                "encryption certificate names VN/GOV/000.00.00.H41, not VN/GOV/000.00.00.G22");
    }

    @Test
    void acceptsARequestOfAnOlderVersionWithoutAnEncryptionCertificate() throws Exception {
        Enrolled me = enrol(SS1);
        long id =
                submit(request(SS1, me.auth(), me.sign(), null), 202).get("id").asLong();
        reg.admin.approve(id);

        assertThat(download().securityServer(SS1)).isPresent();
        assertThat(download().member(G22).orElseThrow().encryptionCertificates())
                .isEmpty();
    }

    @Test
    void embeddedCaIssuesEncryptionCertificatesOnlyWithTheMembersToken() throws Exception {
        X509Certificate issued = certificate("encrypt", G22.toString()).certificate();
        boolean[] usage = issued.getKeyUsage();
        HttpResponse<byte[]> refused = reg.post(
                "certificates",
                certificateRequest("encrypt", G22.toString(), KeyPairs.generate(KeyAlgorithm.RSA), "guess"));

        assertThat(usage[2] && usage[4] && !usage[0])
                .as("keyEncipherment, keyAgreement, no digitalSignature")
                .isTrue();
        assertThat(issued.getExtendedKeyUsage()).isNull();
        assertError(refused, 403, "registry.access_denied", "enrolment token is not valid");
    }

    @Test
    void refusesARevokedCertificate() throws Exception {
        Enrolled server = enrol(SS1);
        reg.registry.store().revoke(server.auth().certificate().getSerialNumber(), 1);
        assertError(reg.post("registrations", server.request()), 400, "client.invalid_certificate", "revoked");
    }

    @Test
    void refusesMalformedAndUnknownRequestsWithTheErrorVocabulary() throws Exception {
        assertError(
                reg.post("registrations", "{not json".getBytes(StandardCharsets.UTF_8)),
                400,
                "client.invalid_request",
                "not valid");
        assertError(reg.get("registrations/x"), 400, "client.invalid_request", "not a number");
        assertError(reg.get("registrations/999"), 404, "client.unknown_request", "no registration request 999");
        assertError(reg.get("nothing-here"), 404, "client.not_found", "no such resource");
    }

    @Test
    void refusesABodyOverTheLimit() throws Exception {
        byte[] huge = new byte[reg.config.maxRequestBytes() + 1];
        HttpResponse<byte[]> response = reg.post("registrations", huge);
        assertThat(response.statusCode()).isEqualTo(413);
    }

    @Test
    void ocspResponderAnswersOpensslForIssuedCertificates() throws Exception {
        Enrolled server = enrol(SS1);
        Path ca = Files.writeString(
                dir.resolve("ca.pem"),
                Certificates.toPem(
                        reg.registry.store().certificationAuthorities().get(0).certificate()));
        Path cert = Files.writeString(
                dir.resolve("auth.pem"), Certificates.toPem(server.auth().certificate()));
        List<String> ocsp = List.of(
                "openssl",
                "ocsp",
                "-issuer",
                ca.toString(),
                "-cert",
                cert.toString(),
                "-url",
                reg.url("ocsp").toString(),
                "-CAfile",
                ca.toString());

        Processes.Result good = Processes.run(ocsp);
        reg.registry.store().revoke(server.auth().certificate().getSerialNumber(), 1);
        Processes.Result revoked = Processes.run(ocsp);

        assertThat(good.output()).contains("Response verify OK").contains(cert + ": good");
        assertThat(revoked.output()).contains("Response verify OK").contains(cert + ": revoked");
    }

    // ---- helpers

    private record Enrolled(KeyAndChain auth, KeyAndChain sign, KeyAndChain encryption, byte[] request) {}

    private Enrolled enrol(SecurityServerId server) throws Exception {
        KeyAndChain auth = certificate("auth", server.toString());
        KeyAndChain sign = certificate("sign", server.owner().toString());
        KeyAndChain encryption = certificate("encrypt", server.owner().toString());
        byte[] request = request(server, auth, sign, encryption.certificate());
        return new Enrolled(auth, sign, encryption, request);
    }

    private static byte[] request(
            SecurityServerId server, KeyAndChain auth, KeyAndChain sign, X509Certificate encryption) {
        return new RegistrationRequest(
                        server, "127.0.0.1:5500", auth.certificate(), sign.certificate(), encryption, Instant.now())
                .toSignedJson(auth.privateKey(), sign.privateKey());
    }

    /** A test CA the registry approves, for certificates its embedded CA would never issue. */
    private TestPki approvedTestCa() {
        TestPki ca = TestPki.newCa("Other approved CA");
        reg.admin.addCertificationAuthority(
                "Other approved CA", ca.caCertificate(), java.net.URI.create("http://127.0.0.1/ocsp"));
        return ca;
    }

    private KeyAndChain certificate(String usage, String holder) throws Exception {
        KeyPair keys = KeyPairs.generate(KeyAlgorithm.RSA);
        HttpResponse<byte[]> response = reg.post("certificates", certificateRequest(usage, holder, keys, token));
        assertThat(response.statusCode())
                .as(new String(response.body(), StandardCharsets.UTF_8))
                .isEqualTo(200);
        X509Certificate cert = Certificates.fromPem(
                JSON.readTree(response.body()).get("chain").get(0).asText());
        assertThat(Certificates.subjectSerialNumber(cert)).contains(holder);
        return new KeyAndChain(keys.getPrivate(), List.of(cert));
    }

    private static byte[] certificateRequest(String usage, String holder, KeyPair keys, String token) throws Exception {
        String csr = CertificateRequests.toPem(CertificateRequests.create(keys, new X500Name("CN=anything")));
        return JSON.writeValueAsBytes(JSON.createObjectNode()
                .put("usage", usage)
                .put("holder", holder)
                .put("csr", csr)
                .put("token", token));
    }

    private JsonNode submit(byte[] request, int expectedStatus) throws Exception {
        HttpResponse<byte[]> response = reg.post("registrations", request);
        assertThat(response.statusCode())
                .as(new String(response.body(), StandardCharsets.UTF_8))
                .isEqualTo(expectedStatus);
        return JSON.readTree(response.body());
    }

    private JsonNode state(long id) throws Exception {
        return JSON.readTree(reg.get("registrations/" + id).body());
    }

    private GlobalConf download() throws Exception {
        Anchor anchor = Anchor.fromXml(reg.get("anchor").body());
        return SignedGlobalConf.verify(reg.get("globalconf").body(), anchor);
    }

    private static void assertError(HttpResponse<byte[]> response, int status, String type, String message)
            throws Exception {
        JsonNode body = JSON.readTree(response.body());
        assertThat(response.statusCode()).as(body.toString()).isEqualTo(status);
        assertThat(response.headers().firstValue("X-Road-Error")).contains(type);
        assertThat(body.get("type").asText()).isEqualTo(type);
        assertThat(body.get("message").asText()).contains(message);
        assertThat(body.get("detail").asText()).hasSize(16);
    }
}
