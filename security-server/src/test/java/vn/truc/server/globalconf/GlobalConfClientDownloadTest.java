package vn.truc.server.globalconf;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.truc.server.globalconf.TestBed.assertAcceptedNothing;
import static vn.truc.server.globalconf.TestBed.assertRejected;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.truc.core.error.ErrorCode;

/** How the client fares when the registry is down, answers badly or sends too much. */
class GlobalConfClientDownloadTest {
    @TempDir
    Path dir;

    private TestBed bed;

    @BeforeEach
    void setUp() {
        bed = new TestBed(dir);
    }

    @AfterEach
    void tearDown() {
        bed.close();
    }

    @Test
    void reportsRegistryDownAsConfUnavailableWithUrlAndCause() {
        GlobalConfClient client = bed.newClient();
        bed.registry.close();

        assertRejected(client, ErrorCode.CONF_UNAVAILABLE)
                .hasMessageContaining(bed.registry.baseUri() + "globalconf")
                .hasMessageContaining("ConnectException");
        assertThat(client.status().lastError()).contains("conf_unavailable");
        assertAcceptedNothing(client);
    }

    @Test
    void reportsNonOkStatusAsConfUnavailable() {
        bed.registry.answerStatus(503);

        assertRejected(bed.newClient(), ErrorCode.CONF_UNAVAILABLE).hasMessageContaining("HTTP 503");
    }

    @Test
    void refusesDeclaredBodyOverSixteenMebibytes() {
        bed.registry.serve(new byte[RegistryDownload.MAX_BYTES + 1]);

        assertRejected(bed.newClient(), ErrorCode.CONF_UNAVAILABLE).hasMessageContaining("exceeds the limit");
    }

    @Test
    void refusesChunkedBodyOnceItPassesSixteenMebibytes() {
        bed.registry.serveChunked(new byte[RegistryDownload.MAX_BYTES + 1]);

        assertRejected(bed.newClient(), ErrorCode.CONF_UNAVAILABLE).hasMessageContaining("exceeds the limit");
    }

    @Test
    void passesBodyOfExactlySixteenMebibytesOnToVerification() {
        bed.registry.serveChunked(new byte[RegistryDownload.MAX_BYTES]);

        // all zero bytes: it passes the size check and fails as XML, not as a download
        assertRejected(bed.newClient(), ErrorCode.INVALID_XML);
    }
}
