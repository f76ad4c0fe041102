package vn.truc.server.documents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static vn.truc.server.documents.DocumentTesting.DOC;
import static vn.truc.server.documents.DocumentTesting.G22_DMS;
import static vn.truc.server.documents.DocumentTesting.H29;
import static vn.truc.server.documents.DocumentTesting.H41;
import static vn.truc.server.documents.DocumentTesting.H41_DMS;
import static vn.truc.server.documents.DocumentTesting.SHA;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.truc.core.crypto.CertificateProfile;
import vn.truc.core.db.Database;
import vn.truc.core.document.DocumentManifest.Kind;
import vn.truc.core.edxml.EdxmlPackage.BusinessType;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.TrucException;
import vn.truc.core.globalconf.GlobalConf;
import vn.truc.core.id.ClientId;
import vn.truc.core.testing.TestPki;

/** Who a package goes to, decided from a global configuration built in code and a real document store. */
class RoutingTest {
    private static final ClientId G22 = G22_DMS.memberId();
    private static final ClientId H14 = ClientId.parseMember("VN/GOV/000.00.00.H14");
    private static final ClientId G17 = ClientId.parseMember("VN/GOV/000.00.00.G17");
    private static final ClientId A53 = ClientId.parseMember("VN/GOV/000.00.01.A53");
    private static X509Certificate encryptionCert;

    @TempDir
    Path dir;

    private Database db;
    private DocumentStore store;
    private GlobalConf conf;

    @BeforeAll
    static void pki() {
        encryptionCert = TestPki.newCa("Test CA")
                .issue("VN/GOV/000.00.00.H41", CertificateProfile.ENCRYPTION)
                .certificate();
    }

    @BeforeEach
    void open() {
        db = DocumentTesting.openH2(dir);
        store = new DocumentStore(db);
        conf = new GlobalConf(
                "VN",
                1,
                Instant.now(),
                Instant.now().plusSeconds(3600),
                List.of(
                        accepting(G22, "DMS"),
                        accepting(H41, "DMS"),
                        accepting(H29, "EOFFICE"),
                        // H14 names a document subsystem but publishes no encryption key
                        new GlobalConf.Member(H14, "UBND Cao Bằng", List.of("DMS"), "DMS", List.of()),
                        // G17 takes no part in document exchange
                        new GlobalConf.Member(G17, "Bộ Tài chính", List.of("DMS")),
                        // A53 is a member in two classes
                        accepting(A53, "DMS"),
                        accepting(ClientId.member("VN", "COM", "000.00.01.A53"), "DMS")),
                List.of(),
                List.of(),
                List.of(),
                List.of());
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void resolvesAnAgencyCodeToItsDocumentSubsystem() {
        assertThat(Routing.recipients(document("000.00.00.H41", "000.00.00.H29"), G22_DMS, conf, store))
                .containsExactly(H41_DMS, H29.subsystem("EOFFICE"));
    }

    @Test
    void takesASubsystemIdAsItIs() {
        assertThat(Routing.recipients(document("VN/GOV/000.00.00.H41/DMS"), G22_DMS, conf, store))
                .containsExactly(H41_DMS);
    }

    @Test
    void namesEachRecipientOnce() {
        assertThat(Routing.recipients(document("000.00.00.H41", "VN/GOV/000.00.00.H41/DMS"), G22_DMS, conf, store))
                .containsExactly(H41_DMS);
    }

    @Test
    void refusesAnUnknownAgency() {
        assertRefused(
                        () -> Routing.recipients(document("000.00.00.X99"), G22_DMS, conf, store),
                        ErrorCode.UNKNOWN_MEMBER)
                .hasMessageContaining("000.00.00.X99");
        assertRefused(
                        () -> Routing.recipients(document("VN/GOV/000.00.00.X99/DMS"), G22_DMS, conf, store),
                        ErrorCode.UNKNOWN_MEMBER)
                .hasMessageContaining("VN/GOV/000.00.00.X99");
        assertRefused(
                        () -> Routing.recipients(document("VN/GOV/000.00.00.H41/HR"), G22_DMS, conf, store),
                        ErrorCode.UNKNOWN_MEMBER)
                .hasMessageContaining("VN/GOV/000.00.00.H41/HR is not a subsystem");
    }

    @Test
    void refusesAnAgencyWithoutADocumentSubsystem() {
        assertRefused(
                        () -> Routing.recipients(document("000.00.00.G17"), G22_DMS, conf, store),
                        ErrorCode.DOCUMENTS_NOT_ACCEPTED)
                .hasMessageContaining("VN/GOV/000.00.00.G17")
                .hasMessageContaining("names no subsystem for documents");
        assertRefused(
                        () -> Routing.recipients(document("VN/GOV/000.00.00.G17/DMS"), G22_DMS, conf, store),
                        ErrorCode.DOCUMENTS_NOT_ACCEPTED)
                .hasMessageContaining("names no subsystem for documents");
    }

    @Test
    void refusesASubsystemThatIsNotTheAgencysDocumentSubsystem() {
        ClientId h29Dms = H29.subsystem("DMS");
        GlobalConf withDms = withMember(new GlobalConf.Member(
                H29, "UBND Hà Tĩnh", List.of("DMS", "EOFFICE"), "EOFFICE", List.of(encryptionCert)));

        assertRefused(
                        () -> Routing.recipients(document(h29Dms.toString()), G22_DMS, withDms, store),
                        ErrorCode.DOCUMENTS_NOT_ACCEPTED)
                .hasMessageContaining("takes documents at EOFFICE");
    }

    @Test
    void refusesAnAgencyWithoutAnEncryptionCertificate() {
        assertRefused(
                        () -> Routing.recipients(document("000.00.00.H14"), G22_DMS, conf, store),
                        ErrorCode.DOCUMENTS_NOT_ACCEPTED)
                .hasMessageContaining("VN/GOV/000.00.00.H14/DMS")
                .hasMessageContaining("publishes no encryption certificate");
    }

    @Test
    void refusesAnAgencyCodeThatIsAmbiguous() {
        assertRefused(
                        () -> Routing.recipients(document("000.00.01.A53"), G22_DMS, conf, store),
                        ErrorCode.INVALID_REQUEST)
                .hasMessageContaining("several classes");
    }

    @Test
    void refusesARecipientThatIsNeitherCodeNorSubsystem() {
        assertRefused(
                        () -> Routing.recipients(document("VN/GOV/000.00.00.H41"), G22_DMS, conf, store),
                        ErrorCode.INVALID_IDENTIFIER)
                .hasMessageContaining("recipient 'VN/GOV/000.00.00.H41'");
    }

    @Test
    void refusesANewDocumentWithNoRecipient() {
        assertRefused(() -> Routing.recipients(document(), G22_DMS, conf, store), ErrorCode.INVALID_REQUEST)
                .hasMessageContaining("has no recipient");
    }

    @Test
    void revokeReachesEveryoneTheOriginalWentTo() {
        sent(G22_DMS, DOC, BusinessType.NEW, H41_DMS, H29.subsystem("EOFFICE"));

        Submission revoke = new Submission(
                Kind.DOCUMENT, DOC, BusinessType.REVOKE, null, List.of(), List.of(), null, null, null, null);

        assertThat(Routing.recipients(revoke, G22_DMS, conf, store))
                .containsExactlyInAnyOrder(H41_DMS, H29.subsystem("EOFFICE"));
    }

    @Test
    void updateAddsNamedRecipientsToTheOriginalOnes() {
        sent(G22_DMS, DOC, BusinessType.NEW, H41_DMS);
        Submission update = new Submission(
                Kind.DOCUMENT,
                DOC,
                BusinessType.UPDATE,
                null,
                List.of("000.00.00.H29"),
                List.of(),
                null,
                null,
                null,
                null);

        assertThat(Routing.recipients(update, G22_DMS, conf, store))
                .containsExactlyInAnyOrder(H41_DMS, H29.subsystem("EOFFICE"));
    }

    @Test
    void replaceReachesTheRecipientsOfTheReplacedDocument() {
        String old = "000.00.00.G22,2015/09/01,7000/VPCP-TTĐT";
        sent(G22_DMS, old, BusinessType.NEW, H41_DMS);
        Submission replace = new Submission(
                Kind.DOCUMENT, DOC, BusinessType.REPLACE, null, List.of(), List.of(old), null, null, null, null);

        assertThat(Routing.recipients(replace, G22_DMS, conf, store)).containsExactly(H41_DMS);
    }

    @Test
    void revokeOfADocumentNeverSentHasNoRecipient() {
        Submission revoke = new Submission(
                Kind.DOCUMENT, DOC, BusinessType.REVOKE, null, List.of(), List.of(), null, null, null, null);

        assertRefused(() -> Routing.recipients(revoke, G22_DMS, conf, store), ErrorCode.INVALID_REQUEST)
                .hasMessageContaining("has no recipient");
    }

    @Test
    void statusGoesBackToTheSenderOfTheReceivedDocument() {
        store.receive(G22_DMS, H41_DMS, DOC, BusinessType.NEW, "m-1", dir.resolve("in/1"), SHA, 10);

        assertThat(Routing.recipients(status("06"), H41_DMS, conf, store)).containsExactly(G22_DMS);
    }

    @Test
    void statusTheSenderSetsGoesToTheDocumentsRecipients() {
        sent(G22_DMS, DOC, BusinessType.NEW, H41_DMS);

        assertThat(Routing.recipients(status("13"), G22_DMS, conf, store)).containsExactly(H41_DMS);
    }

    @Test
    void statusAboutAnUnknownDocumentIsNotFound() {
        assertRefused(() -> Routing.recipients(status("06"), H41_DMS, conf, store), ErrorCode.NOT_FOUND)
                .hasMessageContaining("status about " + DOC)
                .hasMessageContaining("neither received nor sent");
    }

    @Test
    void statusIsNotSentToARecipientThatNoLongerTakesDocuments() {
        store.receive(G22_DMS, H41_DMS, DOC, BusinessType.NEW, "m-1", dir.resolve("in/1"), SHA, 10);
        GlobalConf withoutKey =
                withMember(new GlobalConf.Member(G22, "Văn phòng Chính phủ", List.of("DMS"), "DMS", List.of()));

        assertRefused(
                        () -> Routing.recipients(status("06"), H41_DMS, withoutKey, store),
                        ErrorCode.DOCUMENTS_NOT_ACCEPTED)
                .hasMessageContaining("VN/GOV/000.00.00.G22/DMS");
    }

    // ---- helpers ----

    private static GlobalConf.Member accepting(ClientId member, String subsystem) {
        return new GlobalConf.Member(
                member, member.memberCode(), List.of(subsystem), subsystem, List.of(encryptionCert));
    }

    /** {@link #conf} with {@code replacement} instead of the member with the same id. */
    private GlobalConf withMember(GlobalConf.Member replacement) {
        List<GlobalConf.Member> members = conf.members().stream()
                .map(m -> m.id().equals(replacement.id()) ? replacement : m)
                .toList();
        return new GlobalConf(
                conf.instance(),
                conf.serial() + 1,
                conf.generatedAt(),
                conf.expiresAt(),
                members,
                List.of(),
                List.of(),
                List.of(),
                List.of());
    }

    private static Submission document(String... recipients) {
        return new Submission(
                Kind.DOCUMENT, DOC, BusinessType.NEW, null, List.of(recipients), List.of(), null, null, null, null);
    }

    private static Submission status(String code) {
        return new Submission(Kind.STATUS, DOC, BusinessType.NEW, code, List.of(), List.of(), null, null, null, null);
    }

    private void sent(ClientId sender, String documentId, BusinessType type, ClientId... recipients) {
        store.accept(
                sender, documentId, type, List.of(recipients), dir.resolve("out/" + documentId.hashCode()), SHA, 10);
    }

    private static AbstractThrowableAssert<?, ?> assertRefused(ThrowingCallable call, ErrorCode code) {
        return assertThatThrownBy(call)
                .isInstanceOf(TrucException.class)
                .satisfies(e -> assertThat(((TrucException) e).code()).isEqualTo(code));
    }
}
