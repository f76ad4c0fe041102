package vn.truc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.truc.core.db.Database;
import vn.truc.core.globalconf.Anchor;
import vn.truc.core.globalconf.GlobalConf;
import vn.truc.core.id.ClientId;
import vn.truc.core.id.ServiceId;
import vn.truc.core.net.FreePorts;
import vn.truc.core.testing.Processes;
import vn.truc.registry.CentralRegistry;
import vn.truc.registry.RegistryConfig;
import vn.truc.server.ServerConfig;
import vn.truc.server.audit.ContentLog;
import vn.truc.server.audit.Timestamper;
import vn.truc.server.globalconf.GlobalConfClient;
import vn.truc.server.store.LogRecord;
import vn.truc.server.store.MessageLog;
import vn.truc.server.store.ServerDatabases;

/**
 * {@code truc audit export} and {@code truc audit verify} on a registered server's directory whose
 * log was timestamped by the registry's own TSA: a clean export verifies, with and without
 * {@code --trust}; one edited in the database names the record.
 */
class AuditCommandsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OFFICE = "VN/GOV/000.00.00.G22";

    @TempDir
    Path dir;

    @Test
    void exportsAndVerifiesTheLogOfARegisteredServer() throws Exception {
        String reg = dir.resolve("reg").toString();
        String ss = dir.resolve("ss1").toString();
        Instant from = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
        try (CentralRegistry registry = setUp(reg, ss)) {
            logAndTimestamp(Path.of(ss));
        }
        Path caPem = RegistryConfig.load(Path.of(reg)).caCertificateFile();
        Path export = dir.resolve("audit.p7m");
        String to = Instant.now().plusSeconds(60).toString();

        Cli.Run exported = Cli.run(
                "audit",
                "export",
                "--dir",
                ss,
                "--from",
                from.toString(),
                "--to",
                to,
                "--out",
                export.toString(),
                "--pin",
                "1234",
                "--json");
        Cli.Run selfVouched = Cli.run("audit", "verify", export.toString());
        Cli.Run trusted = Cli.run("audit", "verify", export.toString(), "--trust", caPem.toString(), "--json");
        // the same file twice is not one chain: the second does not continue the first
        Cli.Run twice = Cli.run("audit", "verify", export.toString(), export.toString(), "--trust", caPem.toString());
        assertThat(twice.exitCode()).as(twice.out()).isEqualTo(ExitCodes.CHECK_FAILED);
        assertThat(twice.out()).contains("continuity: FAILED").contains("begins at record 1, but");

        assertThat(exported.exitCode()).as(exported.err()).isZero();
        JsonNode summary = JSON.readTree(exported.out());
        assertThat(summary.get("records").asInt()).isEqualTo(6);
        assertThat(summary.get("untimestamped").asInt()).isEqualTo(1);
        assertThat(selfVouched.exitCode())
                .as(selfVouched.out() + selfVouched.err())
                .isZero();
        assertThat(selfVouched.out())
                .contains("records:    6 in the chain (ids 1..6), 6 included")
                .contains("the export vouches for itself")
                .contains("result:     OK");
        assertThat(trusted.exitCode()).as(trusted.out()).isZero();
        JsonNode report = JSON.readTree(trusted.out());
        assertThat(report.get("ok").asBoolean()).isTrue();
        assertThat(report.get("selfVouched").asBoolean()).isFalse();
        assertThat(report.get("batches")).hasSize(1);

        // an edit behind the log's back, then a fresh export
        try (Database db = ServerDatabases.open(
                ServerConfig.load(Path.of(ss)).databaseUrl(),
                ServerDatabases.DEFAULT_USER,
                ServerDatabases.DEFAULT_PASSWORD)) {
            db.update("UPDATE message_log SET message_id = 'rewritten' WHERE id = 3");
        }
        Path tampered = dir.resolve("tampered.p7m");
        assertThat(Cli.run(
                                "audit",
                                "export",
                                "--dir",
                                ss,
                                "--from",
                                from.toString(),
                                "--to",
                                to,
                                "--out",
                                tampered.toString(),
                                "--pin",
                                "1234")
                        .exitCode())
                .isZero();
        Cli.Run failed = Cli.run("audit", "verify", tampered.toString(), "--trust", caPem.toString());
        Cli.Run failedJson = Cli.run("audit", "verify", tampered.toString(), "--json");

        assertThat(failed.exitCode()).isEqualTo(ExitCodes.CHECK_FAILED);
        assertThat(failed.out())
                .contains(
                        "first failing record: record 3: content does not match its hash (changed after it was logged)");
        assertThat(JSON.readTree(failedJson.out()).get("firstFailingRecord").asLong())
                .isEqualTo(3);
        assertThat(failedJson.exitCode()).isEqualTo(ExitCodes.CHECK_FAILED);
    }

    @Test
    void aSubsystemLogsContentForTheOperatorsKeyAndExportsCarryItSealedOrOpened() throws Exception {
        String reg = dir.resolve("reg").toString();
        Path ss = dir.resolve("ss1");
        String dms = OFFICE + "/DMS";
        Instant from = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
        try (CentralRegistry registry = setUp(reg, ss.toString())) {
            Cli.Run refused = Cli.run("server", "client", "log-content", "--dir", ss.toString(), dms, "full");
            assertThat(refused.exitCode()).isEqualTo(ExitCodes.CONFIG);
            assertThat(refused.err()).contains("set audit.content-certificate");

            // the operator makes the key with openssl and gives the server only the certificate
            Path key = dir.resolve("operator-key.pem");
            Path cert = ss.resolve("log-content.pem");
            assertThat(Processes.run(List.of(
                                    "openssl",
                                    "req",
                                    "-x509",
                                    "-newkey",
                                    "rsa:2048",
                                    "-nodes",
                                    "-subj",
                                    "/CN=Log content operator",
                                    "-days",
                                    "30",
                                    "-keyout",
                                    key.toString(),
                                    "-out",
                                    cert.toString()))
                            .exitCode())
                    .isZero();
            Files.writeString(
                    ss.resolve(ServerConfig.FILE),
                    "audit.content-certificate = log-content.pem\n",
                    java.nio.file.StandardOpenOption.APPEND);
            assertOk(Cli.run("server", "client", "log-content", "--dir", ss.toString(), dms, "full"));
            JsonNode clients = JSON.readTree(Cli.run("server", "client", "list", "--dir", ss.toString(), "--json")
                    .out());
            assertThat(clients.get(0).get("logContent").asText()).isEqualTo("full");

            byte[] body = "{\"so\":\"99/2026/NĐ-CP\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            logAndTimestamp(ss);
            logWithContent(ss, body);
            String to = Instant.now().plusSeconds(60).toString();
            Path sealed = dir.resolve("sealed.p7m");
            Path opened = dir.resolve("opened.p7m");
            Cli.Run exportSealed = Cli.run(
                    "audit",
                    "export",
                    "--dir",
                    ss.toString(),
                    "--from",
                    from.toString(),
                    "--to",
                    to,
                    "--out",
                    sealed.toString(),
                    "--pin",
                    "1234",
                    "--json");
            Cli.Run exportOpened = Cli.run(
                    "audit",
                    "export",
                    "--dir",
                    ss.toString(),
                    "--from",
                    from.toString(),
                    "--to",
                    to,
                    "--out",
                    opened.toString(),
                    "--pin",
                    "1234",
                    "--content-key",
                    key.toString());
            assertOk(exportSealed);
            assertOk(exportOpened);
            assertThat(JSON.readTree(exportSealed.out()).get("contents").asInt())
                    .isEqualTo(1);
            assertThat(exportOpened.out()).contains("1 opened logged contents");

            Cli.Run unopened = Cli.run("audit", "verify", sealed.toString());
            Cli.Run withKey = Cli.run("audit", "verify", sealed.toString(), "--content-key", key.toString());
            Cli.Run clear = Cli.run("audit", "verify", opened.toString());
            assertOk(unopened);
            assertThat(unopened.out()).contains("sealed for the operator's content key, not checked");
            assertOk(withKey);
            assertThat(withKey.out()).contains("1 logged content(s) checked");
            assertOk(clear);
            assertThat(clear.out()).contains("1 logged content(s) checked");

            // the operator can read a kept content with openssl alone
            Path kept = ss.resolve("log-content").resolve(vn.truc.core.crypto.Digests.sha256Hex(body) + ".cms");
            Path plain = dir.resolve("plain.json");
            var decrypted = Processes.run(List.of(
                    "openssl",
                    "cms",
                    "-decrypt",
                    "-inform",
                    "DER",
                    "-in",
                    kept.toString(),
                    "-inkey",
                    key.toString(),
                    "-recip",
                    cert.toString(),
                    "-out",
                    plain.toString()));
            assertThat(decrypted.exitCode()).as(decrypted.output()).isZero();
            assertThat(Files.readAllBytes(plain)).isEqualTo(body);
        }
    }

    @Test
    void refusesABadInstantAndAMissingFile() {
        Cli.Run badInstant = Cli.run(
                "audit",
                "export",
                "--dir",
                dir.toString(),
                "--from",
                "yesterday",
                "--to",
                "2025-01-01T00:00:00Z",
                "--out",
                dir.resolve("x").toString(),
                "--pin",
                "1234");
        Cli.Run bothParties = Cli.run(
                "audit",
                "export",
                "--from",
                "2025-01-01T00:00:00Z",
                "--to",
                "2025-02-01T00:00:00Z",
                "--out",
                "x",
                "--member",
                OFFICE,
                "--subsystem",
                OFFICE + "/DMS");
        Cli.Run missing = Cli.run("audit", "verify", dir.resolve("none.p7m").toString());

        assertThat(badInstant.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(badInstant.err()).contains("--from: 'yesterday'");
        assertThat(bothParties.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    }

    /** A registry with its own CA and TSA, and a registered server holding its global configuration. */
    private CentralRegistry setUp(String reg, String ss) throws Exception {
        assertOk(
                Cli.run("registry", "init", "--dir", reg, "--port", String.valueOf(FreePorts.next()), "--pin", "1234"));
        String token = JSON.readTree(Cli.run(
                                "registry",
                                "member",
                                "add",
                                "--dir",
                                reg,
                                OFFICE,
                                "--name",
                                "Văn phòng Chính phủ",
                                "--subsystem",
                                "DMS",
                                "--json")
                        .out())
                .get("enrolmentToken")
                .asText();
        CentralRegistry registry = CentralRegistry.start(RegistryConfig.load(Path.of(reg)), "1234".toCharArray());
        assertOk(Cli.run(
                "server",
                "init",
                "--dir",
                ss,
                "--anchor",
                reg + "/anchor.xml",
                "--id",
                OFFICE + "/ss1",
                "--address",
                "127.0.0.1:" + FreePorts.next(),
                "--token",
                token,
                "--pin",
                "1234"));
        String request = JSON.readTree(Cli.run("registry", "server", "list", "--dir", reg, "--pending", "--json")
                        .out())
                .get(0)
                .get("id")
                .asText();
        assertOk(Cli.run("registry", "server", "approve", "--dir", reg, request));
        return registry;
    }

    /** Six records as the server would log them; the first five timestamped by the registry's TSA. */
    private static void logAndTimestamp(Path ss) throws Exception {
        ServerConfig config = ServerConfig.load(ss);
        Anchor anchor = Anchor.fromXml(Files.readAllBytes(config.files().anchorFile()));
        HttpClient http = HttpClient.newHttpClient();
        GlobalConf conf =
                new GlobalConfClient(anchor, config.files().globalConfDir(), Clock.systemUTC(), http).refresh();
        try (Database db = ServerDatabases.open(
                        config.databaseUrl(), ServerDatabases.DEFAULT_USER, ServerDatabases.DEFAULT_PASSWORD);
                Timestamper timestamper = new Timestamper(
                        db,
                        () -> conf,
                        http,
                        new Timestamper.Settings(
                                Duration.ofMinutes(1), Duration.ofMinutes(5), null, Duration.ofSeconds(10)),
                        Clock.systemUTC())) {
            MessageLog log = new MessageLog(db);
            for (int i = 0; i < 6; i++) {
                if (i == 5) {
                    assertThat(timestamper.timestampBatch()).isEqualTo(5);
                }
                log.append(new LogRecord(
                        0,
                        Instant.now(),
                        "msg-" + i,
                        LogRecord.Direction.OUT,
                        LogRecord.Kind.REQUEST,
                        ClientId.parse(OFFICE + "/DMS"),
                        ServiceId.parse("VN/GOV/000.00.00.G01/DMS/documents/v1"),
                        "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
                        null,
                        null,
                        null,
                        null));
            }
        }
    }

    /** One request of the office's DMS whose body is kept as the server keeps a logged content. */
    private static void logWithContent(Path ss, byte[] body) {
        ServerConfig config = ServerConfig.load(ss);
        String hex = vn.truc.core.crypto.Digests.sha256Hex(body);
        ContentLog.of(config.audit(), subsystem -> true).keep(hex, () -> new java.io.ByteArrayInputStream(body));
        try (Database db = ServerDatabases.open(
                config.databaseUrl(), ServerDatabases.DEFAULT_USER, ServerDatabases.DEFAULT_PASSWORD)) {
            new MessageLog(db)
                    .append(new LogRecord(
                            0,
                            Instant.now(),
                            "msg-content",
                            LogRecord.Direction.OUT,
                            LogRecord.Kind.REQUEST,
                            ClientId.parse(OFFICE + "/DMS"),
                            ServiceId.parse("VN/GOV/000.00.00.G01/DMS/documents/v1"),
                            java.util.Base64.getEncoder().encodeToString(vn.truc.core.crypto.Digests.sha256(body)),
                            null,
                            null,
                            null,
                            null,
                            true));
        }
    }

    private static void assertOk(Cli.Run run) {
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    }
}
