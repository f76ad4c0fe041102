package vn.truc.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.truc.core.audit.AuditExportFormat;
import vn.truc.core.audit.AuditReport;
import vn.truc.core.audit.AuditVerifier;
import vn.truc.core.crypto.CertificateProfile;
import vn.truc.core.crypto.Digests;
import vn.truc.core.crypto.KeyStores.KeyAndChain;
import vn.truc.core.id.ClientId;
import vn.truc.core.testing.TestPki;
import vn.truc.server.store.LogRecord;
import vn.truc.server.store.MessageLog;

/**
 * Signed audit exports from a real H2 message log timestamped by a real {@code openssl ts} TSA,
 * and the verifier naming the record that was edited, deleted, inserted or reordered, in the
 * database before the export or in the export after it.
 */
class AuditExportIT {
    @TempDir
    java.nio.file.Path dir;

    private AuditFixture fixture;
    private List<Long> ids;

    @BeforeEach
    void logTwelveRecords() throws Exception {
        fixture = new AuditFixture(dir);
        ids = fixture.standardLog();
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void aRecordDeletedAtTheStartOfTheWindowIsNamed() throws Exception {
        long first = ids.get(0);
        fixture.store.database().update("DELETE FROM message_log WHERE id = ?", first);

        AuditReport report = AuditVerifier.verify(fixture.export(null).der(), fixture.trust());

        assertThat(report.ok()).isFalse();
        assertThat(report.firstFailingRecord().orElseThrow().toString())
                .contains("record " + first)
                .contains("missing from the export");
    }

    @Test
    void aBatchTimestampedLongAfterItsRecordsWereLoggedIsRefusedWhenADelayIsGiven() throws Exception {
        // the fixture logs records in January 2025 and timestamps them today: like a rewritten history
        byte[] export = fixture.export(null).der();

        assertThat(AuditVerifier.verify(export, fixture.trust()).ok()).isTrue();
        AuditReport strict = AuditVerifier.verify(export, fixture.trust(), java.time.Duration.ofDays(1));
        assertThat(strict.ok()).isFalse();
        assertThat(strict.firstFailingRecord().orElseThrow().toString())
                .contains("record " + ids.get(0))
                .contains("timestamped only at");
    }

    @Test
    void anUntouchedExportVerifiesWithEveryRecordBatchAndTheWaitingOnes() throws Exception {
        AuditExport.Result result = fixture.export(null);

        AuditReport report = AuditVerifier.verify(result.der(), fixture.trust());

        assertThat(report.problems()).isEmpty();
        assertThat(report.records()).isEqualTo(12);
        assertThat(report.included()).isEqualTo(12);
        assertThat(report.batches()).containsExactly(1L, 2L);
        assertThat(report.untimestamped()).isEqualTo(2);
        assertThat(report.selfVouched()).isFalse();
        assertThat(report.signer()).contains(AuditFixture.SERVER.toString());
        assertThat(report.notes()).anyMatch(n -> n.contains("2 records not yet timestamped"));
        assertThat(result.untimestamped()).isEqualTo(2);
        Map<String, byte[]> entries = AuditFixture.entries(result.der());
        assertThat(entries)
                .containsKeys(
                        "export.json",
                        "records.jsonl",
                        "chain.jsonl",
                        "trust.pem",
                        "batches/1.tsr",
                        "batches/1.json",
                        "batches/2.tsr",
                        "batches/2.json");
        // each line of records.jsonl is exactly the record's hashed bytes
        List<byte[]> lines = AuditFixture.lines(entries, AuditExportFormat.RECORDS);
        List<MessageLog.Chained> stored = fixture.log.chain(ids.get(0), ids.get(11));
        for (int i = 0; i < 12; i++) {
            assertThat(vn.truc.core.crypto.Digests.sha256Hex(lines.get(i)))
                    .isEqualTo(stored.get(i).hash());
        }
    }

    @Test
    void withoutTrustedCertificatesTheReportSaysTheExportVouchedForItself() {
        AuditReport report = AuditVerifier.verify(fixture.export(null).der(), List.of());

        assertThat(report.problems()).isEmpty();
        assertThat(report.selfVouched()).isTrue();
        assertThat(report.notes()).anyMatch(n -> n.contains("the export vouches for itself"));
    }

    @Test
    void aMemberOrSubsystemExportLeavesOtherPartiesContentOutButKeepsTheirPlaceInTheChain() throws Exception {
        AuditExport.Result ministry = fixture.export(ClientId.parseMember("VN/GOV/000.00.00.G01"));
        AuditExport.Result officeHr = fixture.export(ClientId.parseSubsystem("VN/GOV/000.00.00.G22/HR"));
        AuditExport.Result office = fixture.export(ClientId.parseMember("VN/GOV/000.00.00.G22"));
        AuditExport.Result nobody = fixture.export(ClientId.parseSubsystem("VN/GOV/000.00.00.G22/XYZ"));

        assertThat(List.of(ministry.included(), officeHr.included(), office.included(), nobody.included()))
                .containsExactly(6, 6, 12, 0);
        assertThat(List.of(ministry.records(), officeHr.records(), office.records(), nobody.records()))
                .containsOnly(12);
        Map<String, byte[]> entries = AuditFixture.entries(ministry.der());
        assertThat(AuditFixture.records(entries))
                .contains(AuditFixture.MINISTRY_SERVICE.toString())
                .doesNotContain(AuditFixture.PROVINCE.toString());
        assertThat(AuditFixture.text(entries, AuditExportFormat.CHAIN)).contains("\"included\":false");
        assertThat(AuditFixture.text(entries, AuditExportFormat.MANIFEST))
                .contains("\"filter\":{\"member\":\"VN/GOV/000.00.00.G01\"}");
        for (AuditExport.Result result : List.of(ministry, officeHr, office, nobody)) {
            AuditReport report = AuditVerifier.verify(result.der(), fixture.trust());
            assertThat(report.problems()).isEmpty();
            assertThat(report.included()).isEqualTo(result.included());
        }
    }

    // ---- tampering in the database, before the export ----

    @Test
    void aFieldEditedInTheDatabaseIsNamed() {
        long edited = ids.get(3);
        fixture.store.database().update("UPDATE message_log SET body_digest = ? WHERE id = ?", "edited", edited);

        AuditReport report = AuditVerifier.verify(fixture.export(null).der(), fixture.trust());

        assertThat(firstFailure(report))
                .isEqualTo("record " + edited + ": content does not match its hash (changed after it was logged)");
    }

    @Test
    void aRecordDeletedFromTheDatabaseIsNamedAsMissing() {
        long deleted = ids.get(4);
        fixture.store.database().update("DELETE FROM message_log WHERE id = ?", deleted);

        AuditReport report = AuditVerifier.verify(fixture.export(null).der(), fixture.trust());

        assertThat(firstFailure(report))
                .isEqualTo("ids jump from " + (deleted - 1) + " to " + (deleted + 1) + " (record " + deleted
                        + " is missing)");
        assertThat(report.problems().stream().map(AuditReport.Problem::toString))
                .contains("record " + (deleted + 1) + ": prevHash does not match record " + (deleted - 1)
                        + "'s hash (a record was removed, inserted or reordered)");
    }

    @Test
    void aRecordForgedIntoTheDatabaseIsNamed() {
        long at = ids.get(3);
        var db = fixture.store.database();
        // make room after record at-1, then forge a well-chained record there that copies a neighbour's
        // timestamp batch and path to look timestamped
        db.update("UPDATE message_log SET id = id + 1000 WHERE id >= ?", at);
        db.update("UPDATE message_log SET id = id - 999 WHERE id >= ?", at + 1000);
        db.update("UPDATE message_log_stamp SET record_id = record_id + 1000 WHERE record_id >= ?", at);
        db.update("UPDATE message_log_stamp SET record_id = record_id - 999 WHERE record_id >= ?", at + 1000);
        MessageLog.Chained before = fixture.log.chain(at - 1, at - 1).get(0);
        LogRecord forged = new LogRecord(
                at,
                before.record().loggedAt().plusSeconds(1),
                "forged",
                LogRecord.Direction.IN,
                LogRecord.Kind.REQUEST,
                AuditFixture.OFFICE,
                null,
                "Zm9yZ2Vk",
                null,
                null,
                null,
                null);
        String hash = MessageLog.chained(forged, at, before.hash()).hash();
        db.update(
                "INSERT INTO message_log (id, logged_at, message_id, direction, kind, client_id, body_digest,"
                        + " prev_hash, record_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                at,
                vn.truc.core.db.Database.utc(forged.loggedAt()),
                "forged",
                "IN",
                "REQUEST",
                AuditFixture.OFFICE.toString(),
                "Zm9yZ2Vk",
                before.hash(),
                hash);
        db.update(
                "INSERT INTO message_log_stamp (record_id, batch_id, merkle_path) VALUES (?, ?, ?)",
                at,
                before.batchId(),
                before.merklePath());

        AuditReport report = AuditVerifier.verify(fixture.export(null).der(), fixture.trust());

        assertThat(firstFailure(report)).isEqualTo("record " + at + ": not in timestamp batch 1's Merkle root");
    }

    @Test
    void twoRecordsSwappedInTheDatabaseAreNamed() {
        long first = ids.get(7);
        var db = fixture.store.database();
        String columns = "logged_at, message_id, direction, kind, client_id, service_id, body_digest, manifest,"
                + " signature, signer_cert_hash, peer_server_id, prev_hash, record_hash";
        db.update(
                "CREATE TABLE swap AS SELECT id, " + columns + " FROM message_log WHERE id IN (?, ?)",
                first,
                first + 1);
        db.update("UPDATE swap SET id = CASE WHEN id = ? THEN ? ELSE ? END", first, first + 1, first);
        for (String column : columns.split(", ")) {
            db.update(
                    "UPDATE message_log m SET " + column + " = (SELECT s." + column
                            + " FROM swap s WHERE s.id = m.id) WHERE m.id IN (?, ?)",
                    first,
                    first + 1);
        }

        AuditReport report = AuditVerifier.verify(fixture.export(null).der(), fixture.trust());

        assertThat(firstFailure(report))
                .isEqualTo("record " + first + ": content does not match its hash (changed after it was logged)");
    }

    // ---- tampering in the export, after it was signed ----

    @Test
    void aLineChangedInTheExportIsNamedAndBreaksTheSignature() throws Exception {
        byte[] export = fixture.export(null).der();
        Map<String, byte[]> entries = AuditFixture.entries(export);
        List<byte[]> lines = AuditFixture.lines(entries, AuditExportFormat.RECORDS);
        String line = new String(lines.get(5), StandardCharsets.UTF_8);
        lines.set(5, line.replace("\"msg-5\"", "\"msg-X\"").getBytes(StandardCharsets.UTF_8));

        AuditReport report = AuditVerifier.verify(
                AuditFixture.withContent(export, AuditFixture.withLines(entries, AuditExportFormat.RECORDS, lines)),
                fixture.trust());

        assertThat(firstFailure(report))
                .isEqualTo("record " + ids.get(5) + ": content does not match its hash (changed after it was logged)");
        assertThat(signatureProblem(report)).contains("the export was changed after it was signed");
    }

    @Test
    void aLineDeletedFromTheExportIsNamed() throws Exception {
        byte[] export = fixture.export(null).der();
        Map<String, byte[]> entries = AuditFixture.entries(export);
        List<byte[]> lines = AuditFixture.lines(entries, AuditExportFormat.RECORDS);
        lines.remove(2);

        AuditReport report = AuditVerifier.verify(
                AuditFixture.withContent(export, AuditFixture.withLines(entries, AuditExportFormat.RECORDS, lines)),
                fixture.trust());

        assertThat(firstFailure(report))
                .isEqualTo("record " + ids.get(2) + ": content missing from records.jsonl (removed from the export)");
        assertThat(signatureProblem(report)).isNotNull();
    }

    @Test
    void aChainLineDeletedFromTheExportIsNamedAsAGap() throws Exception {
        byte[] export = fixture.export(null).der();
        Map<String, byte[]> entries = AuditFixture.entries(export);
        List<byte[]> records = AuditFixture.lines(entries, AuditExportFormat.RECORDS);
        List<byte[]> chain = AuditFixture.lines(entries, AuditExportFormat.CHAIN);
        records.remove(8);
        chain.remove(8);
        Map<String, byte[]> forged = AuditFixture.withLines(
                AuditFixture.withLines(entries, AuditExportFormat.RECORDS, records), AuditExportFormat.CHAIN, chain);

        AuditReport report = AuditVerifier.verify(AuditFixture.withContent(export, forged), fixture.trust());

        long missing = ids.get(8);
        assertThat(firstFailure(report))
                .isEqualTo("ids jump from " + (missing - 1) + " to " + (missing + 1) + " (record " + missing
                        + " is missing)");
    }

    @Test
    void twoLinesSwappedInTheExportAreNamed() throws Exception {
        byte[] export = fixture.export(null).der();
        Map<String, byte[]> entries = AuditFixture.entries(export);
        List<byte[]> lines = AuditFixture.lines(entries, AuditExportFormat.RECORDS);
        byte[] third = lines.get(3);
        lines.set(3, lines.get(4));
        lines.set(4, third);

        AuditReport report = AuditVerifier.verify(
                AuditFixture.withContent(export, AuditFixture.withLines(entries, AuditExportFormat.RECORDS, lines)),
                fixture.trust());

        assertThat(firstFailure(report))
                .isEqualTo("record " + ids.get(3) + ": out of order in records.jsonl, after record " + ids.get(4)
                        + " (reordered)");
    }

    @Test
    void aRewrittenBatchRootIsNamedWithEveryRecordItCovered() throws Exception {
        byte[] export = fixture.export(null).der();
        Map<String, byte[]> entries = new java.util.LinkedHashMap<>(AuditFixture.entries(export));
        String batch = AuditFixture.text(entries, "batches/1.json");
        String root = batch.replaceAll(".*\"root\":\"([0-9a-f]{64})\".*", "$1");
        String forgedRoot = (root.charAt(0) == '0' ? "1" : "0") + root.substring(1);
        entries.put("batches/1.json", batch.replace(root, forgedRoot).getBytes(StandardCharsets.UTF_8));

        AuditReport report = AuditVerifier.verify(AuditFixture.withContent(export, entries), fixture.trust());

        List<String> problems =
                report.problems().stream().map(AuditReport.Problem::toString).toList();
        assertThat(problems)
                .anyMatch(p -> p.startsWith("batch 1: timestamp token does not verify: ")
                        && p.contains("not the expected " + forgedRoot));
        assertThat(firstFailure(report)).isEqualTo("record " + ids.get(0) + ": not in timestamp batch 1's Merkle root");
        assertThat(problems.stream().filter(p -> p.endsWith("not in timestamp batch 1's Merkle root")))
                .hasSize(6);
        assertThat(signatureProblem(report)).isNotNull();
    }

    @Test
    void anExportReSignedByAnotherKeyIsRefusedAgainstTheAuditorsTrust() throws Exception {
        TestPki other = TestPki.newCa("Someone else's CA");
        KeyAndChain impostor = other.issue(AuditFixture.SERVER.toString(), CertificateProfile.SIGN);
        byte[] export = AuditExport.export(
                        fixture.log,
                        fixture.conf,
                        impostor,
                        AuditFixture.SERVER,
                        new AuditExport.Selection(AuditFixture.FROM, AuditFixture.TO, null),
                        fixture.sealed(),
                        java.time.Instant.now())
                .der();

        AuditReport report = AuditVerifier.verify(export, fixture.trust());

        assertThat(signatureProblem(report)).contains("is not a trusted certificate nor issued by one");
        assertThat(report.firstFailingRecord()).isEmpty();
    }

    @Test
    void garbageIsReportedNotThrown() {
        AuditReport report = AuditVerifier.verify("not an export".getBytes(StandardCharsets.UTF_8), List.of());

        assertThat(report.ok()).isFalse();
        assertThat(report.problems().get(0).toString()).startsWith("export: not a readable signed export");
    }

    @Test
    void aLoggedContentChangedRemovedOrAddedInAnExportIsNamed() throws Exception {
        byte[] body = "{\"so\":\"15/2026/TT-BNV\"}".getBytes(StandardCharsets.UTF_8);
        String hex = Digests.sha256Hex(body);
        new ContentLog(fixture.contentDir, fixture.operator.certificate(), subsystem -> true)
                .keep(hex, () -> new ByteArrayInputStream(body));
        long id = fixture.log.append(new LogRecord(
                0,
                AuditFixture.FROM.plus(java.time.Duration.ofDays(20)),
                "msg-with-content",
                LogRecord.Direction.OUT,
                LogRecord.Kind.REQUEST,
                AuditFixture.OFFICE,
                AuditFixture.MINISTRY_SERVICE,
                Base64.getEncoder().encodeToString(Digests.sha256(body)),
                "{}",
                new byte[] {1},
                "ab".repeat(32),
                null,
                true));
        byte[] export = AuditExport.export(
                        fixture.log,
                        fixture.conf,
                        fixture.signKey,
                        AuditFixture.SERVER,
                        new AuditExport.Selection(AuditFixture.FROM, AuditFixture.TO, null),
                        fixture.opened(),
                        java.time.Instant.now())
                .der();
        Map<String, byte[]> entries = AuditFixture.entries(export);
        String name = AuditExportFormat.contentEntry(hex);
        assertThat(entries.get(name)).isEqualTo(body);
        assertThat(AuditVerifier.verify(export, fixture.trust()).problems()).isEmpty();

        Map<String, byte[]> changed = new java.util.LinkedHashMap<>(entries);
        changed.put(name, "{\"so\":\"16/2026/TT-BNV\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(firstFailure(AuditVerifier.verify(AuditFixture.withContent(export, changed), fixture.trust())))
                .isEqualTo("record " + id + ": its logged content (" + name
                        + ") does not match the digest the record commits to (changed)");

        Map<String, byte[]> removed = new java.util.LinkedHashMap<>(entries);
        removed.remove(name);
        assertThat(firstFailure(AuditVerifier.verify(AuditFixture.withContent(export, removed), fixture.trust())))
                .isEqualTo("record " + id + ": its content was logged but is not in the export (" + name + ")");

        Map<String, byte[]> added = new java.util.LinkedHashMap<>(entries);
        byte[] extra = "planted".getBytes(StandardCharsets.UTF_8);
        added.put(AuditExportFormat.contentEntry(Digests.sha256Hex(extra)), extra);
        assertThat(AuditVerifier.verify(AuditFixture.withContent(export, added), fixture.trust())
                        .problems())
                .extracting(AuditReport.Problem::toString)
                .contains(AuditExportFormat.contentEntry(Digests.sha256Hex(extra))
                        + ": no record of the export names this content (added)");
    }

    private static String firstFailure(AuditReport report) {
        return report.firstFailingRecord()
                .map(AuditReport.Problem::toString)
                .orElseThrow(() -> new AssertionError("no record failed: " + report.problems()));
    }

    private static String signatureProblem(AuditReport report) {
        return report.problems().stream()
                .filter(p -> "export signature".equals(p.subject()))
                .map(AuditReport.Problem::toString)
                .findFirst()
                .orElse(null);
    }
}
