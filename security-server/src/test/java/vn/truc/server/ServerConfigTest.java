package vn.truc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.truc.core.error.TrucException;

/** {@code conf/server.properties} documents every key with its default, and stays true. */
class ServerConfigTest {
    @TempDir
    Path dir;

    @Test
    void theDocumentedFileSaysWhatTheDefaultsAre() throws Exception {
        Path documented = conf().resolve("server.properties");
        Path a = Files.createDirectories(dir.resolve("documented"));
        Files.copy(documented, a.resolve(ServerConfig.FILE));
        Path b = Files.createDirectories(dir.resolve("minimal"));
        Files.writeString(
                b.resolve(ServerConfig.FILE),
                "server.id = VN/GOV/000.00.00.G22/ss1\nserver.address = 127.0.0.1:5500\n");

        ServerConfig fromFile = ServerConfig.load(a);
        ServerConfig defaults = ServerConfig.load(b);

        assertThat(fromFile.limits()).isEqualTo(defaults.limits());
        assertThat(fromFile.timeouts()).isEqualTo(defaults.timeouts());
        assertThat(fromFile.documents()).isEqualTo(defaults.documents());
        assertThat(fromFile.audit())
                .usingRecursiveComparison()
                .ignoringFields("archiveDir", "contentDir")
                .isEqualTo(defaults.audit());
        assertThat(fromFile.audit().archiveDir()).isEqualTo(a.resolve("archive"));
        assertThat(fromFile.audit().contentDir()).isEqualTo(a.resolve("log-content"));
        assertThat(fromFile.ocspMaxAge()).isEqualTo(defaults.ocspMaxAge());
        assertThat(fromFile.signingBatchMax())
                .isEqualTo(defaults.signingBatchMax())
                .isEqualTo(64);
        assertThat(fromFile.confPollInterval()).isEqualTo(defaults.confPollInterval());
        assertThat(fromFile.clientProxyPort()).isEqualTo(defaults.clientProxyPort());
    }

    @Test
    void aWrongDocumentsValueIsNamed() throws Exception {
        Files.writeString(
                dir.resolve(ServerConfig.FILE),
                "server.id = VN/GOV/000.00.00.G22/ss1\nserver.address = 127.0.0.1:5500\n"
                        + "documents.webhook-url = ftp://example\n");
        assertThatThrownBy(() -> ServerConfig.load(dir))
                .isInstanceOf(TrucException.class)
                .hasMessageContaining("documents.webhook-url")
                .hasMessageContaining("ftp://example");
    }

    private static Path conf() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("conf/server.properties"))) {
                return d.resolve("conf");
            }
        }
        throw new IllegalStateException("conf/server.properties not found");
    }
}
