package vn.truc.core.globalconf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.w3c.dom.Document;
import vn.truc.core.crypto.CertificateProfile;
import vn.truc.core.crypto.Certificates;
import vn.truc.core.crypto.KeyAlgorithm;
import vn.truc.core.crypto.KeyPairs;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.TrucException;
import vn.truc.core.id.ClientId;
import vn.truc.core.testing.Processes;
import vn.truc.core.testing.TestPki;
import vn.truc.core.xml.SecureXml;
import vn.truc.core.xml.XmlSignatures;

class GlobalConfXmlTest {
    private static final ClientId G22 = ClientId.member("VN", "GOV", "000.00.00.G22");
    private static final ClientId H41 = ClientId.member("VN", "GOV", "000.00.00.H41");

    private final TestPki pki = TestPki.newCa("Test CA");
    private final X509Certificate ss1Encryption =
            pki.issue(G22.toString(), CertificateProfile.ENCRYPTION).certificate();
    private final X509Certificate ss2Encryption =
            pki.issue(G22.toString(), CertificateProfile.ENCRYPTION).certificate();
    private final KeyPair signing = KeyPairs.generate(KeyAlgorithm.RSA);
    private final X509Certificate signingCertificate = Certificates.selfSigned(
            signing, new X500Name("CN=registry"), Duration.ofDays(1), CertificateProfile.CONF_SIGNING);

    @Test
    void roundTripsTheDocumentSubsystemAndEncryptionCertificatesThroughASignature() {
        GlobalConf conf = conf(List.of(
                new GlobalConf.Member(
                        G22, "Văn phòng Chính phủ", List.of("DMS", "HR"), "DMS", List.of(ss1Encryption, ss2Encryption)),
                new GlobalConf.Member(H41, "UBND tỉnh Nghệ An", List.of("DMS"))));

        GlobalConf read = SignedGlobalConf.verify(signed(conf), anchor());

        assertThat(read).isEqualTo(conf);
        GlobalConf.Member g22 = read.member(G22).orElseThrow();
        assertThat(g22.documentSubsystem()).isEqualTo("DMS");
        assertThat(g22.encryptionCertificates()).containsExactly(ss1Encryption, ss2Encryption);
        assertThat(g22.acceptsDocuments()).isTrue();
        assertThat(read.member(H41).orElseThrow().acceptsDocuments()).isFalse();
    }

    @Test
    void writesTheNewElementsOnlyForAMemberThatHasThem() {
        GlobalConf conf = conf(List.of(
                new GlobalConf.Member(G22, "VPCP", List.of("DMS"), "DMS", List.of(ss1Encryption)),
                new GlobalConf.Member(H41, "Nghệ An", List.of("DMS"))));

        String xml = new String(SecureXml.toBytes(GlobalConfXml.write(conf)), StandardCharsets.UTF_8);

        assertThat(xml)
                .contains("<member id=\"VN/GOV/000.00.00.G22\" name=\"VPCP\"><subsystem code=\"DMS\"/>"
                        + "<documents subsystem=\"DMS\"/><encryptionCertificate>"
                        + GlobalConfXml.base64(ss1Encryption) + "</encryptionCertificate></member>")
                .contains("<member id=\"VN/GOV/000.00.00.H41\" name=\"Nghệ An\"><subsystem code=\"DMS\"/></member>");
    }

    @Test
    void readsAMemberWithoutTheNewElementsAsOneThatTakesNoDocuments() {
        GlobalConf.Member member = readMember("<subsystem code=\"DMS\"/>");

        assertThat(member.documentSubsystem()).isNull();
        assertThat(member.encryptionCertificates()).isEmpty();
        assertThat(member.acceptsDocuments()).isFalse();
    }

    @Test
    void readsADocumentSubsystemWithoutEncryptionCertificatesYet() {
        GlobalConf.Member member = readMember("<subsystem code=\"DMS\"/><documents subsystem=\"DMS\"/>");

        assertThat(member.documentSubsystem()).isEqualTo("DMS");
        assertThat(member.acceptsDocuments()).as("no key to encrypt to").isFalse();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "<documents subsystem='DMS'/><documents subsystem='DMS'/>  | more than one <documents>",
                "<documents/>                                             | <documents> lacks attribute 'subsystem'",
                "<documents subsystem='HR'/>                              | document subsystem HR is not a subsystem",
                "<encryptionCertificate> </encryptionCertificate>         | has an empty <encryptionCertificate>",
                "<encryptionCertificate>AAECAwQ=</encryptionCertificate>  | <encryptionCertificate>: not a valid X.509",
            })
    void refusesMalformedDocumentElements(String extra, String reason) {
        assertThatThrownBy(() -> readMember("<subsystem code='DMS'/>" + extra))
                .isInstanceOf(TrucException.class)
                .hasMessageStartingWith("global configuration: ")
                .hasMessageContaining(reason)
                .satisfies(e -> assertThat(((TrucException) e).code()).isEqualTo(ErrorCode.INVALID_XML));
    }

    @Test
    void independentXmlsec1VerifiesAConfigurationWithTheNewElements(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/xmlsec1")), "xmlsec1 is installed by .ci/run");
        GlobalConf conf = conf(List.of(
                new GlobalConf.Member(G22, "Văn phòng Chính phủ", List.of("DMS"), "DMS", List.of(ss1Encryption))));
        Path pem = Files.writeString(dir.resolve("registry.pem"), Certificates.toPem(signingCertificate));
        Path good = Files.write(dir.resolve("good.xml"), signed(conf));
        Path bad = Files.writeString(
                dir.resolve("bad.xml"),
                Files.readString(good).replace("<documents subsystem=\"DMS\"/>", "<documents subsystem=\"HR\"/>"));

        Processes.Result ok = xmlsec1(pem, good);
        Processes.Result refused = xmlsec1(pem, bad);

        assertThat(ok.exitCode()).as(ok.output()).isZero();
        assertThat(refused.exitCode()).as(refused.output()).isNotZero();
    }

    // ---- helpers

    private static GlobalConf conf(List<GlobalConf.Member> members) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return new GlobalConf(
                "VN", 7, now, now.plus(Duration.ofMinutes(10)), members, List.of(), List.of(), List.of(), List.of());
    }

    private byte[] signed(GlobalConf conf) {
        Document doc = GlobalConfXml.write(conf);
        XmlSignatures.signEnveloped(doc, signing.getPrivate());
        return SecureXml.toBytes(doc);
    }

    private Anchor anchor() {
        return new Anchor("VN", URI.create("http://127.0.0.1:4000/"), signingCertificate, Instant.now());
    }

    private static GlobalConf.Member readMember(String content) {
        String xml = "<globalConf xmlns='" + GlobalConfXml.NS + "' instance='VN' serial='1'"
                + " generatedAt='2026-01-01T00:00:00Z' expiresAt='2026-01-01T00:10:00Z'>"
                + "<member id='VN/GOV/000.00.00.G22' name='VPCP'>" + content + "</member></globalConf>";
        Document doc = SecureXml.parse(xml.getBytes(StandardCharsets.UTF_8), "global configuration");
        return GlobalConfXml.read(doc).members().get(0);
    }

    private static Processes.Result xmlsec1(Path pem, Path xml) throws Exception {
        return Processes.run(List.of(
                "xmlsec1",
                "--verify",
                "--pubkey-cert-pem",
                pem.toString(),
                "--enabled-reference-uris",
                "empty",
                xml.toString()));
    }
}
