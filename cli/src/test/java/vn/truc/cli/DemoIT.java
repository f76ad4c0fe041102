package vn.truc.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.truc.core.testing.Processes;

/** The scripted demo, as a new user runs it, and the independent check of what it downloaded. */
class DemoIT {
    @Test
    void demoOncePassesEveryStepAndItsConfigurationVerifiesWithXmlsec1(@TempDir Path dir) throws Exception {
        Cli.Run run =
                Cli.run("demo", "--once", "--json", "--dir", dir.resolve("demo").toString());

        JsonNode result = new ObjectMapper().readTree(run.out());
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(result.get("steps")).isNotEmpty().allSatisfy(step -> assertThat(
                        step.get("ok").asBoolean())
                .as(step.toString())
                .isTrue());
        assertThat(result.get("steps"))
                .extracting(s -> s.get("name").asText())
                .contains(
                        "registration_pending",
                        "registration_approved",
                        "registration_rejection_reported",
                        "globalconf_valid",
                        "document_sent",
                        "document_fetched",
                        "status_seen_by_sender",
                        "audit_exported",
                        "audit_verified");
        // what an auditor is handed checks out with the command line, trusting only the bundle
        Path export = Path.of(result.get("auditExport").asText());
        Path trust = Path.of(result.get("auditTrust").asText());
        Cli.Run verified = Cli.run("audit", "verify", export.toString(), "--trust", trust.toString());
        assertThat(verified.exitCode()).as(verified.out() + verified.err()).isZero();
        assertThat(verified.out()).contains("OK").containsPattern("note: +[1-9]\\d* logged content\\(s\\) checked");
        assertThat(Files.readString(Path.of(result.get("auditContentKey").asText())))
                .startsWith("-----BEGIN")
                .contains("PRIVATE KEY-----");
        Path conf = Path.of(result.get("globalConf").asText());
        Path cert = Path.of(result.get("globalConfCert").asText());
        assertThat(conf).isRegularFile();
        assertThat(Files.readString(cert)).startsWith("-----BEGIN CERTIFICATE-----");

        assumeTrue(Files.isExecutable(Path.of("/usr/bin/xmlsec1")), "xmlsec1 is installed by .ci/run");
        Path tampered = dir.resolve("tampered.xml");
        byte[] bytes = Files.readAllBytes(conf);
        int at = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("000.00.00.H41");
        bytes[at + 12] = (byte) '2';
        Files.write(tampered, bytes);

        Processes.Result original = xmlsec1(cert, conf);
        Processes.Result changed = xmlsec1(cert, tampered);

        assertThat(original.exitCode()).as(original.output()).isZero();
        assertThat(original.output()).contains("OK");
        assertThat(changed.exitCode()).as(changed.output()).isNotZero();
    }

    @Test
    void demoRefusesAFolderThatIsNotEmpty(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("something"), "x");
        Cli.Run run = Cli.run("demo", "--once", "--dir", dir.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(run.err()).contains("cli/already_exists").contains("not empty");
    }

    private static Processes.Result xmlsec1(Path cert, Path xml) throws Exception {
        return Processes.run(List.of(
                "xmlsec1",
                "--verify",
                "--pubkey-cert-pem",
                cert.toString(),
                "--enabled-reference-uris",
                "empty",
                xml.toString()));
    }
}
