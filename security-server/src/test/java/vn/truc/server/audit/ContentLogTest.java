package vn.truc.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.truc.core.crypto.CertificateProfile;
import vn.truc.core.crypto.Digests;
import vn.truc.core.crypto.KeyStores.KeyAndChain;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.TrucException;
import vn.truc.core.id.ClientId;
import vn.truc.core.testing.TestPki;

class ContentLogTest {
    private static final ClientId FULL = ClientId.parse("VN/GOV/000.00.00.G22/DMS");
    private static final ClientId METADATA = ClientId.parse("VN/GOV/000.00.00.G22/HR");
    private static final KeyAndChain OPERATOR =
            TestPki.newCa("Operator CA").issue("content key", CertificateProfile.ENCRYPTION);

    @TempDir
    Path dir;

    @Test
    void aSubsystemSetToFullWithoutAnOperatorCertificateHasItsMessagesRefused() {
        ContentLog contents = new ContentLog(dir, null, FULL::equals);
        assertThat(contents.wanted(METADATA)).isFalse();
        assertThatThrownBy(() -> contents.wanted(FULL))
                .isInstanceOf(TrucException.class)
                .satisfies(e -> assertThat(((TrucException) e).code()).isEqualTo(ErrorCode.INVALID_CONFIG))
                .hasMessageContaining("audit.content-certificate is not set");
    }

    @Test
    void aContentIsSealedOnceHoweverManyRecordsNameIt() throws Exception {
        ContentLog contents = new ContentLog(dir, OPERATOR.certificate(), FULL::equals);
        assertThat(contents.wanted(FULL)).isTrue();
        byte[] body = "Công văn số 12".getBytes(StandardCharsets.UTF_8);
        String hex = Digests.sha256Hex(body);
        AtomicInteger opened = new AtomicInteger();
        ContentLog.Source source = () -> {
            opened.incrementAndGet();
            return new ByteArrayInputStream(body);
        };
        contents.keep(hex, source);
        contents.keep(hex, source);
        assertThat(opened).hasValue(1);
        assertThat(contents.find(hex)).hasValue(dir.resolve(hex + ".cms"));
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(dir.resolve(hex + ".cms"));
        }
    }

    @Test
    void contentThatIsNotWhatTheRecordNamesIsNotKept() {
        ContentLog contents = new ContentLog(dir, OPERATOR.certificate(), FULL::equals);
        String other = Digests.sha256Hex(new byte[] {42});
        assertThatThrownBy(() -> contents.keep(other, () -> new ByteArrayInputStream(new byte[] {1})))
                .isInstanceOf(TrucException.class);
        assertThat(contents.find(other)).isEmpty();
        assertThat(dir.toFile().list()).isEmpty();
    }

    @Test
    void whatAStopLeftHalfWrittenIsDeletedAtStartAndKeptContentsStay() throws Exception {
        Path kept = Files.writeString(dir.resolve(Digests.sha256Hex(new byte[] {7}) + ".cms"), "sealed");
        Path partial = Files.writeString(dir.resolve("." + kept.getFileName() + "12345.tmp"), "half");
        Path certificate = Files.writeString(
                dir.resolveSibling(dir.getFileName() + "-operator.pem"),
                vn.truc.core.crypto.Certificates.toPem(OPERATOR.certificate()));
        var audit = new vn.truc.server.ServerConfig.Audit(
                java.time.Duration.ofMinutes(1),
                java.time.Duration.ofHours(2),
                null,
                java.time.Duration.ofSeconds(20),
                java.time.Duration.ofDays(90),
                dir.resolve("archive"),
                certificate,
                dir);

        ContentLog contents = ContentLog.of(audit, FULL::equals);

        assertThat(partial).doesNotExist();
        assertThat(kept).exists();
        assertThat(contents.wanted(FULL)).isTrue();
    }
}
