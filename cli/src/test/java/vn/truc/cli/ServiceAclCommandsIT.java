package vn.truc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import vn.truc.core.crypto.CertificateProfile;
import vn.truc.core.crypto.Certificates;
import vn.truc.core.crypto.KeyAlgorithm;
import vn.truc.core.crypto.KeyPairs;
import vn.truc.core.globalconf.GlobalConf;
import vn.truc.core.id.ClientId;
import vn.truc.core.id.ServiceId;
import vn.truc.server.store.ConnectionType;
import vn.truc.server.store.ServerStore;

/** {@code truc server service}, {@code acl} and {@code client} on a real server database. */
class ServiceAclCommandsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GET_DOCUMENT = "VN/GOV/000.00.00.H41/DMS/getDocument/v1";
    private static final String G22_DMS = "VN/GOV/000.00.00.G22/DMS";

    @TempDir
    Path tmp;

    private String ss;

    @BeforeEach
    void createServerDirectory() throws Exception {
        Path dir = tmp.resolve("ss1");
        Files.createDirectories(dir);
        Files.writeString(
                dir.resolve("server.properties"),
                "server.id = VN/GOV/000.00.00.H41/ss1\nserver.address = 127.0.0.1:5500\n");
        ss = dir.toString();
    }

    @Test
    void addsListsDisablesAndEnablesServices() throws Exception {
        assertOk(Cli.run(
                "server",
                "service",
                "add",
                "--dir",
                ss,
                GET_DOCUMENT,
                "--url",
                "http://127.0.0.1:9000/docs",
                "--protocol",
                "rest"));
        assertOk(Cli.run(
                "server",
                "service",
                "add",
                "--dir",
                ss,
                "VN/GOV/000.00.00.H41/DMS/sendDocument",
                "--url",
                "https://dms.h41.gov.vn/soap",
                "--protocol",
                "SOAP"));

        JsonNode listed = json(Cli.run("server", "service", "list", "--dir", ss, "--json"));
        assertThat(listed).hasSize(2);
        assertThat(listed.get(0).get("id").asText()).isEqualTo(GET_DOCUMENT);
        assertThat(listed.get(0).get("backend").asText()).isEqualTo("http://127.0.0.1:9000/docs");
        assertThat(listed.get(0).get("protocol").asText()).isEqualTo("REST");
        assertThat(listed.get(1).get("protocol").asText()).isEqualTo("SOAP");
        assertThat(listed.get(0).get("enabled").asBoolean()).isTrue();

        assertOk(Cli.run("server", "service", "disable", "--dir", ss, GET_DOCUMENT));
        Cli.Run text = Cli.run("server", "service", "list", "--dir", ss);
        assertOk(text);
        assertThat(text.out()).contains(GET_DOCUMENT + "  REST  DISABLED  http://127.0.0.1:9000/docs");

        assertOk(Cli.run("server", "service", "enable", "--dir", ss, GET_DOCUMENT));
        assertThat(json(Cli.run("server", "service", "list", "--dir", ss, "--json"))
                        .get(0)
                        .get("enabled")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void grantsListsAndRevokesAccess() throws Exception {
        assertOk(Cli.run("server", "service", "add", "--dir", ss, GET_DOCUMENT, "--url", "http://127.0.0.1:9000/"));
        assertOk(Cli.run("server", "acl", "grant", "--dir", ss, GET_DOCUMENT, G22_DMS));
        assertOk(Cli.run("server", "acl", "grant", "--dir", ss, GET_DOCUMENT, "global:VN/provinces"));

        JsonNode rules = json(Cli.run("server", "acl", "list", "--dir", ss, GET_DOCUMENT, "--json"));
        assertThat(rules).hasSize(2);
        assertThat(rules.get(0).get("service").asText()).isEqualTo(GET_DOCUMENT);
        assertThat(rules.get(0).get("subject").asText()).isEqualTo(G22_DMS);
        assertThat(rules.get(1).get("subject").asText()).isEqualTo("global:VN/provinces");
        assertThat(rules.get(0).get("grantedAt").asText()).isNotEmpty();
        Cli.Run all = Cli.run("server", "acl", "list", "--dir", ss);
        assertOk(all);
        assertThat(all.out()).contains(GET_DOCUMENT + "  " + G22_DMS + "  since ");

        assertOk(Cli.run("server", "acl", "revoke", "--dir", ss, GET_DOCUMENT, "global:VN/provinces"));
        assertThat(json(Cli.run("server", "acl", "list", "--dir", ss, "--json")))
                .hasSize(1);

        assertThat(Path.of(ss, "db", "server.mv.db")).as("the default database").exists();
        Instant now = Instant.now();
        GlobalConf conf = new GlobalConf(
                "VN", 1, now, now.plusSeconds(60), List.of(), List.of(), List.of(), List.of(), List.of());
        try (ServerStore store = ServerStore.open(Path.of(ss))) {
            assertThat(store.accessRules().isAllowed(ClientId.parse(G22_DMS), ServiceId.parse(GET_DOCUMENT), conf))
                    .as("the server reads what the commands wrote")
                    .isTrue();
        }
    }

    @Test
    void exitCodesSayWhatWentWrong() {
        assertOk(Cli.run("server", "service", "add", "--dir", ss, GET_DOCUMENT, "--url", "http://127.0.0.1:9000/"));

        Cli.Run again = Cli.run("server", "service", "add", "--dir", ss, GET_DOCUMENT, "--url", "http://x/");
        Cli.Run badUrl =
                Cli.run("server", "service", "add", "--dir", ss, "VN/GOV/000.00.00.H41/DMS/other", "--url", "ftp://x/");
        Cli.Run badProtocol = Cli.run(
                "server",
                "service",
                "add",
                "--dir",
                ss,
                "VN/GOV/000.00.00.H41/DMS/other",
                "--url",
                "http://x/",
                "--protocol",
                "grpc");
        Cli.Run badId = Cli.run("server", "service", "disable", "--dir", ss, "VN/GOV/000.00.00.H41");
        Cli.Run unknown = Cli.run("server", "service", "disable", "--dir", ss, "VN/GOV/000.00.00.H41/DMS/other");
        Cli.Run badSubject = Cli.run("server", "acl", "grant", "--dir", ss, GET_DOCUMENT, "VN/GOV/000.00.00.G22");
        Cli.Run notGranted = Cli.run("server", "acl", "revoke", "--dir", ss, GET_DOCUMENT, G22_DMS);
        Cli.Run noService = Cli.run("server", "acl", "grant", "--dir", ss, GET_DOCUMENT + "x", G22_DMS);
        Cli.Run notAServer = Cli.run(
                "server", "service", "list", "--dir", tmp.resolve("nothing").toString());
        Cli.Run usage = Cli.run("server", "acl", "grant", "--dir", ss, GET_DOCUMENT);

        assertThat(again.exitCode()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(again.err()).contains("already_exists");
        assertThat(badUrl.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(badUrl.err()).contains("backend URL: 'ftp://x/'");
        assertThat(badProtocol.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(badProtocol.err()).contains("protocol: 'grpc' (expected: rest or soap)");
        assertThat(badId.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(unknown.err()).contains("no service VN/GOV/000.00.00.H41/DMS/other");
        assertThat(badSubject.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(badSubject.err()).contains("access subject: 'VN/GOV/000.00.00.G22'");
        assertThat(notGranted.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(noService.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(notAServer.exitCode()).isEqualTo(ExitCodes.CONFIG);
        assertThat(Files.exists(tmp.resolve("nothing")))
                .as("no database created outside a server")
                .isFalse();
        assertThat(usage.exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void setsConnectionTypesAndRegistersClientCertificates() throws Exception {
        KeyPair pair = KeyPairs.generate(KeyAlgorithm.RSA);
        X509Certificate cert = Certificates.selfSigned(
                pair, new X500Name("CN=dms.g22.gov.vn"), Duration.ofDays(30), CertificateProfile.AUTH);
        Path pem = Files.writeString(tmp.resolve("dms.pem"), Certificates.toPem(cert));
        String hash = Certificates.sha256Hex(cert);

        assertOk(Cli.run("server", "client", "set", "--dir", ss, G22_DMS, "--connection-type", "HTTPS"));
        Cli.Run added = Cli.run("server", "client", "cert-add", "--dir", ss, G22_DMS, "--cert", pem.toString());
        assertOk(added);
        assertThat(added.out()).contains("registered certificate sha256 " + hash + " for " + G22_DMS);
        assertOk(Cli.run(
                "server",
                "client",
                "set",
                "--dir",
                ss,
                "VN/GOV/000.00.00.G22/ARCHIVE",
                "--connection-type",
                "https_no_auth"));

        JsonNode clients = json(Cli.run("server", "client", "list", "--dir", ss, "--json"));
        assertThat(clients).hasSize(2);
        assertThat(clients.get(0).get("id").asText()).isEqualTo("VN/GOV/000.00.00.G22/ARCHIVE");
        assertThat(clients.get(0).get("connectionType").asText()).isEqualTo("HTTPS_NO_AUTH");
        assertThat(clients.get(1).get("id").asText()).isEqualTo(G22_DMS);
        assertThat(clients.get(1).get("connectionType").asText()).isEqualTo("HTTPS");
        assertThat(clients.get(1).get("certificates").get(0).asText()).isEqualTo(hash);
        Cli.Run text = Cli.run("server", "client", "list", "--dir", ss);
        assertOk(text);
        assertThat(text.out()).contains(G22_DMS + "  HTTPS  1 certificate(s)", "sha256 " + hash);

        Cli.Run again = Cli.run("server", "client", "cert-add", "--dir", ss, G22_DMS, "--cert", pem.toString());
        Cli.Run badType = Cli.run("server", "client", "set", "--dir", ss, G22_DMS, "--connection-type", "TLS");
        Cli.Run member =
                Cli.run("server", "client", "set", "--dir", ss, "VN/GOV/000.00.00.G22", "--connection-type", "HTTPS");
        Cli.Run notPem =
                Cli.run("server", "client", "cert-add", "--dir", ss, G22_DMS, "--cert", ss + "/server.properties");
        assertThat(again.exitCode()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(badType.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(badType.err()).contains("connection type: 'TLS' (expected: HTTP, HTTPS_NO_AUTH or HTTPS)");
        assertThat(member.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(notPem.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);

        try (ServerStore store = ServerStore.open(Path.of(ss))) {
            assertThat(store.clients().connectionType(ClientId.parse(G22_DMS)))
                    .as("the server reads what the commands wrote")
                    .isEqualTo(ConnectionType.HTTPS);
            assertThat(store.clients().connectionType(ClientId.parse("VN/GOV/000.00.00.G22/OTHER")))
                    .isEqualTo(ConnectionType.HTTP);
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "server service",
                "server service add",
                "server service list",
                "server service disable",
                "server service enable",
                "server acl",
                "server acl grant",
                "server acl revoke",
                "server acl list",
                "server client",
                "server client set",
                "server client cert-add",
                "server client list"
            })
    void everyCommandHasHelp(String command) {
        Cli.Run run = Cli.run((command + " --help").split(" "));
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Usage: truc " + command);
    }

    private static JsonNode json(Cli.Run run) throws Exception {
        assertOk(run);
        return JSON.readTree(run.out());
    }

    private static void assertOk(Cli.Run run) {
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    }
}
