package vn.truc.core.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BodyDigestTest {
    @Test
    void digestsWhileSpoolingAndMatchesTheSpooledFile(@TempDir Path dir) throws IOException {
        byte[] body = "abc".getBytes(StandardCharsets.US_ASCII);
        Path spool = dir.resolve("body");
        BodyDigest digest = new BodyDigest(Files.newOutputStream(spool));
        try (digest) {
            new ByteArrayInputStream(body).transferTo(digest);
        }
        assertThat(digest.value()).isEqualTo(MessageManifestTest.ABC_DIGEST);
        assertThat(digest.length()).isEqualTo(3);
        assertThat(Files.readAllBytes(spool)).isEqualTo(body);
        assertThat(BodyDigest.of(spool)).isEqualTo(MessageManifestTest.ABC_DIGEST);
        assertThat(BodyDigest.of(body)).isEqualTo(MessageManifestTest.ABC_DIGEST);
    }

    @Test
    void digestsAnEmptyBody() {
        assertThat(new BodyDigest().value()).isEqualTo("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
    }

    @Test
    void refusesWritesAfterTheDigestIsTaken() throws IOException {
        try (OutputStream digest = new BodyDigest()) {
            digest.write('a');
            ((BodyDigest) digest).value();
            assertThatThrownBy(() -> digest.write('b')).isInstanceOf(IOException.class);
        }
    }
}
