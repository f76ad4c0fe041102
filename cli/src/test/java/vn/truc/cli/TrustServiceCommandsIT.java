package vn.truc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.truc.core.crypto.CertificateProfile;
import vn.truc.core.crypto.Certificates;
import vn.truc.core.globalconf.Anchor;
import vn.truc.core.globalconf.GlobalConf;
import vn.truc.core.globalconf.SignedGlobalConf;
import vn.truc.core.net.FreePorts;
import vn.truc.core.testing.TestPki;
import vn.truc.registry.CentralRegistry;
import vn.truc.registry.RegistryConfig;

/** Pointing the federation at external trust services by URL, and seeing them published. */
class TrustServiceCommandsIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void externalCaOcspAndTsaAreApprovedAndPublished() throws Exception {
        String reg = dir.resolve("reg").toString();
        int port = FreePorts.next();
        assertThat(Cli.run("registry", "init", "--dir", reg, "--port", String.valueOf(port), "--pin", "1234")
                        .exitCode())
                .isZero();
        TestPki external = TestPki.newCa("Ban Cơ yếu Chính phủ CA");
        Path caPem = Files.writeString(dir.resolve("external-ca.pem"), Certificates.toPem(external.caCertificate()));
        Path tsaPem = Files.writeString(
                dir.resolve("external-tsa.pem"),
                Certificates.toPem(external.issue("tsa", CertificateProfile.TSA).certificate()));

        Cli.Run addCa = Cli.run(
                "registry",
                "ca",
                "add",
                "--dir",
                reg,
                "--name",
                "External CA",
                "--cert",
                caPem.toString(),
                "--ocsp-url",
                "http://ocsp.example.gov.vn/");
        Cli.Run setOcsp = Cli.run(
                "registry",
                "ca",
                "set-ocsp",
                "--dir",
                reg,
                "--name",
                "VN Truc CA",
                "--url",
                "http://127.0.0.1:9999/ocsp");
        Cli.Run addTsa = Cli.run(
                "registry",
                "tsa",
                "add",
                "--dir",
                reg,
                "--name",
                "External TSA",
                "--url",
                "http://tsa.example.gov.vn/",
                "--cert",
                tsaPem.toString());
        Cli.Run again = Cli.run(
                "registry",
                "ca",
                "add",
                "--dir",
                reg,
                "--name",
                "External CA",
                "--cert",
                caPem.toString(),
                "--ocsp-url",
                "http://ocsp.example.gov.vn/");
        Cli.Run badUrl =
                Cli.run("registry", "ca", "set-ocsp", "--dir", reg, "--name", "External CA", "--url", "ftp://x");

        assertThat(addCa.exitCode()).as(addCa.err()).isZero();
        assertThat(setOcsp.exitCode()).as(setOcsp.err()).isZero();
        assertThat(addTsa.exitCode()).as(addTsa.err()).isZero();
        assertThat(again.exitCode()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(badUrl.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        JsonNode cas = JSON.readTree(
                Cli.run("registry", "ca", "list", "--dir", reg, "--json").out());
        assertThat(cas.findValuesAsText("ocspUrl"))
                .containsExactlyInAnyOrder("http://127.0.0.1:9999/ocsp", "http://ocsp.example.gov.vn/");

        try (CentralRegistry running = CentralRegistry.start(RegistryConfig.load(Path.of(reg)), "1234".toCharArray())) {
            HttpClient http = HttpClient.newHttpClient();
            byte[] conf = http.send(
                            HttpRequest.newBuilder(running.url().resolve("globalconf"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofByteArray())
                    .body();
            Anchor anchor = new Anchor(
                    "VN",
                    URI.create("http://127.0.0.1/"),
                    Certificates.fromPem(Files.readString(Path.of(reg, "conf-signing.pem"))),
                    Instant.now());
            GlobalConf published = SignedGlobalConf.verify(conf, anchor);
            assertThat(published.certificationAuthorities())
                    .extracting(GlobalConf.CertificationAuthority::ocspUrl)
                    .containsExactlyInAnyOrder("http://127.0.0.1:9999/ocsp", "http://ocsp.example.gov.vn/");
            assertThat(published.timestampingAuthorities())
                    .extracting(GlobalConf.TimestampingAuthority::url)
                    .contains("http://tsa.example.gov.vn/");
        }
    }
}
