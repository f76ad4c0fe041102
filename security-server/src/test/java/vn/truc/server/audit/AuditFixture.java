package vn.truc.server.audit;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.BEROctetString;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.cms.CMSSignedData;
import vn.truc.core.audit.AuditExportFormat;
import vn.truc.core.audit.ExportContent;
import vn.truc.core.crypto.CertificateProfile;
import vn.truc.core.crypto.Digests;
import vn.truc.core.crypto.KeyStores.KeyAndChain;
import vn.truc.core.globalconf.GlobalConf;
import vn.truc.core.id.ClientId;
import vn.truc.core.id.SecurityServerId;
import vn.truc.core.id.ServiceId;
import vn.truc.core.testing.OpensslTsa;
import vn.truc.core.testing.TestPki;
import vn.truc.server.store.LogRecord;
import vn.truc.server.store.MessageLog;
import vn.truc.server.store.ServerDatabases;
import vn.truc.server.store.ServerStore;

/**
 * A security server's message log on a real H2 file, timestamped by a real {@code openssl ts} TSA,
 * with the sign key and global configuration an export needs; and the tools to tamper with the
 * database and with exports.
 */
final class AuditFixture implements AutoCloseable {
    static final SecurityServerId SERVER = SecurityServerId.parse("VN/GOV/000.00.00.G22/ss1");
    static final ClientId OFFICE = ClientId.parse("VN/GOV/000.00.00.G22/DMS");
    static final ClientId MINISTRY = ClientId.parse("VN/GOV/000.00.00.G01/DMS");
    static final ServiceId MINISTRY_SERVICE = ServiceId.parse("VN/GOV/000.00.00.G01/DMS/documents/v1");
    static final ClientId PROVINCE = ClientId.parse("VN/GOV/000.00.00.H29/DMS");
    static final ServiceId OFFICE_HR_SERVICE = ServiceId.parse("VN/GOV/000.00.00.G22/HR/inbox/v1");
    static final Instant FROM = Instant.parse("2025-01-01T00:00:00Z");
    static final Instant TO = Instant.parse("2025-02-01T00:00:00Z");

    final TestPki ca = TestPki.newCa("Truc test CA");
    final KeyAndChain signKey = ca.issue(SERVER.toString(), CertificateProfile.SIGN);
    /** The operator's key that logged contents are sealed for. */
    final KeyAndChain operator = ca.issue("Log content operator", CertificateProfile.ENCRYPTION);

    final OpensslTsa tsa;
    final GlobalConf conf;
    final ServerStore store;
    final MessageLog log;
    final Timestamper timestamper;
    final Path contentDir;

    AuditFixture(Path dir) throws IOException, InterruptedException {
        contentDir = dir.resolve("log-content");
        tsa = OpensslTsa.start(java.nio.file.Files.createDirectories(dir.resolve("tsa")));
        Instant now = Instant.now();
        conf = new GlobalConf(
                "VN",
                1,
                now,
                now.plus(Duration.ofHours(1)),
                List.of(),
                List.of(),
                List.of(new GlobalConf.CertificationAuthority("Truc test CA", ca.caCertificate(), null)),
                List.of(new GlobalConf.TimestampingAuthority(
                        "openssl TSA", tsa.url().toString(), tsa.certificate())),
                List.of());
        store = new ServerStore(
                ServerDatabases.open("jdbc:h2:file:" + dir.toAbsolutePath().resolve("db/server"), "sa", ""));
        log = store.messageLog();
        timestamper = new Timestamper(
                store.database(),
                () -> conf,
                HttpClient.newHttpClient(),
                new Timestamper.Settings(Duration.ofMinutes(1), Duration.ofMinutes(5), null, Duration.ofSeconds(10)),
                Clock.systemUTC());
    }

    /** What an auditor trusts, obtained independently of the export. */
    List<X509Certificate> trust() {
        return List.of(ca.caCertificate(), tsa.certificate());
    }

    /**
     * Logs {@code n} records, alternating: the office's DMS calls the ministry, then the province
     * calls the office's HR subsystem.
     */
    List<Long> append(int n) {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long count = store.database()
                    .queryOne("SELECT COUNT(*) FROM message_log", row -> row.getLong(1))
                    .orElseThrow();
            boolean fromOffice = count % 2 == 0;
            ids.add(log.append(new LogRecord(
                    0,
                    FROM.plus(Duration.ofHours(count + 1)),
                    "msg-" + count,
                    fromOffice ? LogRecord.Direction.OUT : LogRecord.Direction.IN,
                    LogRecord.Kind.REQUEST,
                    fromOffice ? OFFICE : PROVINCE,
                    fromOffice ? MINISTRY_SERVICE : OFFICE_HR_SERVICE,
                    java.util.Base64.getEncoder()
                            .encodeToString(Digests.sha256(("body " + count).getBytes(StandardCharsets.UTF_8))),
                    "{\"m\":" + count + "}",
                    new byte[] {(byte) count, 1, 2},
                    "ab".repeat(32),
                    fromOffice ? SecurityServerId.parse("VN/GOV/000.00.00.G01/ss1") : null)));
        }
        return ids;
    }

    /** Two timestamped batches of 6 and 4 records, then 2 records still waiting: 12 records. */
    List<Long> standardLog() {
        List<Long> ids = new ArrayList<>(append(6));
        timestamper.timestampBatch();
        ids.addAll(append(4));
        timestamper.timestampBatch();
        ids.addAll(append(2));
        return ids;
    }

    /** Exports carry the logged contents as kept, sealed for {@link #operator}. */
    AuditExport.Contents sealed() {
        return new AuditExport.Contents(contentDir, operator.certificate(), null);
    }

    /** Exports carry the logged contents opened with {@link #operator}'s key. */
    AuditExport.Contents opened() {
        return new AuditExport.Contents(contentDir, operator.certificate(), operator.privateKey());
    }

    AuditExport.Result export(ClientId party) {
        return AuditExport.export(
                log, conf, signKey, SERVER, new AuditExport.Selection(FROM, TO, party), sealed(), Instant.now());
    }

    /** The ZIP entries of a signed export. */
    static Map<String, byte[]> entries(byte[] export) throws Exception {
        return ExportContent.read(
                (byte[]) new CMSSignedData(export).getSignedContent().getContent());
    }

    /**
     * {@code export} with its content replaced by {@code entries} but its signer infos and
     * certificates kept: what someone who edits an export without the server's key can make.
     */
    static byte[] withContent(byte[] export, Map<String, byte[]> entries) throws Exception {
        SignedData signed =
                SignedData.getInstance(ContentInfo.getInstance(export).getContent());
        SignedData forged = new SignedData(
                signed.getDigestAlgorithms(),
                new ContentInfo(CMSObjectIdentifiers.data, new BEROctetString(ExportContent.write(entries))),
                signed.getCertificates(),
                signed.getCRLs(),
                signed.getSignerInfos());
        return new ContentInfo(CMSObjectIdentifiers.signedData, forged).getEncoded(ASN1Encoding.DER);
    }

    /** {@code entries} with the lines of {@code name} replaced. */
    static Map<String, byte[]> withLines(Map<String, byte[]> entries, String name, List<byte[]> lines) {
        Map<String, byte[]> copy = new LinkedHashMap<>(entries);
        copy.put(name, ExportContent.joinLines(lines));
        return copy;
    }

    static List<byte[]> lines(Map<String, byte[]> entries, String name) {
        return new ArrayList<>(ExportContent.lines(entries.get(name)));
    }

    static String text(Map<String, byte[]> entries, String name) {
        return new String(entries.get(name), StandardCharsets.UTF_8);
    }

    static String records(Map<String, byte[]> entries) {
        return text(entries, AuditExportFormat.RECORDS);
    }

    @Override
    public void close() {
        timestamper.close();
        store.close();
        tsa.close();
    }
}
