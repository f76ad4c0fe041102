package vn.truc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import vn.truc.core.net.FreePorts;
import vn.truc.registry.CentralRegistry;
import vn.truc.registry.RegistryConfig;

/** The administrator's commands against a real registry, with their output and exit codes. */
class AdminCommandsIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void registersAServerFromTheCommandLine() throws Exception {
        String reg = dir.resolve("reg").toString();
        assertOk(
                Cli.run("registry", "init", "--dir", reg, "--port", String.valueOf(FreePorts.next()), "--pin", "1234"));
        JsonNode added = json(Cli.run(
                "registry",
                "member",
                "add",
                "--dir",
                reg,
                "VN/GOV/000.00.00.G22",
                "--name",
                "Văn phòng Chính phủ",
                "--subsystem",
                "DMS",
                "--json"));
        String token = added.get("enrolmentToken").asText();
        assertThat(token).hasSize(32);
        assertThat(json(Cli.run("registry", "member", "list", "--dir", reg, "--json"))
                        .get(0)
                        .get("subsystems")
                        .get(0)
                        .asText())
                .isEqualTo("DMS");

        try (CentralRegistry running = CentralRegistry.start(RegistryConfig.load(Path.of(reg)), "1234".toCharArray())) {
            String ss = dir.resolve("ss1").toString();
            JsonNode init = json(Cli.run(
                    "server",
                    "init",
                    "--dir",
                    ss,
                    "--anchor",
                    reg + "/anchor.xml",
                    "--id",
                    "VN/GOV/000.00.00.G22/ss1",
                    "--address",
                    "127.0.0.1:" + FreePorts.next(),
                    "--token",
                    token,
                    "--pin",
                    "1234",
                    "--json"));
            assertThat(init.get("state").asText()).isEqualTo("PENDING");
            JsonNode pending = json(Cli.run("registry", "server", "list", "--dir", reg, "--pending", "--json"));
            assertThat(pending).hasSize(1);

            assertOk(Cli.run(
                    "registry",
                    "server",
                    "approve",
                    "--dir",
                    reg,
                    pending.get(0).get("id").asText()));

            assertThat(json(Cli.run("registry", "server", "list", "--dir", reg, "--pending", "--json")))
                    .isEmpty();
            Cli.Run status = Cli.run("server", "status", "--dir", ss, "--json");
            assertThat(status.exitCode())
                    .as("not started, so no configuration yet")
                    .isEqualTo(ExitCodes.CHECK_FAILED);
            assertThat(JSON.readTree(status.out())
                            .get("registration")
                            .get("state")
                            .asText())
                    .isEqualTo("APPROVED");
        }
    }

    @Test
    void namesTheSubsystemThatReceivesAMembersDocumentsAndClearsIt() throws Exception {
        String reg = dir.resolve("reg").toString();
        assertOk(Cli.run("registry", "init", "--dir", reg, "--port", "4999", "--pin", "1234"));
        JsonNode added = json(Cli.run(
                "registry",
                "member",
                "add",
                "--dir",
                reg,
                "VN/GOV/000.00.00.G22",
                "--name",
                "Văn phòng Chính phủ",
                "--subsystem",
                "DMS",
                "--subsystem",
                "HR",
                "--documents",
                "DMS",
                "--json"));
        JsonNode listed = json(Cli.run("registry", "member", "list", "--dir", reg, "--json"));

        Cli.Run moved =
                Cli.run("registry", "member", "documents", "--dir", reg, "VN/GOV/000.00.00.G22", "--subsystem", "HR");
        Cli.Run text = Cli.run("registry", "member", "list", "--dir", reg);
        Cli.Run cleared = Cli.run("registry", "member", "documents", "--dir", reg, "VN/GOV/000.00.00.G22", "--none");
        JsonNode after = json(Cli.run("registry", "member", "list", "--dir", reg, "--json"));

        assertThat(added.get("documents").asText()).isEqualTo("DMS");
        assertThat(listed.get(0).get("documents").asText()).isEqualTo("DMS");
        assertThat(listed.get(0).get("encryptionCertificates").asInt())
                .as("no approved server yet")
                .isZero();
        assertOk(moved);
        assertThat(moved.out()).isEqualTo("documents for VN/GOV/000.00.00.G22 go to subsystem HR\n");
        assertThat(text.out()).contains("subsystems: DMS, HR  documents: HR");
        assertOk(cleared);
        assertThat(cleared.out()).isEqualTo("VN/GOV/000.00.00.G22 receives no documents\n");
        assertThat(after.get(0).get("documents").isNull()).isTrue();
    }

    @Test
    void documentSubsystemErrorsAreOneLineWithTheirExitCode() throws Exception {
        String reg = dir.resolve("reg").toString();
        assertOk(Cli.run("registry", "init", "--dir", reg, "--port", "4999", "--pin", "1234"));
        Cli.Run notAmongSubsystems = Cli.run(
                "registry",
                "member",
                "add",
                "--dir",
                reg,
                "VN/GOV/000.00.00.G22",
                "--name",
                "x",
                "--subsystem",
                "DMS",
                "--documents",
                "HR");
        JsonNode members = json(Cli.run("registry", "member", "list", "--dir", reg, "--json"));
        assertOk(Cli.run(
                "registry",
                "member",
                "add",
                "--dir",
                reg,
                "VN/GOV/000.00.00.G22",
                "--name",
                "x",
                "--subsystem",
                "DMS"));
        Cli.Run unknownSubsystem =
                Cli.run("registry", "member", "documents", "--dir", reg, "VN/GOV/000.00.00.G22", "--subsystem", "HR");
        Cli.Run unknownMember =
                Cli.run("registry", "member", "documents", "--dir", reg, "VN/GOV/000.00.00.H41", "--subsystem", "DMS");
        Cli.Run both = Cli.run(
                "registry",
                "member",
                "documents",
                "--dir",
                reg,
                "VN/GOV/000.00.00.G22",
                "--subsystem",
                "DMS",
                "--none");
        Cli.Run neither = Cli.run("registry", "member", "documents", "--dir", reg, "VN/GOV/000.00.00.G22");

        assertThat(notAmongSubsystems.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(notAmongSubsystems.err())
                .startsWith(
                        "truc: cli/invalid_request: --documents: 'HR' (expected: one of the --subsystem codes: DMS)")
                .hasLineCount(1);
        assertThat(members).as("nothing was added").isEmpty();
        assertThat(unknownSubsystem.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(unknownSubsystem.err())
                .contains("member VN/GOV/000.00.00.G22 has no subsystem HR")
                .hasLineCount(1);
        assertThat(unknownMember.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(unknownMember.err())
                .contains("no member VN/GOV/000.00.00.H41")
                .hasLineCount(1);
        assertThat(both.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(neither.exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void exitCodesSayWhatKindOfFailureItWas() {
        String reg = dir.resolve("reg").toString();
        assertOk(Cli.run("registry", "init", "--dir", reg, "--port", "4999", "--pin", "1234"));

        Cli.Run badId = Cli.run("registry", "member", "add", "--dir", reg, "VN/GOV/not a code", "--name", "x");
        Cli.Run unknown = Cli.run("registry", "server", "approve", "--dir", reg, "42");
        Cli.Run again = Cli.run("registry", "init", "--dir", reg, "--pin", "1234");
        Cli.Run usage = Cli.run("registry", "member", "add", "--dir", reg);
        Cli.Run badConfig =
                Cli.run("server", "status", "--dir", dir.resolve("nothing").toString());

        assertThat(badId.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(badId.err()).contains("invalid_identifier").contains("member code: 'not a code'");
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(unknown.err()).contains("no registration request 42");
        assertThat(again.exitCode()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(usage.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badConfig.exitCode()).isEqualTo(ExitCodes.CONFIG);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "registry",
                "registry init",
                "registry start",
                "registry member add",
                "registry member list",
                "registry member documents",
                "registry server list",
                "registry server approve",
                "registry server reject",
                "server",
                "server init",
                "server start",
                "server status",
                "demo"
            })
    void everyCommandHasHelp(String command) {
        String[] args = (command + " --help").trim().split(" ");
        Cli.Run run = Cli.run(args);
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Usage: truc");
    }

    private static JsonNode json(Cli.Run run) throws Exception {
        assertOk(run);
        return JSON.readTree(run.out());
    }

    private static void assertOk(Cli.Run run) {
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    }
}
