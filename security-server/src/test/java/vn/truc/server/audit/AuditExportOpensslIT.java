package vn.truc.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.truc.core.crypto.Certificates;
import vn.truc.core.testing.Processes;

/**
 * An auditor who trusts none of our code: {@code openssl cms -verify} takes the ZIP out of the
 * export, {@code openssl ts -verify} checks each batch's token over its root, {@code sha256sum}
 * recomputes a record's hash; each refuses a one-byte change. The commands are those of
 * docs/audit.md.
 */
class AuditExportOpensslIT {
    @TempDir
    Path dir;

    private AuditFixture fixture;
    private Path export;
    private Path caPem;

    @BeforeEach
    void export() throws Exception {
        fixture = new AuditFixture(dir);
        fixture.standardLog();
        export = Files.write(dir.resolve("audit.p7m"), fixture.export(null).der());
        caPem = Files.writeString(dir.resolve("ca.pem"), Certificates.toPem(fixture.ca.caCertificate()));
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void opensslVerifiesTheExportSignatureAndEveryBatchToken() throws Exception {
        Path content = dir.resolve("content");
        assertSucceeds(cmsVerify(export, dir.resolve("content.zip")));
        assertSucceeds(List.of("unzip", "-q", dir.resolve("content.zip").toString(), "-d", content.toString()));

        for (long batch : List.of(1L, 2L)) {
            String root = root(content, batch);
            Path token = content.resolve("batches/" + batch + ".tsr");
            // against the TSA's own CA, the TSA certificate as an untrusted intermediate
            assertSucceeds(tsVerify(
                    root,
                    token,
                    fixture.tsa.caPem(),
                    "-untrusted",
                    fixture.tsa.tsaPem().toString()));
            // against the export's trust.pem, which lists the TSA certificate itself
            assertSucceeds(tsVerify(root, token, content.resolve("trust.pem"), "-partial_chain"));
        }
    }

    @Test
    void sha256sumOfARecordLineIsItsHashInTheChain() throws Exception {
        Path content = dir.resolve("content");
        assertSucceeds(cmsVerify(export, dir.resolve("content.zip")));
        assertSucceeds(List.of("unzip", "-q", dir.resolve("content.zip").toString(), "-d", content.toString()));

        Processes.Result line = Processes.run(List.of(
                "sh",
                "-c",
                "cd '" + content + "' && sed -n 5p records.jsonl | tr -d '\\n' | sha256sum | cut -d' ' -f1"));
        Processes.Result chain = Processes.run(List.of(
                "sh",
                "-c",
                "cd '" + content + "' && sed -n 5p chain.jsonl | sed 's/.*\"hash\":\"\\([0-9a-f]*\\)\".*/\\1/'"));

        assertThat(line.output().strip()).hasSize(64).isEqualTo(chain.output().strip());
    }

    @Test
    void opensslRefusesAnExportOrATokenChangedByOneByte() throws Exception {
        Path content = dir.resolve("content");
        assertSucceeds(cmsVerify(export, dir.resolve("content.zip")));
        assertSucceeds(List.of("unzip", "-q", dir.resolve("content.zip").toString(), "-d", content.toString()));
        Path token = content.resolve("batches/1.tsr");
        String root = root(content, 1);

        Path changedExport = Files.write(dir.resolve("changed.p7m"), flipLastByte(Files.readAllBytes(export)));
        Path changedToken = Files.write(dir.resolve("changed.tsr"), flipLastByte(Files.readAllBytes(token)));
        String otherRoot = (root.charAt(0) == '0' ? "1" : "0") + root.substring(1);

        assertThat(Processes.run(cmsVerify(changedExport, dir.resolve("changed.zip")))
                        .exitCode())
                .isNotZero();
        assertThat(Processes.run(tsVerify(
                                root,
                                changedToken,
                                fixture.tsa.caPem(),
                                "-untrusted",
                                fixture.tsa.tsaPem().toString()))
                        .exitCode())
                .isNotZero();
        assertThat(Processes.run(tsVerify(
                                otherRoot,
                                token,
                                fixture.tsa.caPem(),
                                "-untrusted",
                                fixture.tsa.tsaPem().toString()))
                        .exitCode())
                .isNotZero();
    }

    private List<String> cmsVerify(Path in, Path out) {
        return List.of(
                "openssl",
                "cms",
                "-verify",
                "-binary",
                "-inform",
                "DER",
                "-in",
                in.toString(),
                "-CAfile",
                caPem.toString(),
                "-purpose",
                "any",
                "-out",
                out.toString());
    }

    private static List<String> tsVerify(String root, Path token, Path caFile, String... more) {
        List<String> command = new java.util.ArrayList<>(List.of(
                "openssl",
                "ts",
                "-verify",
                "-digest",
                root,
                "-in",
                token.toString(),
                "-token_in",
                "-CAfile",
                caFile.toString()));
        command.addAll(List.of(more));
        return command;
    }

    private static String root(Path content, long batch) throws Exception {
        String json = Files.readString(content.resolve("batches/" + batch + ".json"), StandardCharsets.UTF_8);
        return json.replaceAll(".*\"root\":\"([0-9a-f]{64})\".*", "$1");
    }

    private static byte[] flipLastByte(byte[] bytes) {
        byte[] copy = bytes.clone();
        copy[copy.length - 1] ^= 0x01;
        return copy;
    }

    private static void assertSucceeds(List<String> command) throws Exception {
        Processes.Result result = Processes.run(command);
        assertThat(result.exitCode())
                .as(String.join(" ", command) + "\n" + result.output())
                .isZero();
    }
}
