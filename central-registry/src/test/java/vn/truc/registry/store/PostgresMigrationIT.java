package vn.truc.registry.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.security.KeyPair;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.junit.jupiter.api.Test;
import vn.truc.core.crypto.CertificateProfile;
import vn.truc.core.crypto.Certificates;
import vn.truc.core.crypto.KeyAlgorithm;
import vn.truc.core.crypto.KeyPairs;
import vn.truc.core.crypto.KeyStores.KeyAndChain;
import vn.truc.core.db.Database;
import vn.truc.core.error.TrucException;
import vn.truc.core.globalconf.Anchor;
import vn.truc.core.globalconf.GlobalConf;
import vn.truc.core.globalconf.SignedGlobalConf;
import vn.truc.core.id.ClientId;
import vn.truc.core.id.GlobalGroupId;
import vn.truc.core.id.SecurityServerId;
import vn.truc.core.testing.TestPki;
import vn.truc.registry.publish.GlobalConfPublisher;
import vn.truc.registry.trust.CertificateStatus;

/**
 * The registry's migrations and every query of its store on a real PostgreSQL. CI starts one
 * with {@code .ci/postgres}; elsewhere the test runs when TRUC_TEST_POSTGRES_URL is set.
 */
class PostgresMigrationIT {
    private static final String URL = System.getenv("TRUC_TEST_POSTGRES_URL");
    private static final String USER = System.getenv("TRUC_TEST_POSTGRES_USER");
    private static final String PASSWORD = System.getenv("TRUC_TEST_POSTGRES_PASSWORD");

    @Test
    void schemaAndStoreWorkOnPostgresql() throws Exception {
        assumeTrue(URL != null, "set TRUC_TEST_POSTGRES_URL (CI does, through .ci/postgres)");
        resetSchema();
        ClientId g22 = ClientId.member("VN", "GOV", "000.00.00.G22");
        SecurityServerId ss1 = new SecurityServerId(g22, "ss1");
        TestPki pki = TestPki.newCa("PG test CA");
        KeyAndChain auth = pki.issue(ss1.toString(), CertificateProfile.AUTH);
        KeyAndChain sign = pki.issue(g22.toString(), CertificateProfile.SIGN);
        KeyAndChain encryption = pki.issue(g22.toString(), CertificateProfile.ENCRYPTION);

        try (Database db = Database.open(URL, USER, PASSWORD, "registry")) {
            RegistryStore store = new RegistryStore(db, "VN");
            store.addMember(g22, "Văn phòng Chính phủ", "hash");
            store.addSubsystem(g22.subsystem("DMS"));
            store.setDocumentSubsystem(g22, "DMS");
            store.addCertificationAuthority("PG test CA", pki.caCertificate(), "http://127.0.0.1/ocsp");
            store.addGlobalGroup(new GlobalGroupId("VN", "ministries"), "Bộ, cơ quan ngang bộ");
            store.addGlobalGroupMember(new GlobalGroupId("VN", "ministries"), g22.subsystem("DMS"));
            store.recordIssued(auth.certificate(), "auth");
            Registration pending = store.submitRegistration(
                    ss1, "127.0.0.1:5500", auth.certificate(), sign.certificate(), encryption.certificate());
            Registration approved = store.approve(pending.id());
            store.revoke(auth.certificate().getSerialNumber(), 1);

            KeyPair signing = KeyPairs.generate(KeyAlgorithm.RSA);
            var cert = Certificates.selfSigned(
                    signing, new X500Name("CN=pg"), Duration.ofDays(1), CertificateProfile.CONF_SIGNING);
            GlobalConfPublisher publisher =
                    new GlobalConfPublisher(store, signing.getPrivate(), Duration.ofMinutes(10), Clock.systemUTC());
            GlobalConf conf = SignedGlobalConf.verify(
                    publisher.current().xml(),
                    new Anchor("VN", java.net.URI.create("http://127.0.0.1/"), cert, Instant.now()));

            assertThat(approved.state()).isEqualTo(Registration.State.APPROVED);
            assertThat(approved.decidedAt()).isNotNull();
            assertThat(conf.member(g22).orElseThrow().subsystems()).containsExactly("DMS");
            assertThat(conf.member(g22).orElseThrow().documentSubsystem()).isEqualTo("DMS");
            assertThat(conf.member(g22).orElseThrow().encryptionCertificates())
                    .containsExactly(encryption.certificate());
            assertThatThrownBy(() -> db.update(
                            "UPDATE member SET document_subsystem = 'NONE' WHERE member_code = ?", g22.memberCode()))
                    .as("the schema, too, holds a member to its own subsystems")
                    .isInstanceOf(TrucException.class);
            assertThat(conf.securityServer(ss1).orElseThrow().authCertHashes())
                    .containsExactly(Certificates.sha256Hex(auth.certificate()));
            assertThat(conf.globalGroups()).singleElement().satisfies(g -> assertThat(g.members())
                    .containsExactly(g22.subsystem("DMS")));
            assertThat(store.certificateStatus(auth.certificate().getSerialNumber()))
                    .isInstanceOf(CertificateStatus.Revoked.class);
            assertThat(store.nextConfSerial()).isGreaterThan(conf.serial());
            assertThat(store.registrations()).extracting(Registration::id).isEqualTo(List.of(pending.id()));
        }
    }

    private static void resetSchema() throws Exception {
        try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD);
                Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS public CASCADE");
            s.execute("CREATE SCHEMA public");
        }
    }
}
